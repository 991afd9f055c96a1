"""vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350): one file, or a folder of .vcf files.

Read: FN, N, ORG, TITLE (ROLE when there is no title), EMAIL/TEL/URL/IMPP with their
TYPE and PREF, Apple's `X-SOCIALPROFILE` and `itemN.X-ABLABEL` labels, CATEGORIES,
NOTE, ADR (as the location), UID, REV; folded lines, escaped commas and semicolons,
quoted parameters, quoted-printable values of old 2.1 exports. Group and organisation
cards are skipped; properties with no place in netterm (PHOTO, BDAY …) are counted so
the summary can say what was left out.

Written: vCard 4.0, lines folded at 75 octets, CRLF. netterm's own fields travel in
`X-NETTERM-*` properties so a netterm vCard re-imports without loss; other readers
(khard, Apple, Google) ignore them.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from netterm.core.names import split_name
from netterm.interchange import guard, own
from netterm.interchange.google import GOOGLE_GROUPS
from netterm.interchange.guard import MAX_RECORD_CHARS
from netterm.interchange.records import (
    UTC,
    ContactRecord,
    MethodRecord,
    ParseResult,
    Problem,
    Skipped,
    escape,
    fail,
    fold,
    method,
    netterm_uid,
    snippet,
    streamed,
    text_source,
    url_kind,
    wrong_format_hint,
)

FORMAT = "vcard"
PREFIX = "X-NETTERM-"
#: TYPE values that are not labels
_NOT_LABELS = {"pref", "internet", "voice", "x400", "intl", "dom", "postal", "parcel"}
#: labels written as TYPE=…, read back as the same word; any other label goes in X-ABLABEL
TYPE_LABELS = {"home", "work", "cell", "fax", "pager", "text", "video", "textphone", "main"}
_SOCIAL_KINDS = {
    "linkedin": "linkedin",
    "twitter": "x",
    "x": "x",
    "github": "github",
    "mastodon": "mastodon",
}
#: properties that carry no information worth reporting as "not imported"
_QUIET = {"VERSION", "PRODID", "X-ABLABEL", "KIND", "X-ADDRESSBOOKSERVER-KIND", "UID", "REV"}
_NAME = re.compile(r"^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)$")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_COMPACT = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})(?:[.,]\d+)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_NEWLINES = re.compile(r"\r\n|\r|\n")


@dataclass(slots=True)
class Prop:
    line: int
    group: str  # lower case; "" when none (Apple's item1.EMAIL has group "item1")
    name: str  # upper case
    params: dict[str, list[str]]  # upper-case keys
    value: str  # as written (escaped)

    def param(self, key: str) -> list[str]:
        return self.params.get(key, [])

    def types(self) -> list[str]:
        return [t.strip().lower() for v in self.param("TYPE") for t in v.split(",") if t.strip()]


# --------------------------------------------------------------------------- text escapes

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def unescape(value: str) -> str:
    r"""`\n` → newline, `\,` → `,`, `\;` → `;`, `\\` → `\`."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def split_escaped(value: str, sep: str) -> list[str]:
    """Split on `sep` not preceded by an escaping backslash (the parts stay escaped)."""
    if "\\" not in value:
        return value.split(sep)
    parts, start, i = [], 0, 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        if ch == sep:
            parts.append(value[start:i])
            start = i + 1
        i += 1
    parts.append(value[start:])
    return parts


def components(value: str) -> list[str]:
    """A structured value (N, ORG, ADR …): its `;`-separated parts, unescaped."""
    return [unescape(p) for p in split_escaped(value, ";")]


# --------------------------------------------------------------------------- reading


def _logical_lines(text: str | Iterable[str], source: str = "") -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the number of the line each starts on.

    `text` is a string or streamed lines (`guard.open_text`); one unfolded line longer
    than `guard.MAX_RECORD_CHARS` is refused.
    """
    start, parts, qp, size = 0, [], False, 0
    raws = (
        _NEWLINES.split(text) if isinstance(text, str) else (line.rstrip("\r\n") for line in text)
    )
    for number, raw in enumerate(raws, start=1):
        if parts:
            size += len(raw)
            if size > MAX_RECORD_CHARS:
                raise fail(source, start, "a property far too long for a contact")
        if parts and qp and parts[-1].endswith("="):
            parts[-1] = parts[-1][:-1]  # quoted-printable soft line break (vCard 2.1)
            parts.append(raw)
            continue
        if parts and raw[:1] in (" ", "\t"):
            parts.append(raw[1:])
            continue
        if parts:
            yield start, "".join(parts)
            parts = []
        if raw.strip():
            start, parts, size = number, [raw], len(raw)
            head = raw.split(":", 1)[0].upper()
            qp = "QUOTED-PRINTABLE" in head
    if parts:
        yield start, "".join(parts)


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    parts, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def _param_value(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] == '"':
        v = v[1:-1]
    if "^" in v:  # RFC 6868
        v = re.sub(
            r"\^(.)", lambda m: {"n": "\n", "'": '"', "^": "^"}.get(m.group(1), m.group(0)), v
        )
    return v


def _prop(line: int, raw: str, source: str) -> Prop:
    colon = raw.find(":")
    if colon < 0:
        raise fail(source, line, "not a vCard property (no ':' after its name)")
    head = raw[:colon]
    if ";" not in head and '"' not in head:  # most lines: NAME:value, no parameters
        m = _NAME.match(head.strip())
        if m:
            return Prop(line, (m.group(1) or "").lower(), m.group(2).upper(), {}, raw[colon + 1 :])
    quote = raw.find('"')
    if 0 <= quote < colon:
        quoted = False
        for i, ch in enumerate(raw):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                colon = i
                break
        else:
            raise fail(source, line, "a quoted parameter is never closed")
    head, value = raw[:colon], raw[colon + 1 :]
    pieces = _split_outside_quotes(head, ";")
    m = _NAME.match(pieces[0].strip())
    if not m:
        raise fail(source, line, f"{snippet(pieces[0].strip())} is not a vCard property name")
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        if not piece.strip():
            continue
        key, eq, val = piece.partition("=")
        if not eq:  # vCard 2.1: TEL;WORK;VOICE:…
            key, val = "TYPE", key
        values = [_param_value(v) for v in _split_outside_quotes(val, ",")]
        params.setdefault(key.strip().upper(), []).extend(v for v in values if v)
    return Prop(line, (m.group(1) or "").lower(), m.group(2).upper(), params, value)


def _decoded(p: Prop) -> str:
    """The property's value as text: quoted-printable decoded, escapes removed."""
    value = p.value
    encoding = [e.upper() for e in p.param("ENCODING")]
    if "QUOTED-PRINTABLE" in encoding:
        charset = (p.param("CHARSET") or ["utf-8"])[0]
        raw = quopri.decodestring(value.encode("utf-8", "replace"))
        try:
            value = raw.decode(charset, "replace")
        except LookupError:
            value = raw.decode("utf-8", "replace")
    return value


def cards(
    text: str | Iterable[str], source: str, head: str | None = None
) -> Iterator[tuple[int, list[Prop]]]:
    """(line of BEGIN:VCARD, the card's properties) for each card of a file.

    One card may hold at most `guard.MAX_RECORD_CHARS` characters.
    """
    current: list[Prop] | None = None
    begin = 0
    size = 0
    if head is None:
        head = text[:4000] if isinstance(text, str) else ""
    for line, raw in _logical_lines(text, source):
        if current is None and raw.strip().upper() not in ("BEGIN:VCARD", "END:VCARD"):
            raise fail(
                source,
                line,
                "text outside a BEGIN:VCARD … END:VCARD card" + wrong_format_hint(head, FORMAT),
            )
        size += len(raw)
        if size > MAX_RECORD_CHARS:
            raise fail(source, begin, "a card far too long for a contact")
        p = _prop(line, raw, source)
        if p.name == "BEGIN" and p.value.strip().upper() == "VCARD":
            if current is not None:
                raise fail(source, line, f"a new card begins before the card of line {begin} ends")
            current, begin, size = [], line, len(raw)
        elif p.name == "END" and p.value.strip().upper() == "VCARD":
            if current is None:
                raise fail(source, line, "END:VCARD without a BEGIN:VCARD")
            yield begin, current
            current = None
        else:
            current.append(p)
    if current is not None:
        raise fail(source, begin, "the card has no END:VCARD (is the file cut short?)")


def parse_rev(value: str) -> datetime | None:
    v = value.strip()
    m = _COMPACT.match(v)
    if not m:
        return None
    y, mo, d, h, mi, s, zone = m.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        if zone and zone != "Z":
            return datetime.fromisoformat(moment.isoformat() + zone[:3] + ":" + zone[-2:])
        return moment.replace(tzinfo=UTC)
    except ValueError:
        return None


def _label(p: Prop, labels: dict[str, str], skip: Iterable[str] = ()) -> str:
    if p.group and p.group in labels:
        return labels[p.group]
    ignore = _NOT_LABELS | set(skip)
    return " ".join(dict.fromkeys(t for t in p.types() if t not in ignore))


def _pref(p: Prop) -> int | None:
    for v in p.param("PREF"):
        if v.strip().isdigit():
            return int(v)
    return 1 if "pref" in p.types() else None


def _apple_label(text: str) -> str:
    m = _APPLE_LABEL.match(text.strip())
    return m.group(1).lower() if m else text.strip()


class _Card:
    """Turns one card's properties into a ContactRecord."""

    def __init__(self, source: str, line: int, props: list[Prop], result: ParseResult) -> None:
        self.source = source
        self.line = line
        self.props = props
        self.result = result
        self.problems: list[Problem] = result.problems
        self.record = ContactRecord(line=line, source=source)
        self.ranked: list[tuple[MethodRecord, int | None]] = []

    def add_method(self, p: Prop, kind: str, value: str, label: str) -> None:
        m = method(kind, value, label, False, self.problems, self.source, p.line)
        if m is not None:
            self.ranked.append((m, _pref(p)))

    def build(self) -> ContactRecord | Skipped:
        r = self.record
        labels = {
            p.group: _apple_label(unescape(p.value))
            for p in self.props
            if p.name == "X-ABLABEL" and p.group
        }
        fn = ""
        n: list[str] | None = None  # family, given, additional (each maybe a list)
        role = ""
        own_values: dict[str, Prop] = {}
        for p in self.props:
            name = p.name
            if name == "FN":
                fn = fn or " ".join(unescape(_decoded(p)).split())
            elif name == "N":
                n = n or [
                    " ".join(" ".join(unescape(x).split()) for x in split_escaped(part, ","))
                    for part in split_escaped(_decoded(p), ";")
                ]
            elif name == "ORG":
                r.company = r.company or " ".join(components(_decoded(p))[0].split())
            elif name == "TITLE":
                r.job_title = r.job_title or " ".join(unescape(_decoded(p)).split())
            elif name == "ROLE":
                role = role or " ".join(unescape(_decoded(p)).split())
            elif name == "EMAIL":
                self.add_method(p, "email", unescape(_decoded(p)), _label(p, labels))
            elif name == "TEL":
                self.add_method(p, "phone", unescape(_decoded(p)), _label(p, labels))
            elif name == "URL":
                value = unescape(_decoded(p))
                kind = url_kind(value)
                typed = [t for t in p.types() if t in _SOCIAL_KINDS]
                if typed and kind == "website":
                    kind = _SOCIAL_KINDS[typed[0]]
                self.add_method(p, kind, value, _label(p, labels, _SOCIAL_KINDS))
            elif name == "X-SOCIALPROFILE":
                value = unescape(_decoded(p))
                typed = [t for t in p.types() if t in _SOCIAL_KINDS]
                kind = _SOCIAL_KINDS[typed[0]] if typed else url_kind(value)
                self.add_method(p, kind, value, _label(p, labels, _SOCIAL_KINDS))
            elif name == "IMPP":
                self.add_method(p, "other", unescape(_decoded(p)), _label(p, labels) or "impp")
            elif name == "CATEGORIES":
                for c in split_escaped(_decoded(p), ","):
                    c = " ".join(unescape(c).split())
                    if c:
                        r.categories.append(c)
            elif name == "NOTE":
                note = unescape(_decoded(p)).replace("\r\n", "\n").strip()
                if note:
                    r.notes = f"{r.notes}\n\n{note}" if r.notes else note
            elif name == "ADR":
                if not r.location:
                    parts = [*components(_decoded(p)), "", "", "", "", "", "", ""]
                    where = [" ".join(x.split()) for x in (parts[3], parts[6]) if x.strip()]
                    if not where and parts[4].strip():
                        where = [" ".join(parts[4].split())]
                    r.location = ", ".join(where)
            elif name == "UID":
                r.uid = unescape(p.value).strip()
            elif name == "REV":
                rev = parse_rev(p.value)
                if rev is None:
                    self.problems.append(
                        Problem(
                            self.source, p.line, f"REV {snippet(p.value)} is not a date; ignored"
                        )
                    )
                elif r.revised is None or rev > r.revised:
                    r.revised = rev
            elif name == "X-ABSHOWAS" and p.value.strip().upper() == "COMPANY":
                return Skipped(self.source, self.line, "an organisation card, not a person")
            elif name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
                kind = p.value.strip().lower()
                what = {"group": "a group", "location": "a place"}.get(kind, "an organisation card")
                if kind in ("group", "org", "organization", "location"):
                    return Skipped(self.source, self.line, f"{what}, not a person")
            elif name == "X-NETTERM-OTHER":
                self.add_method(p, "other", unescape(p.value), _label(p, labels))
            elif name.startswith(PREFIX):
                own_values.setdefault(name[len(PREFIX) :], p)
                if name[len(PREFIX) :] in ("TOUCH", "JOB", "FOLLOW-UP"):
                    self.own_list(p)
            elif name not in _QUIET and not (name.startswith("X-AB") and p.group in labels):
                self.result.ignored[name] += 1
        if n and (n[0].strip() or (len(n) > 1 and n[1].strip())):
            r.first_name = " ".join(g for g in n[1:3] if g.strip())
            r.last_name = n[0].strip()
        else:
            r.first_name, r.last_name = split_name(fn)
        if not r.job_title:
            r.job_title = role
        if own_values:
            self.own_fields(own_values)
        else:  # Google's vCards put everyone in its own "myContacts" group
            r.categories = [c for c in r.categories if c.casefold() not in GOOGLE_GROUPS]
        self.primaries()
        if not (r.first_name or r.last_name):
            what = f" (only {r.company})" if r.company else ""
            return Skipped(self.source, self.line, f"no name{what}")
        return r

    def primaries(self) -> None:
        """The most preferred value of each kind is primary (PREF=1 or TYPE=pref)."""
        best: dict[str, int] = {}
        for m, rank in self.ranked:
            if rank is not None and rank < best.get(m.kind, 1 << 30):
                best[m.kind] = rank
        for m, rank in self.ranked:
            m.primary = rank is not None and rank == best.get(m.kind)
            self.record.methods.append(m)

    def _fail(self, p: Prop, message: str):
        return fail(self.source, p.line, message)

    def own_list(self, p: Prop) -> None:
        name = p.name[len(PREFIX) :]
        keys = {"TOUCH": own.TOUCH_KEYS, "JOB": own.JOB_KEYS, "FOLLOW-UP": own.FOLLOW_UP_KEYS}[name]
        parts = components(p.value)
        if len(parts) != len(keys):
            raise self._fail(p, f"{p.name} has {len(parts)} parts, expected {len(keys)}")
        values = dict(zip(keys, parts, strict=True))
        try:
            if name == "TOUCH":
                self.record.touches.append(own.touch(values))
            elif name == "JOB":
                self.record.jobs.append(own.job(values))
            else:
                self.record.follow_ups.append(own.follow_up(values))
        except ValueError as exc:
            raise self._fail(p, str(exc)) from None

    def own_fields(self, props: dict[str, Prop]) -> None:
        r = self.record
        r.full = True

        def value(key: str) -> str | None:
            p = props.get(key)
            return unescape(p.value) if p is not None else None

        checks = (
            ("ID", "source_id", lambda v: int(v) if v and v.strip().isdigit() else None),
            ("CREATED", "created_at", lambda v: own.instant(v, "created")),
            ("TIER", "tier", own.tier),
            ("CADENCE", "cadence_days", own.cadence),
            ("TRACKED-SINCE", "tracked_since", lambda v: own.day(v, "tracked since")),
            ("PAUSED-UNTIL", "paused_until", lambda v: own.day(v, "paused until")),
            (
                "AWAITING-INBOUND-SINCE",
                "awaiting_inbound_since",
                lambda v: own.day(v, "awaiting inbound since"),
            ),
            ("ARCHIVED-AT", "archived_at", lambda v: own.instant(v, "archived at")),
            ("REVIEWED-AT", "reviewed_at", lambda v: own.instant(v, "reviewed at")),
            ("JOB-CHANGED-AT", "job_changed_at", lambda v: own.instant(v, "job changed at")),
            ("MET-ON", "met_on", lambda v: own.day(v, "met on")),
            ("HOW-MET", "how_met", lambda v: v or ""),
            ("LOOKING-FOR", "looking_for", lambda v: v or ""),
            ("PREVIOUS-NAMES", "previous_names", lambda v: v or ""),
        )
        for key, attr, check in checks:
            if key in props:
                try:
                    setattr(r, attr, check(value(key)))
                except ValueError as exc:
                    raise self._fail(props[key], str(exc)) from None
        if "UPDATED" in props:
            try:
                updated = own.instant(value("UPDATED"), "updated")
            except ValueError as exc:
                raise self._fail(props["UPDATED"], str(exc)) from None
            # REV is written from the same instant, to the second; a later REV means the
            # card was edited elsewhere after netterm wrote it
            if updated is not None and (r.revised is None or r.revised <= updated):
                r.revised = updated


def parse(
    data: bytes | str | Iterable[str],
    source: str = "contacts.vcf",
    result: ParseResult | None = None,
) -> ParseResult:
    """Every card of the file at once."""
    result = result or ParseResult(source, FORMAT)
    result.records.extend(_records(data, source, result))
    return result


def stream_cards(data: bytes | str | Iterable[str], source: str = "contacts.vcf") -> ParseResult:
    """The cards left in `pending`, read as the import goes."""
    result = ParseResult(source, FORMAT)
    result.pending = _records(data, source, result)
    return result


def _records(
    data: bytes | str | Iterable[str], source: str, result: ParseResult
) -> Iterator[ContactRecord]:
    text, head = text_source(data, source)
    found = False
    for line, props in cards(text, source, head):
        found = True
        built = _Card(source, line, props, result).build()
        if isinstance(built, Skipped):
            result.skipped.append(built)
        else:
            yield built
    blank = not head.strip()
    if not found and not blank:
        raise fail(source, 1, "no BEGIN:VCARD in this file" + wrong_format_hint(head, FORMAT))


def load(path: str | Path, cancel=None, *, stream: bool = False) -> ParseResult:
    """A .vcf file, or a folder of them (khard, vdirsyncer): every card, in name order.

    Each file is read through `guard.open_text`; with `stream`, card by card as the
    import goes (`ParseResult.pending`). In a folder, only regular files (symlinks followed) named
    *.vcf / *.vcard are read.
    """
    path = guard.check_input(path, folder_ok=True)
    if not stream:
        return load(path, cancel, stream=True).read_all()
    if not path.is_dir():
        return streamed(path, cancel, stream_cards)
    files = sorted(
        p for p in path.iterdir() if p.suffix.lower() in (".vcf", ".vcard") and _regular(p)
    )
    if not files:
        books = [p.name for p in sorted(path.iterdir()) if p.is_dir()][:3]
        hint = f" (an address book inside it? {', '.join(books)})" if books else ""
        raise fail(str(path), 0, f"no .vcf files in this folder{hint}")
    result = ParseResult(str(path), FORMAT)
    sizes = [_size(f) for f in files]
    done = [0]

    def each_file() -> Iterator[ContactRecord]:
        for file, size in zip(files, sizes, strict=True):
            guard.check_cancel(cancel)
            with guard.open_text(file, cancel=cancel) as lines:
                try:
                    yield from _records(lines, str(file), result)
                except OSError as exc:
                    raise fail(str(file), 0, f"cannot read it ({exc.strerror or exc})") from None
            done[0] += size

    result.pending = each_file()
    result.position = lambda: (done[0], sum(sizes))
    return result


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def _regular(p: Path) -> bool:
    try:
        return p.is_file()  # follows symlinks; FIFOs and devices are not files
    except OSError:
        return False


# --------------------------------------------------------------------------- writing


def card_uid(record: ContactRecord) -> str:
    """The record's UID, or the stable one of a netterm contact (its id and creation)."""
    return record.uid or netterm_uid(record.source_id, own.iso(record.created_at) or "")


def _rev(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.item = 0

    def add(self, name: str, value: str, params: str = "") -> None:
        self.lines.append(fold(f"{name}{params}:{value}"))

    def labelled(self, name: str, value: str, label: str, primary: bool, type_: str = "") -> None:
        params = ""
        types = [type_] if type_ else []
        lab = label.strip()
        if lab and lab in TYPE_LABELS:
            types.append(lab)
            lab = ""
        if types:
            params += ";TYPE=" + ",".join(types)
        if primary:
            params += ";PREF=1"
        if lab:
            self.item += 1
            group = f"item{self.item}."
            self.add(group + name, escape(value), params)
            self.add(group + "X-ABLABEL", escape(lab))
        else:
            self.add(name, escape(value), params)


def dump_card(r: ContactRecord, prodid: str) -> str:
    w = _Writer()
    w.add("BEGIN", "VCARD")
    w.add("VERSION", "4.0")
    w.add("PRODID", prodid)
    w.add("UID", card_uid(r))
    w.add("FN", escape(r.name))
    w.add("N", f"{escape(r.last_name)};{escape(r.first_name)};;;")
    if r.company:
        w.add("ORG", escape(r.company))
    if r.job_title:
        w.add("TITLE", escape(r.job_title))
    for m in r.methods:
        if m.kind == "email":
            w.labelled("EMAIL", m.value, m.label, m.primary)
        elif m.kind == "phone":
            w.labelled("TEL", m.value, m.label, m.primary)
        elif m.kind == "website":
            w.labelled("URL", m.value, m.label, m.primary)
        elif m.kind in ("linkedin", "x", "github", "mastodon"):
            w.labelled("X-SOCIALPROFILE", m.value, m.label, m.primary, m.kind)
        else:
            w.labelled("X-NETTERM-OTHER", m.value, m.label, m.primary)
    if r.categories:
        w.add("CATEGORIES", ",".join(escape(c) for c in r.categories))
    if r.notes:
        w.add("NOTE", escape(r.notes))
    if r.location:
        w.add("ADR", f";;;{escape(r.location)};;;")
    if r.revised is not None:
        w.add("REV", _rev(r.revised))
    own_scalars = (
        ("ID", r.source_id),
        ("CREATED", own.iso(r.created_at)),
        ("UPDATED", own.iso(r.revised)),
        ("TIER", r.tier),
        ("CADENCE", r.cadence_days),
        ("TRACKED-SINCE", own.iso(r.tracked_since)),
        ("PAUSED-UNTIL", own.iso(r.paused_until)),
        ("AWAITING-INBOUND-SINCE", own.iso(r.awaiting_inbound_since)),
        ("ARCHIVED-AT", own.iso(r.archived_at)),
        ("REVIEWED-AT", own.iso(r.reviewed_at)),
        ("JOB-CHANGED-AT", own.iso(r.job_changed_at)),
        ("HOW-MET", r.how_met),
        ("MET-ON", own.iso(r.met_on)),
        ("LOOKING-FOR", r.looking_for),
        ("PREVIOUS-NAMES", r.previous_names),
    )
    for key, v in own_scalars:
        if v is not None and v != "":
            w.add(PREFIX + key, escape(str(v)))
    for name, items, fields in (
        ("JOB", r.jobs, own.job_fields),
        ("TOUCH", r.touches, own.touch_fields),
        ("FOLLOW-UP", r.follow_ups, own.follow_up_fields),
    ):
        for item in items:
            parts = []
            for v in fields(item).values():
                if isinstance(v, bool):
                    v = "1" if v else "0"
                parts.append(escape("" if v is None else str(v)))
            w.add(PREFIX + name, ";".join(parts))
    w.add("END", "VCARD")
    return "\r\n".join(w.lines) + "\r\n"


def dump(records: Iterable[ContactRecord], prodid: str) -> Iterator[str]:
    """The cards of a .vcf file, one string per contact (concatenate them)."""
    for r in records:
        yield dump_card(r, prodid)

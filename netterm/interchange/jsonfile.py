"""netterm's own JSON: everything a contact has, so `export json` → `import json` loses nothing.

    {"format": "netterm", "version": 1, "exported_at": "…",
     "categories": ["former colleagues", …],
     "contacts": [{"id": 1, "uid": "urn:uuid:…", "first_name": "Ana", …,
                   "methods": [{"kind": "email", "value": "…", "label": "", "primary": true}],
                   "categories": […], "jobs": […], "touches": […], "follow_ups": […]}]}

A bare list of contacts is read too, and a contact may give `name` instead of
`first_name`/`last_name` (handy for files written by hand or by scripts). Unknown keys
are errors: a misspelt field would otherwise be dropped without a word.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable
from pathlib import Path

from netterm.core.names import split_name
from netterm.interchange import guard, own
from netterm.interchange.records import (
    OWN_DATES,
    TEXT_FIELDS,
    ContactRecord,
    ParseResult,
    Problem,
    decode,
    fail,
    method,
    netterm_uid,
    snippet,
    wrong_format_hint,
)

FORMAT = "json"
VERSION = 1
_DAYS = ("tracked_since", "paused_until", "awaiting_inbound_since")
CONTACT_KEYS = frozenset(
    {
        "id",
        "uid",
        "name",
        *TEXT_FIELDS,
        "met_on",
        "tier",
        "cadence_days",
        *OWN_DATES,
        "created_at",
        "updated_at",
        "categories",
        "methods",
        "jobs",
        "touches",
        "follow_ups",
    }
)


class _RecordError(Exception):
    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


class _Lined(dict):
    """A JSON object that knows the offset where it starts."""

    __slots__ = ("offset",)


def _contact_lines(text: str) -> list[int]:
    """The line on which each contact object starts (a slower, position-aware parse).

    Run only when a message needs line numbers: the fast C parser knows no positions.
    """
    from json import decoder, scanner

    try:
        return _positions(text, decoder, scanner)
    except (ValueError, RecursionError):
        return []


def _positions(text: str, decoder, scanner) -> list[int]:
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def parse_object(s_and_end, *args):
        obj, end = decoder.JSONObject(s_and_end, *args)
        lined = _Lined(obj)
        lined.offset = s_and_end[1] - 1
        return lined, end

    dec = json.JSONDecoder()
    dec.parse_object = parse_object
    dec.scan_once = scanner.py_make_scanner(dec)
    data = dec.decode(text)
    items = data.get("contacts", []) if isinstance(data, dict) else data
    return [
        bisect.bisect_right(newlines, getattr(item, "offset", 0)) + 1
        if isinstance(item, dict)
        else 0
        for item in items
    ]


def load(path: str | Path, cancel=None, *, stream: bool = False) -> ParseResult:
    """The file read whole through `guard.read_text` (JSON cannot be streamed, so
    `stream` changes nothing; capped at `guard.MAX_WHOLE_FILE_BYTES`)."""
    path = Path(path)
    return parse(guard.read_text(path, cancel=cancel), str(path))


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number netterm reads")


def parse(data: bytes | str, source: str = "netterm.json") -> ParseResult:
    text = decode(data, source)
    try:
        doc = json.loads(text, parse_int=guard.json_int, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise fail(
            source, exc.lineno, f"not valid JSON ({exc.msg}){wrong_format_hint(text, FORMAT)}"
        ) from None
    except guard.TooBig as exc:
        at = text.find(exc.digits)
        line = text.count("\n", 0, at) + 1 if at >= 0 else 0
        raise fail(source, line, f"{exc}: too large for anything netterm stores") from None
    except ValueError as exc:  # NaN, Infinity
        raise fail(source, 0, f"not valid JSON ({exc})") from None
    except RecursionError:
        raise fail(source, 0, "not valid JSON (nested too deeply)") from None
    if isinstance(doc, dict):
        if doc.get("format", "netterm") != "netterm":
            raise fail(source, 1, f"format {snippet(doc.get('format'))} is not a netterm export")
        version = doc.get("version", VERSION)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise fail(
                source, 1, f"version {snippet(version)}: expected a whole number like {VERSION}"
            )
        if version > VERSION:
            raise fail(
                source,
                1,
                f"version {version} was written by a newer netterm; upgrade netterm",
            )
        if "contacts" not in doc:
            raise fail(source, 1, "no 'contacts' in this object: not a netterm export")
        items = doc.get("contacts", [])
        categories = doc.get("categories", [])
    elif isinstance(doc, list):
        items, categories = doc, []
    else:
        raise fail(source, 1, "expected a netterm export (an object with 'contacts') or a list")
    if not isinstance(items, list):
        raise fail(source, 1, "'contacts' must be a list")
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise fail(source, 1, "'categories' must be a list of names")
    result = ParseResult(source, FORMAT, categories=[c for c in categories if c.strip()])
    problems: list[tuple[int, str]] = []
    try:
        for i, item in enumerate(items):
            result.records.append(_record(i, item, source, problems))
    except _RecordError as exc:
        lines = _contact_lines(text)
        line = lines[exc.index] if exc.index < len(lines) else 0
        raise fail(source, line, f"contact {exc.index + 1}: {exc}") from None
    if problems:
        lines = _contact_lines(text)
        line = lambda i: lines[i] if i < len(lines) else 0  # noqa: E731
        for i, message in problems:
            result.problems.append(Problem(source, line(i), f"contact {i + 1}: {message}"))
        for i, record in enumerate(result.records):
            record.line = line(i)
    return result


def _record(i: int, item, source: str, problems: list[tuple[int, str]]) -> ContactRecord:
    if not isinstance(item, dict):
        raise _RecordError(i, f"expected an object, got {type(item).__name__}")
    unknown = sorted(set(item) - CONTACT_KEYS)
    if unknown:
        raise _RecordError(i, f"unknown field {snippet(unknown[0])}")
    r = ContactRecord(line=0, source=source, full=True)
    try:
        for key in TEXT_FIELDS:
            setattr(r, key, own.text(item.get(key), key))
        if "name" in item and not (r.first_name or r.last_name):
            r.first_name, r.last_name = split_name(own.text(item["name"], "name"))
        r.met_on = own.day(item.get("met_on"), "met_on")
        r.tier = own.tier(item.get("tier"))
        r.cadence_days = own.cadence(item.get("cadence_days"))
        for key in OWN_DATES:
            check = own.day if key in _DAYS else own.instant
            setattr(r, key, check(item.get(key), key))
        r.created_at = own.instant(item.get("created_at"), "created_at")
        r.revised = own.instant(item.get("updated_at"), "updated_at")
        source_id = item.get("id")
        if source_id is not None and (
            not isinstance(source_id, int) or isinstance(source_id, bool)
        ):
            raise ValueError(f"id: expected a number, got {snippet(source_id)}")
        r.source_id = source_id
        r.uid = own.text(item.get("uid"), "uid").strip()
        for c in _list(item, "categories"):
            r.categories.append(own.text(c, "category"))
        notes: list = []
        for m in _list(item, "methods"):
            if not isinstance(m, dict) or not isinstance(m.get("kind"), str):
                raise ValueError(f"methods: expected {{'kind': …, 'value': …}}, got {snippet(m)}")
            kept = method(
                m["kind"],
                own.text(m.get("value"), "method value"),
                own.text(m.get("label"), "method label"),
                own.flag(m.get("primary"), "method primary"),
                notes,
                source,
                0,
            )
            if kept is not None:
                r.methods.append(kept)
        problems.extend((i, p.message) for p in notes)
        r.jobs = [own.job(_object(j, "jobs")) for j in _list(item, "jobs")]
        r.touches = [own.touch(_object(t, "touches")) for t in _list(item, "touches")]
        r.follow_ups = [own.follow_up(_object(f, "follow_ups")) for f in _list(item, "follow_ups")]
    except ValueError as exc:
        raise _RecordError(i, str(exc)) from None
    if not (r.first_name.strip() or r.last_name.strip()):
        raise _RecordError(i, "a contact needs a name (first_name, last_name or name)")
    return r


def _list(item: dict, key: str) -> list:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{key}: expected a list, got {type(value).__name__}")
    return value


def _object(value, key: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{key}: expected an object, got {snippet(value)}")
    return value


# --------------------------------------------------------------------------- writing


def contact_dict(r: ContactRecord) -> dict:
    created = own.iso(r.created_at)
    return {
        "id": r.source_id,
        "uid": r.uid or netterm_uid(r.source_id, created or ""),
        **{key: getattr(r, key) for key in TEXT_FIELDS},
        "met_on": own.iso(r.met_on),
        "tier": r.tier,
        "cadence_days": r.cadence_days,
        "tracked_since": own.iso(r.tracked_since),
        "paused_until": own.iso(r.paused_until),
        "awaiting_inbound_since": own.iso(r.awaiting_inbound_since),
        "archived_at": own.iso(r.archived_at),
        "reviewed_at": own.iso(r.reviewed_at),
        "job_changed_at": own.iso(r.job_changed_at),
        "created_at": created,
        "updated_at": own.iso(r.revised),
        "categories": list(r.categories),
        "methods": [
            {"kind": m.kind, "value": m.value, "label": m.label, "primary": m.primary}
            for m in r.methods
        ],
        "jobs": [own.job_fields(j) for j in r.jobs],
        "touches": [own.touch_fields(t) for t in r.touches],
        "follow_ups": [own.follow_up_fields(f) for f in r.follow_ups],
    }


def dump(records: Iterable[ContactRecord], exported_at: str, categories: list[str]) -> str:
    doc = {
        "format": "netterm",
        "version": VERSION,
        "exported_at": exported_at,
        "categories": categories,
        "contacts": [contact_dict(r) for r in records],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

"""Google Contacts CSV (contacts.google.com → Export → Google CSV).

Columns are found by header name, never by position; both the current layout
(`First Name`, `Organization Name`, `Labels`, `E-mail 1 - Label` …) and the older one
(`Given Name`, `Organization 1 - Name`, `Group Membership`, `E-mail 1 - Type` …) are
read. A cell may hold several values separated by ` ::: `; a label starting with `* `
marks the primary value. Labels become categories, except Google's own system labels
(`* myContacts`, `* starred`). Notes may span several lines inside quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from netterm.interchange.records import (
    ContactRecord,
    ParseResult,
    Skipped,
    csv_rows,
    fail,
    fit_row,
    header_index,
    method,
    streamed,
    text_source,
    url_kind,
    wrong_format_hint,
)

FORMAT = "google"
MULTI = " ::: "
_GROUP = re.compile(
    r"^(e-mail|phone|website|address|im|relation|event|custom field|external id) (\d+) - (.+)$"
)
_NAME_COLUMNS = ("first name", "given name", "last name", "family name", "name", "file as")
_MAPPED = {
    "first name",
    "given name",
    "middle name",
    "additional name",
    "last name",
    "family name",
    "name",
    "file as",
    "nickname",
    "organization name",
    "organization 1 - name",
    "organization title",
    "organization 1 - title",
    "notes",
    "labels",
    "group membership",
}
#: columns that say nothing about the person, never reported as "not imported"
_NOISE = {"organization 1 - type", "photo", "name prefix", "name suffix"}


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(MULTI.strip()) if v.strip()] if cell else []


#: Google's own groups, not the user's: `* myContacts` in its CSV, `myContacts` in its vCards
GOOGLE_GROUPS = ("mycontacts", "starred")


def system_label(name: str) -> bool:
    """A label Google adds by itself (`* myContacts`, `* starred`)."""
    return name.startswith("*") or name.strip().casefold() in GOOGLE_GROUPS


def load(path: str | Path, cancel=None, *, stream: bool = False) -> ParseResult:
    """The file read through `guard.open_text` (bounded memory, cancellable). With
    `stream`, only its header is read now, its rows as the import goes
    (`ParseResult.pending`)."""
    result = streamed(path, cancel, stream_rows)
    return result if stream else result.read_all()


def parse(data: bytes | str | Iterable[str], source: str = "contacts.csv") -> ParseResult:
    """Every record of the file at once."""
    return stream_rows(data, source).read_all()


def stream_rows(data: bytes | str | Iterable[str], source: str = "contacts.csv") -> ParseResult:
    """The header read now (a wrong file fails here); the rows left in `pending`."""
    text, head = text_source(data, source)
    result = ParseResult(source, FORMAT)
    rows = csv_rows(text, source)
    first_row = next(rows, None)
    cols = header_index(first_row[1]) if first_row else {}
    if not any(c in cols for c in _NAME_COLUMNS) or "connected on" in cols:
        raise fail(
            source,
            first_row[0] if first_row else 0,
            "no Google Contacts header (First Name, Last Name, Labels, E-mail 1 - Value …)"
            + (wrong_format_hint(head, FORMAT) or "; export again as 'Google CSV'"),
        )
    width = len(first_row[1])
    groups: dict[str, dict[int, dict[str, int]]] = {}
    ignored_columns: dict[int, str] = {}
    for name, i in cols.items():
        m = _GROUP.match(name)
        if m:
            groups.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = i
            if m.group(1) in ("e-mail", "phone", "website", "address"):
                continue
            ignored_columns[i] = first_row[1][i].split(" - ")[0].strip()
        elif name not in _MAPPED and name not in _NOISE and not name.startswith("phonetic"):
            ignored_columns[i] = first_row[1][i].strip()

    def get(row: list[str], *names: str) -> str:
        for name in names:
            i = cols.get(name)
            if i is not None and row[i].strip():
                return row[i].strip()
        return ""

    def rows_of() -> Iterator[ContactRecord]:
        for line, row in rows:
            row = fit_row(row, width, source, line)
            if not any(c.strip() for c in row):
                continue
            one = lambda *names, r=row: " ".join(get(r, *names).split())  # noqa: E731
            first = " ".join(
                p
                for p in (one("first name", "given name"), one("middle name", "additional name"))
                if p
            )
            last = one("last name", "family name")
            if not (first or last):
                first = one("name", "file as", "nickname")
            company = one("organization name", "organization 1 - name")
            if not first and not last:
                what = f" (only {company})" if company else ""
                result.skipped.append(Skipped(source, line, f"no name{what}"))
                continue
            record = ContactRecord(
                line=line,
                source=source,
                first_name=first,
                last_name=last,
                company=company,
                job_title=one("organization title", "organization 1 - title"),
                notes=get(row, "notes").replace("\r\n", "\n"),
            )
            for label in _values(get(row, "labels", "group membership")):
                if not system_label(label):
                    record.categories.append(label)
            for group, kind in (("e-mail", "email"), ("phone", "phone"), ("website", "website")):
                for _, parts in sorted(groups.get(group, {}).items()):
                    value_i = parts.get("value")
                    if value_i is None:
                        continue
                    label_i = parts.get("label", parts.get("type"))
                    values = _values(row[value_i])
                    labels = _values(row[label_i]) if label_i is not None else []
                    if len(labels) != len(values):  # one label for all the values
                        labels = labels[:1] * len(values) if labels else [""] * len(values)
                    for value, label in zip(values, labels, strict=True):
                        primary = label.startswith("*")
                        label = label.lstrip("* ").strip().lower()
                        k = url_kind(value) if kind == "website" else kind
                        if k == kind == "website" and label in ("linkedin", "github"):
                            k = label
                        m = method(k, value, label, primary, result.problems, source, line)
                        if m is not None:
                            record.methods.append(m)
            for _, parts in sorted(groups.get("address", {}).items()):
                where = [row[parts[k]].strip() for k in ("city", "country") if k in parts]
                where = [w for w in where if w]
                if not where and "region" in parts and row[parts["region"]].strip():
                    where = [row[parts["region"]].strip()]
                if where:
                    record.location = ", ".join(where)
                    break
            for i, name in ignored_columns.items():
                if row[i].strip():
                    result.ignored[name] += 1
            yield record

    result.pending = rows_of()
    return result

"""Finding a contact by a few typed letters (the quick-log's picker, the palette)."""

from __future__ import annotations

from collections.abc import Iterable

from netterm.core.names import fold
from netterm.core.status import ARCHIVED
from netterm.services.views import SEP, NetworkRow


def match_contacts(rows: Iterable[NetworkRow], query: str, limit: int = 8) -> list[NetworkRow]:
    """Active contacts whose name holds every word of `query` (accents, case ignored).

    Names starting with the query come first, then names where every word starts a
    word of the name ("ana s" → Ana Silva), then any match; within each group, the
    order of `rows` (the list's order: most urgent first).
    """
    q = fold(query)
    words = q.split()
    if not words:
        return []
    groups: tuple[list[NetworkRow], list[NetworkRow], list[NetworkRow]] = ([], [], [])
    for row in rows:
        if row.state == ARCHIVED:
            continue
        # the folded name and former names: the first field of the search text (not
        # row.field_text, which keeps every field split for each row it is asked about)
        name = row.search_text.partition(SEP)[0]
        if not all(w in name for w in words):
            continue
        if name.startswith(q):
            groups[0].append(row)
        elif all(name.startswith(w) or f" {w}" in name for w in words):
            groups[1].append(row)
        elif len(groups[2]) < limit:
            groups[2].append(row)
        if len(groups[0]) >= limit:
            break
    return (groups[0] + groups[1] + groups[2])[:limit]

"""Finding a contact by a few typed letters (the quick-log's picker, the palette)."""

from __future__ import annotations

from collections.abc import Iterable

from netterm.core.identity import CONTAINS, EXACT, PREFIXES, NameQuery, close_spellings
from netterm.core.status import ARCHIVED
from netterm.services.rowviews import SEP, NetworkRow


def match_contacts(rows: Iterable[NetworkRow], query: str, limit: int = 8) -> list[NetworkRow]:
    """Active contacts the query names, strongest matches first (`core.identity`).

    The same ranking as the command line's WHO: the same words in any order, then
    whole words, then word prefixes ("ana s" → Ana Silva), then words inside the name;
    former names count. Within each group, the order of `rows` (the list's order: most
    urgent first). When nothing matches literally, the closest spellings ("ana slva").
    A single letter lists the first names it starts a word of, without reading on.
    """
    q = NameQuery(query)
    if not q:
        return []
    rows = rows if isinstance(rows, list) else list(rows)
    groups: dict[int, list[NetworkRow]] = {s: [] for s in range(CONTAINS, EXACT + 1)}
    exact = groups[EXACT]
    first_letter = len(q.folded) == 1  # the first keystroke: no full pass for one letter
    strong = 0
    longest = max(q.words, key=len)
    for row in rows:
        text = row.search_text
        if longest not in text:  # most rows, rejected at C speed
            continue
        # the folded name and former names: the first field of the search text (not
        # row.field_text, which keeps every field split for each row it is asked about)
        names = text.partition(SEP)[0]
        if not q.prefilter(names) or row.state == ARCHIVED:
            continue
        # former names are in the field after the name: pass the field as extra words
        strength = q.strength(row.name, names if len(names) > len(row.name) else "")
        if strength:
            group = groups[strength]
            if len(group) < limit:
                group.append(row)
                if len(exact) >= limit:
                    break
                if first_letter and strength >= PREFIXES:
                    strong += 1
                    if strong >= limit:  # one letter: the most urgent names it starts
                        break
    found = [row for s in range(EXACT, CONTAINS - 1, -1) for row in groups[s]][:limit]
    if found:
        return found
    active = [row for row in rows if row.state != ARCHIVED]
    return close_spellings(q, active, lambda row: row.name)[:limit]

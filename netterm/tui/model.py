"""The contacts list as the app holds it: every row, the sort order, the filter, the view.

Pure Python (no Textual), so it is unit-tested directly. The table widget draws
`ContactsModel.view`; screens change it only through the methods here.

Refreshes are *stable*: when the watcher reports that a contact changed, its row is
replaced where it stands (restyled, not moved), so the list does not jump under the
user's cursor while they work through it. The order and the filter are applied again
when the user changes them (or presses `r`). Rows the user archives leave the view at
once, and come back at the same place on undo.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from netterm.core import status as st
from netterm.core.query import Query, Term, parse_query
from netterm.services.rowviews import Counts, NetworkRow

#: Sort orders: name → (label, key). Urgency is the order the services load rows in.
SORTS: dict[str, tuple[str, Callable[[NetworkRow], tuple]]] = {
    "urgency": (
        "most urgent first",
        lambda r: (st.STATE_RANK[r.state], -r.urgency, r.name.casefold(), r.id),
    ),
    "name": ("by name", lambda r: (r.name.casefold(), r.id)),
    "last": (
        "stalest first",
        lambda r: (r.last_touch is not None, r.last_touch or 0, r.name.casefold(), r.id),
    ),
    "company": (
        "by company",
        lambda r: (not r.company, (r.company or "").casefold(), r.name.casefold(), r.id),
    ),
}
SORT_ORDER = tuple(SORTS)


def needs_attention(row: NetworkRow) -> bool:
    """What triage (`n`) stops at: overdue, due soon, or a follow-up due."""
    return row.state in (st.OVERDUE, st.DUE_SOON) or st.FOLLOW_UP_DUE in row.flags


def signature(row: NetworkRow) -> tuple:
    """Everything about a row that is shown or searched: equal signatures, same pixels."""
    return (
        row.state,
        row.due,
        row.overdue,
        row.urgency,
        row.flags,
        row.name,
        row.title,
        row.company,
        row.tier,
        row.cadence,
        row.categories,
        row.last_touch,
        row.last_touch_kind,
        row.search_text,
    )


@dataclass(slots=True)
class Update:
    """What `ContactsModel.update` changed, for the table and the notifications."""

    restyled: set[int] = field(default_factory=set)  # ids of rows replaced in place
    moved: bool = False  # rows were inserted into / removed from the view
    everything: bool = False  # repaint every row (a new day: every "3 days ago" moved)
    became_unresponsive: list[NetworkRow] = field(default_factory=list)


def refines(new: Query, old: Query) -> bool:
    """True if every row matching `new` also matches `old` (typing narrowed the filter).

    Then the new filter can run over the old result instead of the whole network.
    """
    if new.wants_archived != old.wants_archived or len(new.terms) < len(old.terms):
        return False
    return all(_term_refines(n, o) for n, o in zip(new.terms, old.terms, strict=False))


def _term_refines(new: Term, old: Term) -> bool:
    if new == old:
        return True
    if new.key != old.key or new.negated or old.negated or new.key in ("state", "flag", "tier"):
        return False
    # substring terms: a longer word containing the old one matches fewer rows
    return isinstance(new.value, str) and isinstance(old.value, str) and old.value in new.value


class ContactsModel:
    def __init__(self) -> None:
        self._all: list[NetworkRow] = []
        self.by_id: dict[int, NetworkRow] = {}
        self.view: list[NetworkRow] = []
        self.sort = "urgency"
        self.query: Query = parse_query("")
        self.today: date | None = None
        self.counts: Counts | None = None
        #: False while only the first page is loaded.
        self.complete = False
        self._view_exact = True  # view == query.filter(_all) right now
        self._view_pos: dict[int, int] | None = None
        self._all_pos: dict[int, int] | None = None
        #: Contacts marked for a bulk action (space, *), shown or not.
        self.marked: set[int] = set()

    # ------------------------------------------------------------------ reading
    @property
    def total(self) -> int:
        """Active (not archived) contacts, from the latest counts when known."""
        if self.counts is not None:
            return self.counts.total
        return sum(1 for r in self._all if r.state != st.ARCHIVED)

    @property
    def query_text(self) -> str:
        return self.query.text

    @property
    def sort_label(self) -> str:
        return SORTS[self.sort][0]

    def index_of(self, contact_id: int | None) -> int | None:
        if contact_id is None:
            return None
        if self._view_pos is None:
            self._view_pos = {r.id: i for i, r in enumerate(self.view)}
        return self._view_pos.get(contact_id)

    def all_rows(self) -> list[NetworkRow]:
        return self._all

    # ------------------------------------------------------------------ marks
    def toggle_mark(self, contact_id: int) -> bool:
        """Mark or unmark one contact; True if it is marked now."""
        if contact_id in self.marked:
            self.marked.discard(contact_id)
            return False
        self.marked.add(contact_id)
        return True

    def mark_view(self) -> int:
        """Mark every row the view shows; if all were marked already, unmark them.
        Returns how many changed."""
        shown = {r.id for r in self.view}
        if shown <= self.marked:
            self.marked -= shown
        else:
            shown -= self.marked
            self.marked |= shown
        return len(shown)

    def clear_marks(self) -> int:
        n = len(self.marked)
        self.marked.clear()
        return n

    def marked_ids(self) -> list[int]:
        """The marked contacts still in the network, in the view's order first."""
        order = [r.id for r in self.view if r.id in self.marked]
        seen = set(order)
        return order + sorted(i for i in self.marked if i not in seen and i in self.by_id)

    # ------------------------------------------------------------------ loading
    def load(self, rows: Iterable[NetworkRow], today: date, *, complete: bool = True) -> None:
        """Replace every row (first page, then the whole network); sort and filter kept."""
        self._all = list(rows)
        self.by_id = {r.id: r for r in self._all}
        self.today = today
        self.complete = complete
        if self.sort != "urgency":
            self._all.sort(key=SORTS[self.sort][1])
        self._all_pos = None
        self._refilter()

    # ------------------------------------------------------------------ filter and sort
    def set_filter(self, text: str) -> None:
        """Filter with the query language of `netterm list`; InvalidInput keeps the old view."""
        query = parse_query(text)
        if query == self.query and self._view_exact:
            return
        if self._view_exact and refines(query, self.query):
            # Typing narrowed the filter: only the terms that changed run, over the rows
            # shown now (archived ones are already in or out as the query wants).
            changed = tuple(
                t for i, t in enumerate(query.terms) if t not in self.query.terms[i : i + 1]
            )
            narrowing = Query(query.text, changed, wants_archived=True)
            self.view = narrowing.filter(self.view)
        else:
            self.view = query.filter(self._all)
        self.query = query
        self._view_exact = True
        self._view_pos = None

    def set_sort(self, name: str) -> None:
        if name not in SORTS:
            raise ValueError(f"unknown sort '{name}'")
        self.sort = name
        self.resort()

    def next_sort(self) -> str:
        i = SORT_ORDER.index(self.sort)
        self.set_sort(SORT_ORDER[(i + 1) % len(SORT_ORDER)])
        return self.sort

    def resort(self) -> None:
        """Apply the order and the filter again (rows that changed move to their place)."""
        self._all.sort(key=SORTS[self.sort][1])
        self._all_pos = None
        self._refilter()

    def _refilter(self) -> None:
        self.view = self.query.filter(self._all)
        self._view_exact = True
        self._view_pos = None

    # ------------------------------------------------------------------ changes
    def update(self, rows: Iterable[NetworkRow], removed: Iterable[int] = ()) -> Update:
        """Fresh rows from the services: replaced in place, new ones inserted in order."""
        out = Update()
        for row in rows:
            old = self.by_id.get(row.id)
            if old is None:
                self._insert(row)
                out.moved = True
                continue
            if signature(old) == signature(row):
                continue
            if row.state == st.UNRESPONSIVE and old.state != st.UNRESPONSIVE:
                out.became_unresponsive.append(row)
            self._replace(old, row)
            if self.index_of(row.id) is not None:
                out.restyled.add(row.id)
        for cid in removed:
            self.marked.discard(cid)  # purged or merged away
            old = self.by_id.pop(cid, None)
            if old is None:
                continue
            self._all.remove(old)
            self._all_pos = None
            if self.index_of(cid) is not None:
                self.view.remove(old)
                self._view_pos = None
                out.moved = True
        return out

    def _replace(self, old: NetworkRow, row: NetworkRow) -> None:
        self.by_id[row.id] = row
        if self._all_pos is None:
            self._all_pos = {r.id: i for i, r in enumerate(self._all)}
        self._all[self._all_pos[row.id]] = row
        i = self.index_of(row.id)
        if i is not None:
            self.view[i] = row
        self._view_exact = False

    def _insert(self, row: NetworkRow) -> None:
        key = SORTS[self.sort][1]
        self.by_id[row.id] = row
        bisect.insort(self._all, row, key=key)
        self._all_pos = None
        if self.query.matches(row):
            bisect.insort(self.view, row, key=key)
            self._view_pos = None

    def hide(self, contact_id: int) -> int | None:
        """Take a row out of the view (it was archived); returns where it stood."""
        i = self.index_of(contact_id)
        if i is not None:
            del self.view[i]
            self._view_pos = None
            self._view_exact = False
        return i

    def reconsider(self, contact_ids: Iterable[int]) -> bool:
        """Rows changed elsewhere (the audit archived, merged or restored them): each
        leaves the view or comes back to its place as the filter now says. True if the
        view changed."""
        changed = False
        for cid in contact_ids:
            row = self.by_id.get(cid)
            if row is None:
                continue
            shown = self.index_of(cid) is not None
            if shown and not self.query.matches(row):
                self.hide(cid)
                changed = True
            elif not shown and self.query.matches(row):
                self.show(cid, None)
                changed = True
        return changed

    def show(self, contact_id: int, index: int | None) -> int | None:
        """Put a hidden row back where it stood (undo of an archive)."""
        row = self.by_id.get(contact_id)
        if row is None or self.index_of(contact_id) is not None:
            return self.index_of(contact_id)
        if index is None:
            index = bisect.bisect(self.view, SORTS[self.sort][1](row), key=SORTS[self.sort][1])
        index = max(0, min(index, len(self.view)))
        self.view.insert(index, row)
        self._view_pos = None
        self._view_exact = False
        return index

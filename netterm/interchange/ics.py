"""iCalendar (RFC 5545) for a calendar app, written with `icalendar`.

What a calendar can live with: catch-ups (overdue or due soon) are to-dos (VTODO) due on
the day they fell due — a task list shows the overdue ones as overdue, instead of
hundreds of all-day events piled on today — and planned follow-ups are all-day events
on their day. Every entry's UID is stable: a contact's catch-up keeps its UID whatever
its due date, a follow-up keeps its own, so re-importing or subscribing to a fresh
export updates the entries a calendar already has instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

EVENT, TODO = "VEVENT", "VTODO"


@dataclass(frozen=True, slots=True)
class Entry:
    uid: str
    component: str  # VTODO (a catch-up due on a day) or VEVENT (a follow-up planned on a day)
    day: date
    summary: str
    description: str = ""
    categories: tuple[str, ...] = ()
    priority: int = 0  # RFC 5545: 1 highest … 9 lowest, 0 undefined


def dump(entries: Iterable[Entry], prodid: str, now: datetime, name: str = "netterm") -> str:
    from icalendar import Calendar, Event, Todo

    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", prodid)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", name)
    stamp = now.astimezone(UTC)
    for e in entries:
        item = Event() if e.component == EVENT else Todo()
        item.add("UID", e.uid)
        item.add("DTSTAMP", stamp)
        if e.component == EVENT:
            item.add("DTSTART", e.day)
            item.add("DTEND", e.day + timedelta(days=1))
            item.add("TRANSP", "TRANSPARENT")
        else:
            item.add("DUE", e.day)
            item.add("STATUS", "NEEDS-ACTION")
            if e.priority:
                item.add("PRIORITY", e.priority)
        item.add("SUMMARY", e.summary)
        if e.description:
            item.add("DESCRIPTION", e.description)
        if e.categories:
            item.add("CATEGORIES", list(e.categories))
        cal.add_component(item)
    return cal.to_ical().decode("utf-8")

"""iCalendar (RFC 5545) for a calendar app: catch-ups as all-day events, follow-ups as to-dos.

Lines end in CRLF and are folded at 75 octets; text is escaped. Each entry has a
stable UID, so re-importing or subscribing to a fresh export updates the entries a
calendar already has instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from netterm.interchange.records import UTC, escape, fold

EVENT, TODO = "VEVENT", "VTODO"


@dataclass(frozen=True, slots=True)
class Entry:
    uid: str
    component: str  # VEVENT (a catch-up on a day) or VTODO (a follow-up due on a day)
    day: date
    summary: str
    description: str = ""
    categories: tuple[str, ...] = ()


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def dump(entries: Iterable[Entry], prodid: str, now: datetime, name: str = "netterm") -> str:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for e in entries:
        lines.append(f"BEGIN:{e.component}")
        lines.append(f"UID:{escape(e.uid)}")
        lines.append(f"DTSTAMP:{stamp}")
        if e.component == EVENT:
            lines.append(f"DTSTART;VALUE=DATE:{_day(e.day)}")
            lines.append(f"DTEND;VALUE=DATE:{_day(e.day + timedelta(days=1))}")
            lines.append("TRANSP:TRANSPARENT")
        else:
            lines.append(f"DUE;VALUE=DATE:{_day(e.day)}")
            lines.append("STATUS:NEEDS-ACTION")
        lines.append(f"SUMMARY:{escape(e.summary)}")
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        if e.categories:
            lines.append("CATEGORIES:" + ",".join(escape(c) for c in e.categories))
        lines.append(f"END:{e.component}")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

"""Meetings from an iCalendar file (.ics) or a folder of them (khal, vdirsyncer).

Parsed with `icalendar`; Google's `X-WR-TIMEZONE` exports are made standard first with
`x-wr-timezone` (their times are UTC and the calendar's zone is only in that header);
recurring events are expanded with `recurring-ical-events` (RRULE, RDATE, EXDATE and
overridden occurrences by RECURRENCE-ID). Nothing is parsed by hand.

Each occurrence becomes a `Meeting`: identity (UID and the occurrence's original start,
stable when an occurrence is moved), start, title, location, description and
conference link, status, organizer and attendees with their PARTSTAT. Which meetings
are touches is decided by `netterm.core.capture.meeting_people`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from netterm.interchange import guard
from netterm.interchange.records import fail

#: how far ahead future meetings are read (they become the contact's next planned meeting)
FUTURE_DAYS = 366


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    address: str  # e-mail address, `mailto:` removed
    partstat: str = ""  # ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION … ("" for organizers)


@dataclass(frozen=True, slots=True)
class Meeting:
    where: str  # FILE (and the event's UID) for messages
    key: str  # UID/original start of the occurrence
    start: datetime | date  # aware datetime, or a date for all-day events
    title: str
    location: str
    description: str
    conference: str
    status: str  # CONFIRMED, TENTATIVE, CANCELLED or ""
    organizer: Person | None
    attendees: tuple[Person, ...]
    owner: str = ""  # the calendar's own address, where its name is one (Google: X-WR-CALNAME)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


def calendar_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.ics") if p.is_file() and not p.name.startswith("."))
    return [path]


def _address(value) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip()


def _person(prop, organizer: bool = False) -> Person | None:
    if prop is None:
        return None
    address = _address(prop)
    params = getattr(prop, "params", {}) or {}
    name = str(params.get("CN", "") or "").strip().strip('"')
    if "@" not in address:
        return None
    part = "" if organizer else str(params.get("PARTSTAT", "") or "").upper()
    return Person(name, address, part)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _key(uid: str, rid, start) -> str:
    """UID/original start: RECURRENCE-ID when the occurrence has one (stable when moved)."""
    moment = rid if rid is not None else start
    if isinstance(moment, datetime):
        stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    else:
        stamp = moment.strftime("%Y%m%d")
    return f"{uid}/{stamp}"


def _attendees(event) -> list:
    value = event.get("ATTENDEE")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


#: what makes an event more than its one occurrence
_RECURRENCE = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


def _single_events(cal, end: date) -> tuple[list, object | None]:
    """The events that are their own one occurrence (no RRULE, RDATE, EXDATE or
    RECURRENCE-ID, and a UID no other event shares) up to `end`, taken as they are; and a
    calendar of everything else (the series and their overridden occurrences, with the
    time zones) for `recurring-ical-events` to expand, or None when there is none.
    Most of a real calendar is single events, and expanding them through the library
    costs a copy of each (about half the time of a 5,000-event import, docs/capture.md)."""
    import icalendar

    events = [c for c in cal.subcomponents if c.name == "VEVENT"]
    uids = Counter(_text(e.get("UID")) for e in events)
    single: list = []
    rest: list = []
    for ev in events:
        uid = _text(ev.get("UID"))
        if uid and uids[uid] == 1 and not any(k in ev for k in _RECURRENCE):
            start = ev.get("DTSTART")
            if start is not None:
                day = start.dt.date() if isinstance(start.dt, datetime) else start.dt
                if day < end:
                    single.append(ev)
            continue
        rest.append(ev)
    if not rest:
        return single, None
    series = icalendar.Calendar()
    for component in cal.subcomponents:
        if component.name != "VEVENT":
            series.add_component(component)
    for ev in rest:
        series.add_component(ev)
    return single, series


def meetings(path: Path, today: date, tz, progress=None, cancel=None) -> Iterator[Meeting]:
    """Every occurrence up to `today` + FUTURE_DAYS, file by file."""
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    files = calendar_files(path)
    end = today + timedelta(days=FUTURE_DAYS)
    for n, f in enumerate(files, start=1):
        name = str(f)
        guard.check_cancel(cancel)
        with guard.open_binary(f, guard.MAX_WHOLE_FILE_BYTES) as fh:
            try:
                data = fh.read()
            except OSError as exc:
                raise fail(name, 0, f"cannot read it ({exc.strerror or exc})") from None
        if not data.strip():
            continue
        try:
            cals = icalendar.Calendar.from_ical(data, multiple=True)
        except (ValueError, IndexError, KeyError, TypeError) as exc:
            raise fail(name, 0, f"not a readable iCalendar file ({exc})") from None
        for cal in cals:
            if cal.name != "VCALENDAR":
                raise fail(
                    name, 1, f"not an iCalendar file (it holds a {cal.name}, not a VCALENDAR)"
                )
            calname = _text(cal.get("X-WR-CALNAME"))
            owner = calname if "@" in calname and " " not in calname else ""
            try:
                cal = x_wr_timezone.to_standard(cal)
                events, series = _single_events(cal, end)
                if series is not None:
                    events += recurring_ical_events.of(series, skip_bad_series=True).between(
                        date(1900, 1, 1), end
                    )
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise fail(name, 0, f"cannot expand its events ({exc})") from None
            for ev in events:
                if ev.name != "VEVENT":
                    continue
                start_prop = ev.get("DTSTART")
                if start_prop is None:
                    continue
                start = start_prop.dt
                if isinstance(start, datetime) and start.tzinfo is None:
                    start = start.replace(tzinfo=tz)  # floating time: the user's zone
                uid = _text(ev.get("UID")) or f"{name}#{_text(ev.get('SUMMARY'))}"
                rid_prop = ev.get("RECURRENCE-ID")
                rid = rid_prop.dt if rid_prop is not None else None
                if isinstance(rid, datetime) and rid.tzinfo is None:
                    rid = rid.replace(tzinfo=tz)
                conference = " ".join(
                    _text(ev.get(k)) for k in ("X-GOOGLE-CONFERENCE", "CONFERENCE", "URL")
                ).strip()
                yield Meeting(
                    where=f"{name} (UID {uid})",
                    key=_key(uid, rid, start),
                    start=start,
                    title=" ".join(_text(ev.get("SUMMARY")).split()),
                    location=" ".join(_text(ev.get("LOCATION")).split()),
                    description=_text(ev.get("DESCRIPTION")),
                    conference=conference,
                    status=_text(ev.get("STATUS")).upper(),
                    organizer=_person(ev.get("ORGANIZER"), organizer=True),
                    attendees=tuple(p for p in map(_person, _attendees(ev)) if p is not None),
                    owner=owner,
                )
        if progress is not None:
            progress(n, len(files))

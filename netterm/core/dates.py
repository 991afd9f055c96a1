"""Dates people type, and dates shown back to them.

`parse_date("last friday", today)` understands what the quick-log and the command line
accept: today, yesterday, tomorrow, "3 days ago", "a week ago", "in 2 weeks", weekdays
("friday", "last fri", "next monday"), "last week/month/year", ISO dates, "20 Nov",
"Nov 20 2025", "20 November 2025", and numeric dates "31/12/2025", "31.12.2025", "31/12"
read day first (or month first with `order="mdy"`, the `dates.order` setting; a date
that only reads one way, like 12/31/2025, is read that way). Case does not matter.
Anything else raises `InvalidInput` naming the text.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from netterm.errors import InvalidInput

if TYPE_CHECKING:
    import pendulum

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_ABBR = tuple(m[:3].title() for m in MONTHS)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ALIASES = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
}
_UNITS = {
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "wk": "weeks",
    "wks": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "mo": "months",
    "mon": "months",
    "month": "months",
    "months": "months",
    "y": "years",
    "yr": "years",
    "yrs": "years",
    "year": "years",
    "years": "years",
}

#: What a date that already happened (a touch, a meeting) can look like.
PAST_HINT = "try today, yesterday, '3 days ago', 'last friday', 20 Nov or 2026-11-20"
#: What a planned date (a follow-up, a snooze) can look like.
FUTURE_HINT = "try tomorrow, friday, 'next monday', 'in 2 weeks', 20 Dec or 2026-12-20"
HINT = PAST_HINT

DMY, MDY = "dmy", "mdy"
DATE_ORDERS = (DMY, MDY)

_NUM = r"(\d+|a couple of|couple of|a few|few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(d|days?|w|wks?|weeks?|mo|mon|months?|y|yrs?|years?)"
_AGO = re.compile(rf"^{_NUM}\s*{_UNIT}\s+ago$")
_IN = re.compile(rf"^in\s+{_NUM}\s*{_UNIT}$")
_SHORT = re.compile(rf"^([+-]?)(\d+)\s*{_UNIT}$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})(?:\2(\d{4}))?$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[Tt]| +)\d{1,2}:\d{2}")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")


def _month_number(word: str) -> int | None:
    for i, name in enumerate(MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return i
    if word == "sept":
        return 9
    return None


def _weekday(word: str) -> int | None:
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    return _WEEKDAY_ALIASES.get(word)


def _shift(today: date, amount: int, unit: str) -> date:
    import pendulum

    d = pendulum.date(today.year, today.month, today.day)
    try:
        return _plain(d.add(**{unit: amount}))
    except (ValueError, OverflowError):  # before year 1 or after 9999
        raise InvalidInput("date", f"{abs(amount)} {unit} from today is out of range") from None


def _plain(d: date) -> date:
    import pendulum

    return pendulum.date(d.year, d.month, d.day)


def _make(year: int, month: int, day: int, text: str) -> date:
    import pendulum

    try:
        return pendulum.date(year, month, day)
    except ValueError:
        raise InvalidInput("date", f"'{text}' is not a real date") from None


#: The dates netterm accepts: a touch, a meeting, a follow-up or a pause outside them is
#: a typo (0001-01-01, 9999-12-31), and would not survive an iCalendar or vCard export.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def in_range(d: date, raw: object) -> date:
    """`d` if it lies within EARLIEST…LATEST, else InvalidInput naming the range."""
    if not EARLIEST <= d <= LATEST:
        raise InvalidInput(
            "date", f"'{raw}' is out of range: netterm takes dates from 1900 to 2199"
        )
    return d


def parse_date(text: str, today: date, prefer: str = "past", order: str = DMY) -> date:
    """The calendar date `text` names, relative to `today` (within EARLIEST…LATEST)."""
    return in_range(_parse_date(text, today, prefer, order), text)


def _parse_date(text: str, today: date, prefer: str = "past", order: str = DMY) -> date:
    """The calendar date `text` names, relative to `today`.

    `prefer` decides what a date without a year or direction means: "past" (logging
    what happened: "friday" is the last Friday, "20 Nov" the last 20 November) or
    "future" (planning a follow-up: the next one). `order` ("dmy" or "mdy") reads an
    ambiguous numeric date such as 03/04/2026.
    """
    raw = text
    s = " ".join(str(text).strip().lower().split())
    hint = FUTURE_HINT if prefer == "future" else PAST_HINT
    if not s:
        raise InvalidInput("date", f"empty date; {hint}")
    today = _plain(today)
    future = prefer == "future"

    if s in ("today", "now", "tonight", "this morning", "this afternoon", "this evening"):
        return today
    if s in ("yesterday", "last night"):
        return _shift(today, -1, "days")
    if s == "tomorrow":
        return _shift(today, 1, "days")
    if s in ("day before yesterday", "the day before yesterday"):
        return _shift(today, -2, "days")
    if s in ("day after tomorrow", "the day after tomorrow"):
        return _shift(today, 2, "days")

    m = _AGO.match(s)
    if m:
        return _shift(today, -_amount(m.group(1)), _UNITS[m.group(2)])
    m = _IN.match(s)
    if m:
        return _shift(today, _amount(m.group(1)), _UNITS[m.group(2)])
    m = _SHORT.match(s)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        if not m.group(1) and future:
            sign = 1
        return _shift(today, sign * int(m.group(2)), _UNITS[m.group(3)])

    words = s.split()
    if (
        len(words) == 2
        and words[0] in ("last", "next", "this")
        and words[1]
        in (
            "week",
            "month",
            "year",
        )
    ):
        if words[0] == "this":
            return today
        sign = -1 if words[0] == "last" else 1
        return _shift(today, sign, _UNITS[words[1]])
    if 1 <= len(words) <= 2:
        qualifier = words[0] if len(words) == 2 else None
        wd = _weekday(words[-1])
        if wd is not None and qualifier in (None, "last", "next", "this", "on"):
            return _weekday_date(today, wd, qualifier, future)

    m = _ISO.match(s)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw)
    m = _NUMERIC.match(s)
    if m:
        day, month = _day_month(int(m.group(1)), int(m.group(3)), order)
        return _dated(today, month, day, m.group(4), raw, future)
    m = _DAY_MONTH.match(s)
    if m and (named := _month_number(m.group(2))):
        return _dated(today, named, int(m.group(1)), m.group(3), raw, future)
    m = _MONTH_DAY.match(s)
    if m and (named := _month_number(m.group(1))):
        return _dated(today, named, int(m.group(2)), m.group(3), raw, future)

    raise InvalidInput("date", f"can't understand '{raw}'; {hint}")


def _day_month(first: int, second: int, order: str) -> tuple[int, int]:
    """(day, month) of a numeric date: as `order` says, unless only the other reads."""
    if order == MDY and not (first > 12 >= second):
        return second, first
    if order != MDY and second > 12 >= first:
        return second, first  # 12/31/2025 reads only month first
    return first, second


def _amount(word: str) -> int:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS[word]


def _weekday_date(today: date, wd: int, qualifier: str | None, future: bool) -> date:
    delta_back = (today.weekday() - wd) % 7
    delta_fwd = (wd - today.weekday()) % 7
    if qualifier == "last":
        return today - timedelta(days=delta_back or 7)
    if qualifier == "next":
        return today + timedelta(days=delta_fwd or 7)
    if qualifier == "this":
        return today + timedelta(days=delta_fwd) if future else today - timedelta(days=delta_back)
    # bare weekday: the most recent one (today included), or the coming one
    return _plain(
        today + timedelta(days=delta_fwd) if future else today - timedelta(days=delta_back)
    )


def _dated(today: date, month: int, day: int, year: str | None, raw: str, future: bool) -> date:
    import pendulum

    if year:
        return _make(int(year), month, day, raw)
    candidate_year = today.year
    # 29 Feb without a year: the nearest leap year in the preferred direction.
    for _ in range(8):
        try:
            d = pendulum.date(candidate_year, month, day)
        except ValueError:
            if not (month == 2 and day == 29):
                raise InvalidInput("date", f"'{raw}' is not a real date") from None
            candidate_year += 1 if future else -1
            continue
        if not future and d > today:
            candidate_year -= 1
            continue
        if future and d < today:
            candidate_year += 1
            continue
        return d
    raise InvalidInput("date", f"'{raw}' is not a real date")


def parse_when(text: str | None, now: pendulum.DateTime, order: str = DMY) -> pendulum.DateTime:
    """When a touch happened: now for today/now/empty, else noon local on that date.

    Noon keeps the event on the same calendar day across DST changes and travel.
    An ISO date-time ("2026-11-20T18:30") is taken as given, in the local timezone.
    """
    import pendulum

    if text is None or not str(text).strip() or str(text).strip().lower() in ("now", "today"):
        return now
    stripped = str(text).strip()
    if _ISO_TIME.match(stripped):
        try:
            parsed = pendulum.parse(stripped, tz=now.timezone)
        except Exception:
            raise InvalidInput("date", f"can't understand '{text}'; {PAST_HINT}") from None
        if isinstance(parsed, pendulum.DateTime):
            return _storable(parsed.in_tz(now.timezone or "UTC"), text)
    d = parse_date(stripped, now.date(), prefer="past", order=order)
    return _storable(pendulum.datetime(d.year, d.month, d.day, 12, tz=now.timezone), text)


def _storable(moment: pendulum.DateTime, text: str) -> pendulum.DateTime:
    """Instants are stored in UTC, within EARLIEST…LATEST (see `in_range`)."""
    try:
        moment.in_tz("UTC")
    except (OverflowError, ValueError):
        raise InvalidInput("date", f"'{text}' is out of range") from None
    in_range(moment.date(), text)
    return moment


# --------------------------------------------------------------------------- display


def short_date(d: date, today: date | None = None) -> str:
    """'3 Aug' this year, '3 Aug 2025' otherwise."""
    text = f"{d.day} {MONTH_ABBR[d.month - 1]}"
    if today is None or d.year != today.year:
        text += f" {d.year}"
    return text


def days_phrase(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def ago(d: date | None, today: date) -> str:
    """'today', 'yesterday', '3 days ago', '2 weeks ago', '3 months ago', '2 years ago'."""
    if d is None:
        return "never"
    days = today.toordinal() - d.toordinal()
    if days < 0:
        return "in " + _span(-days)
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return _span(days) + " ago"


def _span(days: int) -> str:
    if days < 14:
        return f"{days} day" + ("s" if days != 1 else "")
    if days < 60:
        w = days // 7
        return f"{w} weeks"
    if days < 365 * 2 - 30:
        m = max(2, round(days / 30.44))
        if m >= 12:
            y = days / 365.25
            return "1 year" if y < 1.5 else f"{round(y)} years"
        return f"{m} months"
    return f"{round(days / 365.25)} years"


CADENCE_NAMES = {
    7: "weekly",
    14: "fortnightly",
    30: "monthly",
    31: "monthly",
    60: "every two months",
    90: "quarterly",
    91: "quarterly",
    180: "twice a year",
    182: "twice a year",
    365: "yearly",
    730: "every two years",
}


def window_phrase(days: int) -> str:
    """A look-back window in words: 'the last 12 months', 'the last 6 months',
    'the last 45 days' (a window setting is in days; people think in months)."""
    months = days / 30.44
    if days >= 56 and abs(months - round(months)) < 0.15:
        n = round(months)
        return "the last month" if n == 1 else f"the last {n} months"
    if days % 7 == 0 and days >= 14:
        return f"the last {days // 7} weeks"
    return "the last day" if days == 1 else f"the last {days} days"


def cadence_phrase(days: int | None) -> str:
    """'quarterly (every 90 days)', 'twice a year (every 180 days)', …"""
    if days is None:
        return "no cadence"
    name = CADENCE_NAMES.get(days)
    return f"{name} (every {days} days)" if name else f"every {days} days"


def due_phrase(days_overdue: int | None) -> str:
    """The due column: 'overdue 12d', 'due today', 'in 5d'."""
    if days_overdue is None:
        return ""
    if days_overdue > 0:
        return f"overdue {days_overdue}d"
    if days_overdue == 0:
        return "due today"
    return f"in {-days_overdue}d"

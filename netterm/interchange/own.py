"""netterm's own fields in its export formats: typed checks shared by the JSON and vCard readers.

Each check takes what the file holds (JSON values, or vCard text) and returns a typed
value, or raises `ValueError` with a sentence naming the field; the readers turn that
into `FILE:LINE: …`. Writers use the `*_fields` functions so both formats agree on
order and spelling.
"""

from __future__ import annotations

from datetime import date, datetime

from netterm.core.kinds import DIRECTIONS, TOUCH_KINDS, VALUES, resolve_tier
from netterm.errors import InvalidInput
from netterm.interchange.records import (
    FollowUpRecord,
    JobRecord,
    TouchRecord,
    instant_text,
    parse_instant,
    snippet,
)

#: the order of the components of X-NETTERM-TOUCH / -JOB / -FOLLOW-UP (the note last:
#: it is the free text)
TOUCH_KEYS = (
    "occurred_at",
    "occurred_on",
    "kind",
    "direction",
    "in_person",
    "awaiting_reply",
    "replied_at",
    "value",
    "created_at",
    "note",
)
JOB_KEYS = ("title", "company", "started_on", "ended_on", "source", "recorded_at")
FOLLOW_UP_KEYS = ("due_on", "done_at", "created_at", "text")


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def text(v, what: str) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise ValueError(f"{what}: expected text, got {snippet(v)}")
    return v


def day(v, what: str) -> date | None:
    if _blank(v):
        return None
    if not isinstance(v, str):
        raise ValueError(f"{what}: expected a date like 2026-11-20, got {snippet(v)}")
    try:
        d = date.fromisoformat(v.strip())
    except ValueError:
        raise ValueError(f"{what}: {snippet(v)} is not a date like 2026-11-20") from None
    return _in_range(d, v, what)


def _in_range(d: date, v, what: str) -> date:
    from netterm.core.dates import EARLIEST, LATEST

    if not EARLIEST <= d <= LATEST:
        raise ValueError(f"{what}: {snippet(v)} is out of range (netterm takes 1900 to 2199)")
    return d


def instant(v, what: str) -> datetime | None:
    if _blank(v):
        return None
    if not isinstance(v, str):
        raise ValueError(f"{what}: expected an ISO 8601 instant, got {snippet(v)}")
    try:
        moment = parse_instant(v)
    except (ValueError, OverflowError):
        raise ValueError(
            f"{what}: {snippet(v)} is not an ISO 8601 instant with its offset "
            "(like 2026-11-20T12:00:00+00:00)"
        ) from None
    _in_range(moment.date(), v, what)
    return moment


def flag(v, what: str) -> bool:
    if isinstance(v, bool):
        return v
    if _blank(v):
        return False
    if isinstance(v, str) and v.strip().lower() in ("1", "true", "yes"):
        return True
    if isinstance(v, str) and v.strip().lower() in ("0", "false", "no"):
        return False
    raise ValueError(f"{what}: expected true or false, got {snippet(v)}")


def tier(v) -> int | None:
    if _blank(v):
        return None
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ValueError(f"tier: expected 1, 2, 3 or null, got {snippet(v)}")
    try:
        return resolve_tier(v)
    except InvalidInput as exc:
        raise ValueError(f"tier: {exc.message}") from None


def cadence(v) -> int | None:
    if _blank(v):
        return None
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ValueError(f"cadence: expected a number of days, got {snippet(v)}")
    try:
        n = int(str(v).strip())
    except ValueError:
        raise ValueError(f"cadence: {snippet(v)} is not a number of days") from None
    if not 1 <= n <= 3650:
        raise ValueError(f"cadence: {n} is out of range (1 to 3650 days)")
    return n


def touch(d: dict) -> TouchRecord:
    at = instant(d.get("occurred_at"), "touch occurred_at")
    if at is None:
        raise ValueError("touch: occurred_at is missing")
    on = day(d.get("occurred_on"), "touch occurred_on") or at.date()
    kind = text(d.get("kind"), "touch kind").strip().lower()
    if kind not in TOUCH_KINDS:
        raise ValueError(
            f"touch kind: unknown kind {snippet(kind)}; kinds: {', '.join(TOUCH_KINDS)}"
        )
    direction = text(d.get("direction") or "out", "touch direction").strip().lower()
    if direction not in DIRECTIONS:
        raise ValueError(f"touch direction: {snippet(direction)} is not out, in or mutual")
    value = text(d.get("value") or "none", "touch value").strip().lower()
    if value not in VALUES:
        raise ValueError(f"touch value: {snippet(value)} is not gave, received or none")
    return TouchRecord(
        occurred_at=at,
        occurred_on=on,
        kind=kind,
        direction=direction,
        in_person=flag(d.get("in_person"), "touch in_person"),
        awaiting_reply=flag(d.get("awaiting_reply"), "touch awaiting_reply"),
        replied_at=instant(d.get("replied_at"), "touch replied_at"),
        value=value,
        note=text(d.get("note"), "touch note"),
        created_at=instant(d.get("created_at"), "touch created_at"),
    )


def job(d: dict) -> JobRecord:
    return JobRecord(
        title=text(d.get("title"), "job title"),
        company=text(d.get("company"), "job company"),
        started_on=day(d.get("started_on"), "job started_on"),
        ended_on=day(d.get("ended_on"), "job ended_on"),
        source=text(d.get("source"), "job source").strip() or "manual",
        recorded_at=instant(d.get("recorded_at"), "job recorded_at"),
    )


def follow_up(d: dict) -> FollowUpRecord:
    due = day(d.get("due_on"), "follow-up due_on")
    if due is None:
        raise ValueError("follow-up: due_on is missing")
    body = text(d.get("text"), "follow-up text")
    if not body.strip():
        raise ValueError("follow-up: text is empty")
    return FollowUpRecord(
        due_on=due,
        text=body,
        done_at=instant(d.get("done_at"), "follow-up done_at"),
        created_at=instant(d.get("created_at"), "follow-up created_at"),
    )


# --------------------------------------------------------------------------- writing


def iso(v) -> str | None:
    """A date or instant as the text netterm's formats hold (None stays None)."""
    if v is None:
        return None
    if isinstance(v, datetime):
        return instant_text(v)
    return v.isoformat()


def touch_fields(t: TouchRecord) -> dict:
    return {
        "occurred_at": iso(t.occurred_at),
        "occurred_on": iso(t.occurred_on),
        "kind": t.kind,
        "direction": t.direction,
        "in_person": t.in_person,
        "awaiting_reply": t.awaiting_reply,
        "replied_at": iso(t.replied_at),
        "value": t.value,
        "created_at": iso(t.created_at),
        "note": t.note,
    }


def job_fields(j: JobRecord) -> dict:
    return {
        "title": j.title,
        "company": j.company,
        "started_on": iso(j.started_on),
        "ended_on": iso(j.ended_on),
        "source": j.source,
        "recorded_at": iso(j.recorded_at),
    }


def follow_up_fields(f: FollowUpRecord) -> dict:
    return {
        "due_on": iso(f.due_on),
        "done_at": iso(f.done_at),
        "created_at": iso(f.created_at),
        "text": f.text,
    }

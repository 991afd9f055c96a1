"""The rules of capture: touches read from the user's own mail, calendar and LinkedIn.

Pure functions, no I/O (docs/capture.md explains them with examples):

* `meeting_kind(title)`: a calendar event's touch kind from its title — coffee,
  lunch, call … else a generic meeting;
* `is_in_person(location, text)`: in person when the event has a physical location and
  no video link anywhere (location, description, conference data);
* `infer_owner(conversations)`: the one address (or profile) present in every
  conversation — the mailbox's or export's owner — or why there is none;
* `answered_at(touches)`: when each attempt awaiting reply was answered (the first
  later inbound or mutual touch), so captured attempts read like ones logged by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from netterm.core.kinds import IN, MUTUAL, OUT

#: title words → kind, first match wins (whole words, any case, accents kept simple)
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coffee", ("coffee", "café", "cafe", "tea", "espresso", "latte")),
    ("lunch", ("lunch", "dinner", "breakfast", "brunch", "meal", "drinks", "beer", "drink")),
    ("call", ("call", "phone", "zoom", "hangout", "skype", "facetime", "catch-up call")),
)
GENERIC_MEETING = "meeting"

#: a link to a video meeting (Zoom, Meet, Teams, Webex, Jitsi, Whereby, FaceTime …)
VIDEO_LINK = re.compile(
    r"(?:https?://)?(?:[\w-]+\.)*(?:zoom\.us|zoom\.com|meet\.google\.com|teams\.microsoft\.com"
    r"|teams\.live\.com|webex\.com|meet\.jit\.si|whereby\.com|gotomeeting\.com"
    r"|facetime\.apple\.com|bluejeans\.com|chime\.aws|discord\.gg|skype\.com)\b",
    re.IGNORECASE,
)
#: locations that are not places: "Online", "Phone", "Remote", a bare URL …
_NOT_A_PLACE = re.compile(
    r"^\s*(?:online|remote|virtual|video(?:\s*call)?|phone(?:\s*call)?|call|tbd|tba|n/?a|-+"
    r"|https?://\S+|(?:microsoft\s+)?teams(?:\s+meeting)?|zoom(?:\s+meeting)?|google\s+meet)\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'-]+", re.UNICODE)


def meeting_kind(title: str) -> str:
    """`Coffee with Ana` → coffee; `Lunch @ Zuma` → lunch; `Intro call` → call; else meeting."""
    words = {w.casefold() for w in _WORD.findall(title or "")}
    for kind, cues in _KIND_WORDS:
        if any(c in words for c in cues):
            return kind
    return GENERIC_MEETING


def has_video_link(*texts: str | None) -> bool:
    return any(t and VIDEO_LINK.search(t) for t in texts)


def is_in_person(location: str | None, *texts: str | None) -> bool:
    """In person: a physical location and no video link (in the location or any text)."""
    place = (location or "").strip()
    if not place or _NOT_A_PLACE.match(place):
        return False
    return not has_video_link(place, *texts)


# --------------------------------------------------------------------------- the owner


@dataclass(frozen=True, slots=True)
class Owner:
    """Who "me" is in a mailbox or export: found, or why not."""

    identities: tuple[str, ...]  # the address(es) or profile(s); empty when not found
    conversations: int  # how many conversations were looked at
    candidates: tuple[str, ...] = ()  # when several identities are in every conversation

    @property
    def found(self) -> bool:
        return len(self.identities) == 1


def infer_owner(conversations: Iterable[Iterable[str]], *, at_least: int = 2) -> Owner:
    """The identity present in every conversation (addresses compared case-insensitively).

    Needs `at_least` conversations (one alone proves nothing: both sides are in it);
    several identities present in all of them are ambiguous and named as candidates.
    """
    common: set[str] | None = None
    shown: dict[str, str] = {}
    seen = 0
    for people in conversations:
        keys = set()
        for p in people:
            k = p.strip().casefold()
            if k:
                keys.add(k)
                shown.setdefault(k, p.strip())
        if not keys:
            continue
        seen += 1
        common = keys if common is None else common & keys
        if not common:
            return Owner((), seen)
    if common is None or seen < at_least:
        return Owner((), seen, tuple(sorted(shown[k] for k in common or ())))
    if len(common) == 1:
        return Owner((shown[next(iter(common))],), seen)
    return Owner((), seen, tuple(sorted(shown[k] for k in common)))


# --------------------------------------------------------------------------- attempts


@dataclass(frozen=True, slots=True)
class Attempt:
    """One touch of a contact, as the reply rule sees it."""

    id: int
    occurred_at: datetime
    direction: str
    awaiting_reply: bool
    replied_at: datetime | None


def answered_at(touches: Sequence[Attempt]) -> dict[int, datetime]:
    """Attempts awaiting reply with no reply recorded that a later inbound or mutual
    touch answers: id → the instant of that first answer (what `reply` would record).

    Attempts already marked replied keep their date; outbound touches that expect no
    answer are neither attempts nor answers.
    """
    ordered = sorted(touches, key=lambda t: (t.occurred_at, t.id))
    pending: list[int] = []
    found: dict[int, datetime] = {}
    for t in ordered:
        if t.direction in (IN, MUTUAL):
            for tid in pending:
                found[tid] = t.occurred_at
            pending.clear()
        elif t.direction == OUT and t.awaiting_reply and t.replied_at is None:
            pending.append(t.id)
    return found


def awaits_reply(kind: str, direction: str) -> bool:
    """A captured outgoing e-mail or message is an attempt awaiting their reply."""
    return direction == OUT and kind in ("email", "message")


# --------------------------------------------------------------------------- meetings

CANCELLED = "cancelled"
ALL_DAY_ALONE = "all-day, no attendees"
CROWDED = "too many attendees"
DECLINED = "declined"
NOT_YOURS = "you are not in it"
#: more attendees than this and an event is a conference, not a meeting (a setting)
MAX_ATTENDEES = 10


def meeting_people(
    me: Iterable[str],
    organizer: str | None,
    attendees: Sequence[tuple[str, str]],
    *,
    status: str = "",
    all_day: bool = False,
    max_attendees: int = MAX_ATTENDEES,
) -> tuple[str | None, tuple[str, ...]]:
    """(why the event is not a touch, or None; the addresses of the others taking part).

    `attendees` are (address, PARTSTAT). Not touches: cancelled events, all-day events
    without attendees, events with more than `max_attendees` attendees, events "me" is
    not in or declined. Attendees who declined do not take part.
    """
    mine = {m.casefold() for m in me}
    if status.upper() == "CANCELLED":
        return CANCELLED, ()
    if all_day and not attendees:
        return ALL_DAY_ALONE, ()
    if len(attendees) > max_attendees:
        return CROWDED, ()
    my_rows = [p for a, p in attendees if a.casefold() in mine]
    organizing = organizer is not None and organizer.casefold() in mine
    if not organizing and not my_rows:
        return NOT_YOURS, ()
    if my_rows and all(p.upper() == "DECLINED" for p in my_rows) and not organizing:
        return DECLINED, ()
    others: list[str] = []
    seen: set[str] = set(mine)
    if organizer and organizer.casefold() not in seen:
        seen.add(organizer.casefold())
        others.append(organizer)
    for address, part in attendees:
        k = address.casefold()
        if k in seen or part.upper() == "DECLINED":
            continue
        seen.add(k)
        others.append(address)
    return None, tuple(others)

"""Logging touches, replies and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pendulum

from netterm.config import clock, current_user
from netterm.core.dates import parse_date, parse_when, short_date
from netterm.core.kinds import DIRECTIONS, IN, NONE, OUT, VALUES, resolve_kind
from netterm.core.names import clean
from netterm.core.validate import check_length
from netterm.errors import InvalidInput, NotFound
from netterm.services import stats
from netterm.services.views import FollowUpView, TouchView
from netterm.store.models import Contact, DismissedSource, FollowUp, Interaction, database


def touch_view(i: Interaction) -> TouchView:
    return TouchView(
        id=i.id,
        contact_id=i.contact_id,
        occurred_at=i.occurred_at,
        occurred_on=i.occurred_on,
        kind=i.kind,
        direction=i.direction,
        in_person=i.in_person,
        awaiting_reply=i.awaiting_reply,
        replied_at=i.replied_at,
        value=i.value,
        note=i.note,
        source=i.source,
        source_key=i.source_key,
        logged_by=i.logged_by,
        created_at=i.created_at,
    )


@dataclass(frozen=True, slots=True)
class TouchInput:
    """A touch to log, already checked: what `check_touch` returns."""

    kind: str
    occurred_at: pendulum.DateTime
    direction: str
    in_person: bool
    awaiting_reply: bool
    value: str
    note: str

    @property
    def occurred_on(self) -> date:
        return self.occurred_at.date()


def check_touch(
    kind: str,
    when: str | datetime | None = None,
    *,
    note: str = "",
    direction: str | None = None,
    in_person: bool | None = None,
    awaiting_reply: bool = False,
    value: str | None = None,
    now: pendulum.DateTime | None = None,
    order: str | None = None,
) -> TouchInput:
    """Validate a touch without writing it (the quick-log previews with this).

    The rules every front-end gets from here:

    * a touch happened: one dated after today is refused (a planned meeting is a
      follow-up);
    * an attempt awaiting reply is outbound (a call not picked up, an invitation);
    * a coffee or lunch awaiting reply is an invitation, not a face-to-face meeting.
    """
    now = now or clock.now()
    k = resolve_kind(kind)
    if isinstance(when, datetime):
        occurred = pendulum.instance(when).in_tz(clock.timezone()) if when.tzinfo else None
        if occurred is None:
            raise InvalidInput("date", "a touch's time must carry a timezone")
    else:
        if order is None:
            from netterm.services.settings import date_order

            order = date_order()
        occurred = parse_when(when, now, order)
    refuse_future(occurred.date(), now.date(), when)
    if awaiting_reply and direction is None:
        direction = OUT  # an attempt is made by you: a call not picked up, an invitation
    direction = (direction or k.direction).lower()
    if direction not in DIRECTIONS:
        raise InvalidInput("direction", f"unknown direction '{direction}'; use out, in or mutual")
    value = (value or (k.value if direction == OUT else NONE)).lower()
    if value not in VALUES:
        raise InvalidInput("value", f"unknown value '{value}'; use gave, received or none")
    if awaiting_reply and direction != OUT:
        raise InvalidInput(
            "awaiting reply", f"only an outbound touch waits for a reply ({k.name} is {direction})"
        )
    if awaiting_reply and k.in_person:
        if in_person:
            raise InvalidInput(
                "in person",
                f"a {k.name} awaiting their reply is an invitation, not a meeting yet; "
                f"log the {k.name} itself once you have met",
            )
        in_person = False  # an invitation: you have not met yet
    return TouchInput(
        kind=k.name,
        occurred_at=occurred,
        direction=direction,
        in_person=k.in_person if in_person is None else bool(in_person),
        awaiting_reply=bool(awaiting_reply),
        value=value,
        note=check_length(
            "note", "\n".join(clean(line) for line in str(note or "").splitlines()).strip()
        ),
    )


def refuse_future(day: date, today: date, typed: object = None) -> None:
    """A touch is something that happened: one dated after today is refused, with the
    way to plan it instead."""
    if day <= today:
        return
    said = f"'{typed}' is" if isinstance(typed, str) and typed.strip() else "that is"
    raise InvalidInput(
        "date",
        f"{said} {short_date(day, today)}, in the future; a touch is something that "
        "happened. Plan a meeting as a follow-up: netterm follow-up WHO DATE TEXT",
    )


def log_touch(
    contact_id: int, kind: str, when: str | datetime | None = None, **options
) -> TouchView:
    """Log a touch; the contact's clock restarts at the touch's date. Returns it."""
    touch = check_touch(kind, when, **options)
    return record_touch(contact_id, touch)


def record_touch(contact_id: int, touch: TouchInput) -> TouchView:
    with database.atomic():
        contact = Contact.get_or_none(Contact.id == contact_id)
        if contact is None:
            raise NotFound(f"no contact #{contact_id}")
        row = Interaction.create(
            contact=contact_id,
            occurred_at=touch.occurred_at,
            occurred_on=touch.occurred_on,
            kind=touch.kind,
            direction=touch.direction,
            in_person=touch.in_person,
            awaiting_reply=touch.awaiting_reply,
            value=touch.value,
            note=touch.note,
            logged_by=current_user(),
        )
        since = contact.awaiting_inbound_since
        if touch.direction == IN and since is not None and touch.occurred_on >= since:
            contact.awaiting_inbound_since = None  # they reached out: back in our court
        contact.updated_at = clock.now()
        contact.save()
        stats.refresh([contact_id])
    return touch_view(row)


@dataclass(frozen=True, slots=True)
class ReplyResult:
    touch: TouchView
    answered: int  # how many pending attempts this reply answered
    #: what `undo_reply` puts back: the attempts it answered, and the "ball in their
    #: court" date the inbound touch cleared
    answered_ids: tuple[int, ...] = ()
    waited_since: date | None = None


def mark_reply(contact_id: int, when: str | datetime | None = None, note: str = "") -> ReplyResult:
    """Their answer arrived: pending attempts are answered, an inbound touch is logged."""
    now = clock.now()
    with database.atomic():
        contact = Contact.get_or_none(Contact.id == contact_id)
        waited_since = contact.awaiting_inbound_since if contact is not None else None
        pending = list(
            Interaction.select()
            .where(
                (Interaction.contact == contact_id)
                & (Interaction.awaiting_reply == True)  # noqa: E712
                & Interaction.replied_at.is_null()
            )
            .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
        )
        kind = pending[0].kind if pending else "message"
        invitation = pending and resolve_kind(kind).in_person
        if invitation:
            # they answered an invitation: that answer is a message, not the meal itself
            note = note or f"replied to your {kind} invitation"
            kind = "message"
        touch = check_touch(
            kind, when, direction=IN, in_person=False, note=note or "replied", now=now
        )
        answered = [a.id for a in pending if a.occurred_on <= touch.occurred_on]
        if answered:
            Interaction.update(replied_at=touch.occurred_at).where(
                Interaction.id.in_(answered)
            ).execute()
        view = record_touch(contact_id, touch)  # refreshes the summary
        cleared = Contact.get_by_id(contact_id).awaiting_inbound_since is None
    return ReplyResult(view, len(answered), tuple(answered), waited_since if cleared else None)


def undo_reply(result: ReplyResult) -> None:
    """Take back `mark_reply`: its touch goes, the attempts it answered wait again."""
    with database.atomic():
        touch = result.touch
        row = Interaction.get_or_none(Interaction.id == touch.id)
        if row is None:
            raise NotFound(f"no touch #{touch.id} (the reply was deleted meanwhile)")
        row.delete_instance()
        if result.answered_ids:
            Interaction.update(replied_at=None).where(
                Interaction.id.in_(result.answered_ids)
                & (Interaction.replied_at == touch.occurred_at)
            ).execute()
        if result.waited_since is not None:
            Contact.update(awaiting_inbound_since=result.waited_since).where(
                (Contact.id == touch.contact_id) & Contact.awaiting_inbound_since.is_null()
            ).execute()
        stats.refresh([touch.contact_id])


#: What `edit_touch` can change (the names of `log`'s options).
EDITABLE = ("when", "kind", "direction", "note", "in_person", "awaiting_reply", "value")


@dataclass(frozen=True, slots=True)
class TouchEdit:
    """A touch before and after `edit_touch` (`restore_touch_edit(before)` undoes it)."""

    before: TouchView
    after: TouchView

    @property
    def changed(self) -> bool:
        return self.before != self.after


def get_touch(touch_id: int) -> TouchView:
    row = Interaction.get_or_none(Interaction.id == touch_id)
    if row is None:
        raise NotFound(f"no touch #{touch_id}")
    return touch_view(row)


def edit_touch(touch_id: int, **changes) -> TouchEdit:
    """Correct a touch: the given fields change, the rest stay (checked as `log` checks).

    A new kind brings its own direction, in-person and value unless they are given too
    (an attempt keeps waiting only if it is still outbound). The touch keeps its source
    and source item, so a re-import recognises it and adds nothing twice.
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise TypeError(f"edit_touch() got unknown fields: {', '.join(unknown)}")
    changes = {k: v for k, v in changes.items() if v is not None}
    with database.atomic():
        row = Interaction.get_or_none(Interaction.id == touch_id)
        if row is None:
            raise NotFound(f"no touch #{touch_id}")
        before = touch_view(row)
        kind = resolve_kind(changes.get("kind", row.kind))
        new_kind = kind.name != row.kind

        def kept(name: str, current):
            if name in changes:
                return changes[name]
            return None if new_kind else current

        direction = kept("direction", row.direction)
        outbound = (direction or kind.direction).lower() == OUT
        awaiting = changes.get("awaiting_reply", row.awaiting_reply and outbound)
        touch = check_touch(
            kind.name,
            changes.get("when", row.occurred_at),
            note=changes.get("note", row.note),
            direction=direction,
            in_person=kept("in_person", row.in_person),
            awaiting_reply=bool(awaiting),
            value=kept("value", row.value),
        )
        row.occurred_at = touch.occurred_at
        row.occurred_on = touch.occurred_on
        row.kind = touch.kind
        row.direction = touch.direction
        row.in_person = touch.in_person
        row.awaiting_reply = touch.awaiting_reply
        if not touch.awaiting_reply:
            row.replied_at = None
        row.value = touch.value
        row.note = touch.note
        row.save()
        Contact.update(updated_at=clock.now()).where(Contact.id == row.contact_id).execute()
        stats.refresh([row.contact_id])
    return TouchEdit(before, touch_view(row))


def restore_touch_edit(before: TouchView) -> TouchView:
    """Undo `edit_touch`: the touch is exactly as it was (`TouchEdit.before`)."""
    with database.atomic():
        done = (
            Interaction.update(
                occurred_at=before.occurred_at,
                occurred_on=before.occurred_on,
                kind=before.kind,
                direction=before.direction,
                in_person=before.in_person,
                awaiting_reply=before.awaiting_reply,
                replied_at=before.replied_at,
                value=before.value,
                note=before.note,
            )
            .where(Interaction.id == before.id)
            .execute()
        )
        if not done:
            raise NotFound(f"no touch #{before.id} (deleted meanwhile)")
        stats.refresh([before.contact_id])
    return get_touch(before.id)


def delete_touch(touch_id: int) -> TouchView:
    """Remove a touch logged by mistake. Returns what was removed (`restore_touch` puts
    it back). An imported touch leaves a DismissedSource row: no import re-creates it."""
    with database.atomic():
        row = Interaction.get_or_none(Interaction.id == touch_id)
        if row is None:
            raise NotFound(f"no touch #{touch_id}")
        view = touch_view(row)
        if view.source_key is not None:
            DismissedSource.insert(
                contact=view.contact_id, source=view.source, source_key=view.source_key
            ).on_conflict_ignore().execute()
        row.delete_instance()
        stats.refresh([view.contact_id])
    return view


def restore_touch(view: TouchView) -> TouchView:
    """Put back a touch removed by `delete_touch` (its id too, unless taken meanwhile);
    an imported one is no longer dismissed."""
    with database.atomic():
        if Contact.get_or_none(Contact.id == view.contact_id) is None:
            raise NotFound(f"no contact #{view.contact_id}")
        fields = dict(
            contact=view.contact_id,
            occurred_at=view.occurred_at,
            occurred_on=view.occurred_on,
            kind=view.kind,
            direction=view.direction,
            in_person=view.in_person,
            awaiting_reply=view.awaiting_reply,
            replied_at=view.replied_at,
            value=view.value,
            note=view.note,
            source=view.source,
            source_key=view.source_key,
            logged_by=view.logged_by,
        )
        if view.created_at is not None:
            fields["created_at"] = view.created_at
        if Interaction.get_or_none(Interaction.id == view.id) is None:
            fields["id"] = view.id
        if view.source_key is not None:
            DismissedSource.delete().where(
                (DismissedSource.contact == view.contact_id)
                & (DismissedSource.source == view.source)
                & (DismissedSource.source_key == view.source_key)
            ).execute()
        new_id = Interaction.insert(**fields).execute()
        stats.refresh([view.contact_id])
    return get_touch(new_id)


def touches_for(contact_id: int, limit: int | None = None) -> list[TouchView]:
    """A contact's touches, newest first. Read as plain rows (no model objects, instants
    parsed by `datetime.fromisoformat`): years of captured e-mail are thousands of
    touches, and the detail screen opens in well under 100 ms with 5,000 of them."""
    sql = (
        "SELECT id, contact_id, occurred_at, occurred_on, kind, direction, in_person, "
        "awaiting_reply, replied_at, value, note, source, logged_by FROM interaction "
        "WHERE contact_id = ? ORDER BY occurred_on DESC, occurred_at DESC, id DESC"
    )
    params: tuple = (contact_id,)
    if limit:
        sql += " LIMIT ?"
        params = (contact_id, limit)
    instant = datetime.fromisoformat  # stored as UTC ISO 8601 with its offset: aware
    day = pendulum.Date.fromisoformat
    return [
        TouchView(
            id=r[0],
            contact_id=r[1],
            occurred_at=instant(r[2]),
            occurred_on=day(r[3]),
            kind=r[4],
            direction=r[5],
            in_person=bool(r[6]),
            awaiting_reply=bool(r[7]),
            replied_at=instant(r[8]) if r[8] else None,
            value=r[9],
            note=r[10],
            source=r[11],
            logged_by=r[12],
        )
        for r in database.execute_sql(sql, params)
    ]


# --------------------------------------------------------------------------- follow-ups


def follow_up_view(f: FollowUp, name: str = "") -> FollowUpView:
    return FollowUpView(f.id, f.contact_id, f.due_on, f.text, f.done_at, name)


def add_follow_up(contact_id: int, due: str | date, text: str) -> FollowUpView:
    today = clock.today()
    due_on = due if isinstance(due, date) else parse_date(str(due), today, prefer="future")
    text = check_length("follow-up", " ".join(clean(text).split()))
    if not text:
        raise InvalidInput("follow-up", "say what to follow up on")
    with database.atomic():
        if Contact.get_or_none(Contact.id == contact_id) is None:
            raise NotFound(f"no contact #{contact_id}")
        row = FollowUp.create(contact=contact_id, due_on=due_on, text=text)
        stats.refresh([contact_id])
    return follow_up_view(row)


def delete_follow_up(follow_up_id: int) -> FollowUpView:
    """Take back a follow-up planned by mistake (the app's undo). Returns it."""
    with database.atomic():
        row = FollowUp.get_or_none(FollowUp.id == follow_up_id)
        if row is None:
            raise NotFound(f"no follow-up #{follow_up_id}")
        view = follow_up_view(row)
        row.delete_instance()
        stats.refresh([view.contact_id])
    return view


def complete_follow_up(follow_up_id: int, done: bool = True) -> FollowUpView:
    with database.atomic():
        row = FollowUp.get_or_none(FollowUp.id == follow_up_id)
        if row is None:
            raise NotFound(f"no follow-up #{follow_up_id}")
        row.done_at = clock.now() if done else None
        row.save()
        stats.refresh([row.contact_id])
    return follow_up_view(row)


def open_follow_ups(until: date | None = None) -> list[FollowUpView]:
    query = (
        FollowUp.select(FollowUp, Contact.first_name, Contact.last_name)
        .join(Contact)
        .where(FollowUp.done_at.is_null() & Contact.archived_at.is_null())
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    if until is not None:
        query = query.where(FollowUp.due_on <= until)
    return [follow_up_view(f, f.contact.name) for f in query]

"""One action over many contacts at once: share an update, re-tier, categorise, snooze,
archive, or collect their e-mail addresses.

Every write is one transaction and returns a `BulkUndo` that puts back exactly what it
changed (the columns it wrote, the category links it added or removed, the touches it
logged), also in one transaction: the app's `u` undoes a bulk action in one step. The
CLI (`netterm bulk`) and the app's marked rows call the same functions here.

Queries are Peewee expressions (no engine-specific SQL), chunked under the bound-
parameter limits of both SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from netterm.config import clock
from netterm.core.dates import parse_date
from netterm.core.kinds import resolve_tier
from netterm.errors import InvalidInput
from netterm.services import contacts, stats
from netterm.store.models import (
    Category,
    Contact,
    ContactCategory,
    ContactMethod,
    Interaction,
    database,
)

#: The actions, as `netterm bulk QUERY ACTION [VALUE]` names them.
ACTIONS = {
    "log": "log an update touch (VALUE: the note)",
    "tier": "set the tier (VALUE: 1, 2, 3 or untracked)",
    "category": "add a category (VALUE: its name)",
    "uncategory": "remove a category (VALUE: its name)",
    "snooze": "pause until a date (VALUE: 'in 3 months', '2027-03-01')",
    "archive": "archive (never deletes)",
    "unarchive": "bring archived contacts back",
    "emails": "print their e-mail addresses and a mailto: link with them in BCC",
}
#: Actions that need a VALUE.
NEEDS_VALUE = frozenset({"tier", "category", "uncategory", "snooze"})
#: The contact columns each action writes (what its undo puts back).
_COLUMNS = {
    "tier": ("tier", "tracked_since", "updated_at"),
    "snooze": ("paused_until", "updated_at"),
    "archive": ("archived_at", "updated_at"),
    "unarchive": ("archived_at", "updated_at"),
    "log": ("updated_at",),
}
_CHUNK = 500  # ids per IN (…): under SQLite's and PostgreSQL's parameter limits


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


@dataclass(slots=True)
class BulkUndo:
    """What a bulk action changed, to put it back (`undo`)."""

    action: str
    ids: list[int]
    #: contact id → the raw column values before the action
    before: dict[int, dict] = field(default_factory=dict)
    #: category links added (contact ids) and removed (contact ids) for `category_id`
    category_id: int | None = None
    linked: list[int] = field(default_factory=list)
    unlinked: list[int] = field(default_factory=list)
    category_created: bool = False
    #: touches logged by the action
    touch_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BulkResult:
    action: str
    selected: int  # contacts the action was asked to act on
    changed: list[int]  # contacts it actually changed (or would, in a dry run)
    summary: str  # one sentence: "Set tier 3 for 200 contacts."
    undo: BulkUndo | None = None  # None for a dry run or when nothing changed


@dataclass(frozen=True, slots=True)
class Addresses:
    """E-mail addresses of a set of contacts (the primary one of each)."""

    emails: list[tuple[str, str]]  # (name, address), in the order asked
    missing: list[str]  # names of contacts without an e-mail address

    @property
    def bcc(self) -> str:
        return ", ".join(address for _, address in self.emails)

    @property
    def mailto(self) -> str:
        """A mailto: link with every address in BCC (RFC 6068: commas between)."""
        return "mailto:?bcc=" + ",".join(quote(a, safe="@.+-_") for _, a in self.emails)


# --------------------------------------------------------------------------- choosing


def select(query: str) -> list[int]:
    """The ids of the contacts the filter language selects, most urgent first
    (the same language and rows as `netterm list` and the app's `/`)."""
    from netterm.core.query import parse_query
    from netterm.services.network import load_network

    q = parse_query(query)  # InvalidInput names the bad term
    return [row.id for row in q.filter(load_network().rows)]


def names(ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        for c in Contact.select(Contact.id, Contact.first_name, Contact.last_name).where(
            Contact.id.in_(chunk)
        ):
            out[c.id] = c.name
    return out


def addresses(ids: Sequence[int]) -> Addresses:
    """Each contact's primary e-mail address (else their first one), in order."""
    ids = list(dict.fromkeys(ids))
    best: dict[int, str] = {}
    for chunk in _chunks(ids):
        query: Iterable[Any] = (
            ContactMethod.select(ContactMethod.contact, ContactMethod.value)
            .where((ContactMethod.contact.in_(chunk)) & (ContactMethod.kind == "email"))
            .order_by(ContactMethod.primary.desc(), ContactMethod.id)
            .tuples()
        )
        for row in query:
            best.setdefault(row[0], row[1])
    who = names(ids)
    found = [(who[i], best[i]) for i in ids if i in best and i in who]
    missing = [who[i] for i in ids if i not in best and i in who]
    return Addresses(found, missing)


def write_list(path: str, found: Addresses) -> None:
    """The BCC list, one address a line, to a private (0600) file."""
    from pathlib import Path

    from netterm.services.interchange import write_private

    write_private(Path(path).expanduser(), "".join(f"{a}\n" for _, a in found.emails))


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True, slots=True)
class _Checked:
    action: str
    value: Any  # the tier, the category name, the snooze date, the TouchInput


def check(action: str, value: str | None = None) -> _Checked:
    """Validate an action and its value before anything is read or written."""
    action = (action or "").strip().lower()
    if action not in ACTIONS:
        raise InvalidInput("action", f"unknown action '{action}'; use {', '.join(ACTIONS)}")
    if action in NEEDS_VALUE and (value is None or not str(value).strip()):
        raise InvalidInput(action, f"{action} needs a value: {ACTIONS[action]}")
    if action == "tier":
        return _Checked(action, resolve_tier(value))
    if action in ("category", "uncategory"):
        from netterm.core.names import clean

        name = " ".join(clean(str(value)).split())
        if not name:
            raise InvalidInput("category", "empty category name")
        return _Checked(action, name)
    if action == "snooze":
        today = clock.today()
        until = parse_date(str(value), today, prefer="future")
        if until < today:
            raise InvalidInput("snooze", f"{until.isoformat()} is in the past")
        return _Checked(action, until)
    if action == "log":
        from netterm.services.touches import check_touch

        return _Checked(action, check_touch("update", None, note=value or ""))
    if value not in (None, ""):
        raise InvalidInput(action, f"{action} takes no value (got '{value}')")
    return _Checked(action, None)


# --------------------------------------------------------------------------- acting


def _would_change(c: _Checked, ids: list[int]) -> list[int]:
    """Which of `ids` the action would change (the others already are that way)."""
    where = Contact.id.in_
    out: list[int] = []
    for chunk in _chunks(ids):
        if c.action == "tier":
            cond = (
                Contact.tier.is_null(False)
                if c.value is None
                else (Contact.tier.is_null() | (Contact.tier != c.value))
            )
        elif c.action == "snooze":
            cond = Contact.paused_until.is_null() | (Contact.paused_until != c.value)
        elif c.action == "archive":
            cond = Contact.archived_at.is_null()
        elif c.action == "unarchive":
            cond = Contact.archived_at.is_null(False)
        elif c.action in ("category", "uncategory"):
            category = Category.get_or_none(Category.name == c.value)
            if category is None:
                if c.action == "uncategory":
                    raise InvalidInput("category", f"no category '{c.value}'")
                cond = None  # a new category: everyone gets it
            else:
                has = ContactCategory.select(ContactCategory.contact).where(
                    ContactCategory.category == category.id
                )
                cond = Contact.id.not_in(has) if c.action == "category" else Contact.id.in_(has)
        else:  # log: every one of them
            cond = None
        q = Contact.select(Contact.id).where(where(chunk))
        if cond is not None:
            q = q.where(cond)
        out.extend(q.scalars())
    order = {cid: i for i, cid in enumerate(ids)}
    return sorted(out, key=order.__getitem__)


def _snapshot(ids: list[int], columns: Sequence[str]) -> dict[int, dict]:
    meta: Any = Contact._meta
    fields = [meta.fields[c] for c in columns]
    out: dict[int, dict] = {}
    for chunk in _chunks(ids):
        rows: Iterable[Any] = (
            Contact.select(Contact.id, *fields).where(Contact.id.in_(chunk)).tuples()
        )
        for row in rows:
            out[row[0]] = dict(zip(columns, row[1:], strict=True))
    return out


def _summary(c: _Checked, n: int, dry_run: bool) -> str:
    who = f"{n} contact" + ("" if n == 1 else "s")
    verb = {
        "log": ("Logged an update with", "Would log an update with"),
        "tier": ("Set the tier of", "Would set the tier of"),
        "category": ("Added the category to", "Would add the category to"),
        "uncategory": ("Removed the category from", "Would remove the category from"),
        "snooze": ("Snoozed", "Would snooze"),
        "archive": ("Archived", "Would archive"),
        "unarchive": ("Brought back", "Would bring back"),
    }[c.action][dry_run]
    detail = ""
    if c.action == "tier":
        from netterm.core.kinds import TIER_NAMES

        detail = f" to {TIER_NAMES[c.value]}"
    elif c.action in ("category", "uncategory"):
        detail = f" ({c.value})"
    elif c.action == "snooze":
        detail = f" until {c.value.isoformat()}"
    return f"{verb} {who}{detail}."


def apply(
    ids: Sequence[int], action: str, value: str | None = None, *, dry_run: bool = False
) -> BulkResult:
    """Do `action` to every contact of `ids` in one transaction (nothing on a dry run).

    Contacts the action would not change (already tier 3, already archived) are left
    alone and not counted. Raises InvalidInput before writing anything.
    """
    c = check(action, value)
    if c.action == "emails":
        raise InvalidInput("action", "emails writes nothing: use addresses()")
    ids = list(dict.fromkeys(int(i) for i in ids))
    with database.atomic():
        changed = _would_change(c, ids)
        if dry_run or not changed:
            return BulkResult(c.action, len(ids), changed, _summary(c, len(changed), True))
        undo = BulkUndo(c.action, changed)
        undo.before = _snapshot(changed, _COLUMNS.get(c.action, ("updated_at",)))
        _write(c, changed, undo)
        if c.action != "log":  # the contacts' own fields changed: a form opened before
            # on another device gets a conflict instead of saving over this
            contacts.bump_versions(changed)
        stats.refresh(changed)
    return BulkResult(c.action, len(ids), changed, _summary(c, len(changed), False), undo)


def _write(c: _Checked, ids: list[int], undo: BulkUndo) -> None:
    now = clock.now()
    today = now.date()
    for chunk in _chunks(ids):
        mine = Contact.id.in_(chunk)
        if c.action == "tier":
            if c.value is not None:  # tracking starts now for the untracked ones
                Contact.update(tracked_since=today).where(mine & Contact.tier.is_null()).execute()
            Contact.update(tier=c.value, updated_at=now).where(mine).execute()
        elif c.action == "snooze":
            Contact.update(paused_until=c.value, updated_at=now).where(mine).execute()
        elif c.action == "archive":
            Contact.update(archived_at=now, updated_at=now).where(mine).execute()
        elif c.action == "unarchive":
            Contact.update(archived_at=None, updated_at=now).where(mine).execute()
        elif c.action == "log":
            touch = c.value
            for cid in chunk:
                row = Interaction.create(
                    contact=cid,
                    occurred_at=touch.occurred_at,
                    occurred_on=touch.occurred_on,
                    kind=touch.kind,
                    direction=touch.direction,
                    in_person=touch.in_person,
                    awaiting_reply=False,
                    value=touch.value,
                    note=touch.note,
                )
                undo.touch_ids.append(row.id)
            Contact.update(updated_at=now).where(mine).execute()
        elif c.action == "category":
            if undo.category_id is None:
                existing = Category.get_or_none(Category.name == c.value)
                undo.category_created = existing is None
                undo.category_id = (existing or Category.create(name=c.value)).id
            ContactCategory.insert_many(
                [{"contact": cid, "category": undo.category_id} for cid in chunk]
            ).on_conflict_ignore().execute()
            undo.linked.extend(chunk)
        elif c.action == "uncategory":
            category = Category.get(Category.name == c.value)
            undo.category_id = category.id
            ContactCategory.delete().where(
                (ContactCategory.category == category.id) & ContactCategory.contact.in_(chunk)
            ).execute()
            undo.unlinked.extend(chunk)


def undo(u: BulkUndo) -> None:
    """Put back what a bulk action changed, in one transaction."""
    with database.atomic():
        if u.touch_ids:
            for chunk in _chunks(u.touch_ids):
                Interaction.delete().where(Interaction.id.in_(chunk)).execute()
        meta: Any = Contact._meta
        # group contacts with the same former values: one UPDATE per group and chunk
        groups: dict[tuple, list[int]] = {}
        for cid, values in u.before.items():
            groups.setdefault(tuple(sorted(values.items())), []).append(cid)
        for key, cids in groups.items():
            values = {meta.fields[k]: v for k, v in key}
            for chunk in _chunks(cids):
                Contact.update(values).where(Contact.id.in_(chunk)).execute()
        if u.category_id is not None and u.linked:
            for chunk in _chunks(u.linked):
                ContactCategory.delete().where(
                    (ContactCategory.category == u.category_id) & ContactCategory.contact.in_(chunk)
                ).execute()
            if u.category_created:
                still = ContactCategory.select().where(ContactCategory.category == u.category_id)
                if not still.exists():
                    Category.delete().where(Category.id == u.category_id).execute()
        if (
            u.category_id is not None
            and u.unlinked
            and Category.get_or_none(Category.id == u.category_id) is not None
        ):
            live: set[int] = set()
            for chunk in _chunks(u.unlinked):
                live.update(Contact.select(Contact.id).where(Contact.id.in_(chunk)).scalars())
            links = [
                {"contact": cid, "category": u.category_id} for cid in u.unlinked if cid in live
            ]
            for start in range(0, len(links), _CHUNK):
                ContactCategory.insert_many(
                    links[start : start + _CHUNK]
                ).on_conflict_ignore().execute()
        if u.action != "log":
            contacts.bump_versions(u.ids)
        stats.refresh(u.ids)


def describe(u: BulkUndo) -> str:
    """For the undo toast: "tier change of 200 contacts"."""
    noun = {
        "log": "update",
        "tier": "tier change",
        "category": "category added",
        "uncategory": "category removed",
        "snooze": "snooze",
        "archive": "archive",
        "unarchive": "unarchive",
    }.get(u.action, u.action)
    n = len(u.ids)
    return f"{noun} of {n} contact" + ("" if n == 1 else "s")


def snooze_day(value: str) -> date:
    """The day a snooze phrase names (the app previews it as you type)."""
    until: date = check("snooze", value).value
    return until

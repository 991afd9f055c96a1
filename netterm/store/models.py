"""The Peewee models: contacts, touches, career, follow-ups, audits (docs/architecture.md).

Dates are stored as ISO text (`YYYY-MM-DD`), instants as ISO 8601 UTC text with the
offset, so the file reads well in the sqlite3 shell and sorts correctly as text.

`ContactState` is not user data: it is a cache, one narrow row per contact, of the
few values the status rules read (day numbers, `date.toordinal()`), derived from the
contact, its interactions, follow-ups and the settings. `netterm.services.stats`
refreshes it on every write and can rebuild it from scratch; it lets SQLite compute the
state of 30,000 contacts in one pass over a small table (see `store/status_sql.py`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pendulum

from netterm.store.orm import pw


class _Database(pw.DatabaseProxy):
    """peewee's stand-in for the open database. Used before one is open, it first runs
    the opener the app left pending (`netterm.store.open_later`): a key pressed before
    the app's first frame finds the database open, as it always did."""

    def __getattr__(self, attr):
        if self.obj is None and not attr.startswith("_"):
            from netterm.store import open_now

            open_now()
        return super().__getattr__(attr)

    def __enter__(self):
        if self.obj is None:
            from netterm.store import open_now

            open_now()
        return super().__enter__()


database = _Database()


class AwareDateTimeField(pw.TextField):
    """An aware instant, stored as UTC ISO 8601 text, read back as pendulum in UTC."""

    field_type = "TEXT"

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            value = pendulum.parse(value)
        if not isinstance(value, datetime):
            raise TypeError(f"{self.name}: expected a datetime, got {value!r}")
        if value.tzinfo is None:
            raise ValueError(f"{self.name}: naive datetime {value!r}; use aware datetimes")
        return pendulum.instance(value).in_tz("UTC").isoformat()

    def python_value(self, value):
        if value is None:
            return None
        return pendulum.parse(value).in_tz("UTC")


class ISODateField(pw.TextField):
    """A calendar date stored as `YYYY-MM-DD`."""

    field_type = "TEXT"

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, datetime):
            raise TypeError(f"{self.name}: expected a date, got a datetime")
        if isinstance(value, date):
            return value.isoformat()
        return date.fromisoformat(str(value)).isoformat()

    def python_value(self, value):
        if value is None:
            return None
        d = date.fromisoformat(value)
        return pendulum.date(d.year, d.month, d.day)


def _now():
    from netterm.config import clock

    return clock.now()


class BaseModel(pw.Model):
    # Peewee adds an `id` AutoField to models without a primary key, and a `<name>_id`
    # attribute beside each foreign key; annotations only (no field) tell the type checker
    # so, and change nothing at run time.
    id: Any

    class Meta:
        database = database
        legacy_table_names = False


class Contact(BaseModel):
    first_name = pw.TextField(default="")
    last_name = pw.TextField(default="")
    previous_names = pw.TextField(default="")  # former last names, kept when changed
    job_title = pw.TextField(default="")
    company = pw.TextField(default="")
    location = pw.TextField(default="")
    how_met = pw.TextField(default="")
    met_on = ISODateField(null=True)
    notes = pw.TextField(default="")
    looking_for = pw.TextField(default="")
    tier = pw.IntegerField(null=True)  # 1 priority, 2 regular, 3 light; NULL untracked
    cadence_days = pw.IntegerField(null=True)
    tracked_since = ISODateField(null=True)
    paused_until = ISODateField(null=True)
    awaiting_inbound_since = ISODateField(null=True)
    archived_at = AwareDateTimeField(null=True, index=True)
    reviewed_at = AwareDateTimeField(null=True)
    job_changed_at = AwareDateTimeField(null=True)  # set by an import; cleared on acknowledge
    created_at = AwareDateTimeField(default=_now)
    updated_at = AwareDateTimeField(default=_now)
    # (SQL defaults too: bulk inserts by column list, as the demo and imports do, omit them)
    # bumped by every write of the contact's own fields: a form saved over a newer version
    # (another device, another process) is a conflict to resolve, never a silent overwrite
    version = pw.IntegerField(default=1, constraints=[pw.SQL("DEFAULT 1")])
    # folded text of the searchable fields (names, title, company, notes, methods …)
    search_text = pw.TextField(default="")

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


#: Contacts with a cadence of their own (few): the attention budget tells them apart
#: without reading every contact row (services/insights.py, schema 5).
OWN_CADENCE = "contact_own_cadence"
Contact.add_index(
    Contact.index(Contact.cadence_days, name=OWN_CADENCE, where=pw.SQL("cadence_days > 0"))
)


class ContactState(BaseModel):
    """Derived, rebuildable: what the status rules need, as day numbers (ordinals)."""

    contact = pw.ForeignKeyField(
        Contact, primary_key=True, backref="state_cache", on_delete="CASCADE"
    )
    archived = pw.BooleanField(default=False)
    job_changed = pw.BooleanField(default=False)
    tier = pw.IntegerField(null=True)
    cadence = pw.IntegerField(null=True)  # effective cadence (override or tier's); NULL untracked
    tracked_since = pw.IntegerField(null=True)
    snoozed_until = pw.IntegerField(null=True)
    waiting_on_them = pw.BooleanField(default=False)  # ball in their court, no inbound since
    reviewed = pw.IntegerField(null=True)
    last_touch = pw.IntegerField(null=True)
    last_touch_kind = pw.TextField(null=True)
    last_inbound = pw.IntegerField(null=True)
    last_in_person = pw.IntegerField(null=True)
    unanswered = pw.IntegerField(default=0)
    awaiting_since = pw.IntegerField(null=True)
    last_gave = pw.IntegerField(null=True)
    received_recent = pw.IntegerField(null=True)
    next_follow_up = pw.IntegerField(null=True)


class ContactMethod(BaseModel):
    contact_id: Any
    contact = pw.ForeignKeyField(Contact, backref="methods", on_delete="CASCADE")
    kind = pw.TextField()  # email, phone, linkedin, x, mastodon, github, website, other
    value = pw.TextField()
    label = pw.TextField(default="")
    primary = pw.BooleanField(default=False)

    class Meta:
        indexes = ((("kind", "value"), False),)


class Category(BaseModel):
    name = pw.TextField(unique=True, collation="NOCASE")


class ContactCategory(BaseModel):
    contact_id: Any
    contact = pw.ForeignKeyField(Contact, backref="category_links", on_delete="CASCADE")
    category = pw.ForeignKeyField(Category, backref="contact_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("contact", "category"), True),)


class Interaction(BaseModel):
    contact_id: Any
    contact = pw.ForeignKeyField(Contact, backref="interactions", on_delete="CASCADE")
    occurred_at = AwareDateTimeField()
    occurred_on = ISODateField()  # the local calendar date of the event
    kind = pw.TextField()
    direction = pw.TextField(default="out")  # out / in / mutual
    in_person = pw.BooleanField(default=False)
    awaiting_reply = pw.BooleanField(default=False)
    replied_at = AwareDateTimeField(null=True)
    value = pw.TextField(default="none")  # gave / received / none
    note = pw.TextField(default="")
    created_at = AwareDateTimeField(default=_now)
    # where the touch came from: typed (by hand), import (a netterm/vCard file), mail,
    # calendar, linkedin; with the source item's identity (Message-ID, UID + occurrence,
    # conversation + date + sender) so a re-import recognises it and adds nothing twice
    source = pw.TextField(default="typed", constraints=[pw.SQL("DEFAULT 'typed'")])
    source_key = pw.TextField(null=True)
    logged_by = pw.TextField(
        default="", constraints=[pw.SQL("DEFAULT ''")]
    )  # the `user` setting of whoever logged it

    class Meta:
        indexes = (
            (("contact", "occurred_on"), False),
            (("contact", "source", "source_key"), True),
            # covers the Insights figures' passes over a date range (touches per month,
            # per quarter, balances: services/insights.py) without reading the rows
            (("occurred_on", "kind", "in_person", "value", "contact"), False),
        )


#: Touches marked given or received (few of all): the reciprocity balances read them by
#: date without walking every touch of the window (services/insights.py, schema 5).
VALUED_TOUCHES = "interaction_valued"
Interaction.add_index(
    Interaction.index(
        Interaction.occurred_on,
        Interaction.contact,
        Interaction.value,
        name=VALUED_TOUCHES,
        where=pw.SQL("value != 'none'"),
    )
)


class DismissedSource(BaseModel):
    """An imported touch the user deleted: the same source item is never re-created."""

    contact = pw.ForeignKeyField(Contact, backref="dismissed_sources", on_delete="CASCADE")
    source = pw.TextField()
    source_key = pw.TextField()
    dismissed_at = AwareDateTimeField(default=_now)

    class Meta:
        indexes = ((("contact", "source", "source_key"), True),)


class PossibleDuplicate(BaseModel):
    """Two contacts an import could not tell apart: the same name, but a company or
    profile that disagrees, so it added `contact` as new instead of changing `other`.
    The audit's duplicate finder shows the pair until one of them is merged or archived."""

    contact = pw.ForeignKeyField(Contact, backref="+", on_delete="CASCADE")
    other = pw.ForeignKeyField(Contact, backref="+", on_delete="CASCADE")
    reason = pw.TextField(default="")  # "same name (LinkedIn import, 30 Nov 2026)"
    flagged_at = AwareDateTimeField(default=_now)

    class Meta:
        indexes = ((("contact", "other"), True),)


class Job(BaseModel):
    contact = pw.ForeignKeyField(Contact, backref="jobs", on_delete="CASCADE")
    title = pw.TextField(default="")
    company = pw.TextField(default="")
    started_on = ISODateField(null=True)
    ended_on = ISODateField(null=True)
    source = pw.TextField(default="manual")  # manual, linkedin, vcard, google, audit
    recorded_at = AwareDateTimeField(default=_now)


class FollowUp(BaseModel):
    contact_id: Any
    contact = pw.ForeignKeyField(Contact, backref="follow_ups", on_delete="CASCADE")
    due_on = ISODateField()
    text = pw.TextField()
    done_at = AwareDateTimeField(null=True)
    created_at = AwareDateTimeField(default=_now)

    class Meta:
        indexes = ((("contact", "done_at"), False),)


class Audit(BaseModel):
    started_at = AwareDateTimeField(default=_now)
    finished_at = AwareDateTimeField(null=True)
    # the card order fixed when the audit started: JSON list of contact ids
    plan = pw.TextField(default="[]")
    # "" for the network's audit; for an audit of a part (the contacts marked, or those
    # a filter showed) what it took, e.g. "the 3,000 shown by is:untracked". Only an
    # audit with scope "" counts as the network's last audit (docs/status-rules.md).
    scope = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])


class AuditDecision(BaseModel):
    audit = pw.ForeignKeyField(Audit, backref="decisions", on_delete="CASCADE")
    contact = pw.ForeignKeyField(Contact, backref="audit_decisions", on_delete="CASCADE")
    position = pw.IntegerField()  # index of the card in the audit's plan
    decision = (
        pw.TextField()
    )  # keep, edit, tier_up, tier_down, categories, archive, snooze, skip, merge
    detail = pw.TextField(default="{}")  # JSON: what changed, to undo it
    decided_at = AwareDateTimeField(default=_now)
    decided_by = pw.TextField(
        default="", constraints=[pw.SQL("DEFAULT ''")]
    )  # the `user` setting of whoever decided

    class Meta:
        indexes = ((("audit", "position"), False),)


class Setting(BaseModel):
    key = pw.TextField(primary_key=True)
    value = pw.TextField()  # JSON


class SchemaVersion(BaseModel):
    version = pw.IntegerField(primary_key=True)
    applied_at = AwareDateTimeField(default=_now)


MODELS = (
    Contact,
    ContactState,
    ContactMethod,
    Category,
    ContactCategory,
    Interaction,
    DismissedSource,
    PossibleDuplicate,
    Job,
    FollowUp,
    Audit,
    AuditDecision,
    Setting,
    SchemaVersion,
)

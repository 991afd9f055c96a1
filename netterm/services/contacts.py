"""Contacts: add, edit, archive, find; their methods, categories and career history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from netterm.config import clock
from netterm.core.dates import in_range, parse_date
from netterm.core.identity import NameQuery, close_spellings
from netterm.core.kinds import resolve_tier
from netterm.core.names import Candidate, clean, fold, join_name, rank_matches, split_name
from netterm.core.validate import check_length, normalize_method, positive_days, too_long
from netterm.errors import Ambiguous, InvalidInput, NotFound, ValidationFailed
from netterm.services import stats
from netterm.services.views import SEP
from netterm.store.models import (
    Category,
    Contact,
    ContactCategory,
    ContactMethod,
    Interaction,
    Job,
    database,
)

TEXT_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "company",
    "location",
    "how_met",
    "notes",
    "looking_for",
)
EDITABLE = (*TEXT_FIELDS, "name", "met_on", "tier", "cadence_days", "categories", "methods")
FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "job_title": "title",
    "how_met": "how met",
    "met_on": "met on",
    "looking_for": "looking for",
    "cadence_days": "cadence",
}
MULTILINE = frozenset({"notes", "looking_for", "how_met"})


@dataclass(frozen=True, slots=True)
class MethodInput:
    kind: str
    value: str
    label: str = ""
    primary: bool = False


# --------------------------------------------------------------------------- validation


def _clean_text(field: str, value) -> str:
    text = "" if value is None else str(value)
    if field in MULTILINE:
        # keep line breaks in long text, drop other control characters
        return "\n".join(clean(line) for line in text.replace("\r\n", "\n").split("\n")).strip()
    return " ".join(clean(text).split())


def validate(values: dict, *, today: date, creating: bool) -> dict:
    """Check and normalise contact fields; every problem at once, keyed by field.

    Accepts `name` (split into first/last) or `first_name`/`last_name`; `methods` as
    MethodInput or (kind, value) pairs; `categories` as names; `tier` as 1/2/3/words;
    `met_on` as a date or a phrase; `cadence_days` as a number of days.
    """
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "not a contact field")
    errors: dict[str, str] = {}
    out: dict = {}
    if "name" in values:
        first, last = split_name(str(values["name"] or ""))
        out["first_name"], out["last_name"] = first, last
    for field in TEXT_FIELDS:
        if field in values and not ("name" in values and field in ("first_name", "last_name")):
            out[field] = _clean_text(field, values[field])
    for field in TEXT_FIELDS:
        why = too_long(field, out.get(field) or "")
        if why:
            errors["name" if field in ("first_name", "last_name") else field] = why
    names_given = creating or "first_name" in out or "last_name" in out
    if names_given and not (out.get("first_name") or out.get("last_name")):
        errors["name"] = "name: a contact needs a name"
    if "met_on" in values:
        raw = values["met_on"]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            out["met_on"] = None
        else:
            try:
                met = in_range(raw, raw) if isinstance(raw, date) else parse_date(str(raw), today)
                if met > today:
                    raise InvalidInput("met on", f"{met.isoformat()} is in the future")
                out["met_on"] = met
            except InvalidInput as exc:
                errors["met_on"] = f"met on: {exc.message}"
    if "tier" in values:
        try:
            out["tier"] = resolve_tier(values["tier"])
        except InvalidInput as exc:
            errors["tier"] = f"tier: {exc.message}"
    if "cadence_days" in values:
        try:
            out["cadence_days"] = positive_days(values["cadence_days"])
        except InvalidInput as exc:
            errors["cadence_days"] = f"cadence: {exc.message}"
    if "methods" in values:
        methods = []
        for i, m in enumerate(values["methods"] or ()):
            if not isinstance(m, MethodInput):
                m = MethodInput(*m)
            try:
                kind, value = normalize_method(m.kind, m.value)
                check_length("method", value)
                check_length("method", clean(m.label))
                methods.append(MethodInput(kind, value, clean(m.label), m.primary))
            except InvalidInput as exc:
                errors[f"methods.{i}"] = f"{exc.field}: {exc.message}"
        out["methods"] = _with_primaries(methods)
    if "categories" in values:
        cats: list[str] = []
        for i, name in enumerate(values["categories"] or ()):
            name = " ".join(clean(name).split())
            if not name:
                continue
            if len(name) > 60:
                errors[f"categories.{i}"] = f"category: '{name[:20]}…' is longer than 60 characters"
            elif name.casefold() not in {c.casefold() for c in cats}:
                cats.append(name)
        out["categories"] = cats
    if errors:
        raise ValidationFailed(errors)
    return out


def _with_primaries(methods: list[MethodInput]) -> list[MethodInput]:
    """Exactly one primary per kind (the first marked, else the first of the kind)."""
    seen_primary: set[str] = set()
    firsts: dict[str, int] = {}
    out = []
    for i, m in enumerate(methods):
        firsts.setdefault(m.kind, i)
        primary = m.primary and m.kind not in seen_primary
        if primary:
            seen_primary.add(m.kind)
        out.append(MethodInput(m.kind, m.value, m.label, primary))
    for kind, i in firsts.items():
        if kind not in seen_primary:
            m = out[i]
            out[i] = MethodInput(m.kind, m.value, m.label, True)
    return unique_methods(out)


def unique_methods(methods: Sequence[MethodInput]) -> list[MethodInput]:
    """The methods without exact duplicates (same kind and value), first kept."""
    unique, keys = [], set()
    for m in methods:
        key = (m.kind, m.value.casefold())
        if key not in keys:
            keys.add(key)
            unique.append(m)
    return unique


# --------------------------------------------------------------------------- search text


def search_text(fields: Mapping[str, object], method_values: Iterable[str]) -> str:
    """The folded searchable text of a contact, fields in views.SEARCH_FIELDS order.

    `fields` maps Contact field names to values (a model's `__data__` will do).
    """

    def get(key: str) -> str:
        return str(fields.get(key) or "")

    name = " ".join(get(k) for k in ("first_name", "last_name", "previous_names") if get(k))
    return SEP.join(
        fold(x).replace(SEP, " ")
        for x in (
            name,
            get("job_title"),
            get("company"),
            get("location"),
            get("how_met"),
            get("notes"),
            get("looking_for"),
            " ".join(method_values),
        )
    )


def reindex(contact: Contact) -> None:
    values = list(
        ContactMethod.select(ContactMethod.value)
        .where(ContactMethod.contact == contact.id)
        .scalars()
    )
    contact.search_text = search_text(contact.__data__, values)


# --------------------------------------------------------------------------- writes


def _save(contact: Contact) -> None:
    """Save a changed contact and refresh its status cache (inside a transaction).

    The version moves on: a form opened on the older one (another device) gets a
    `Conflict` instead of saving over this write (`update_contact`)."""
    contact.updated_at = clock.now()
    contact.version = (contact.version or 1) + 1
    contact.save()
    stats.refresh([contact.id])


def bump_versions(contact_ids: Iterable[int]) -> None:
    """A change to these contacts made without `_save` (their categories, a bulk
    action): their versions move on, as `_save` moves one on (inside a transaction)."""
    ids = list(contact_ids)
    for start in range(0, len(ids), 500):
        Contact.update(version=Contact.version + 1).where(
            Contact.id.in_(ids[start : start + 500])
        ).execute()


def _get(contact_id: int) -> Contact:
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None:
        raise NotFound(f"no contact #{contact_id}")
    return contact


def add_contact(name: str | None = None, *, met_remote: bool = False, **fields) -> int:
    """Create a contact; returns its id. Raises ValidationFailed naming each bad field.

    A met-on date is a meeting that happened: it is logged as the first touch, in
    person unless `met_remote` (an import's connection date is not: imports do not
    come through here).
    """
    values = dict(fields)
    if name is not None:
        values["name"] = name
    now = clock.now()
    today: date = now.date()
    clean_values = validate(values, today=today, creating=True)
    methods = clean_values.pop("methods", [])
    categories = clean_values.pop("categories", [])
    with database.atomic():
        contact = Contact(created_at=now, updated_at=now, **clean_values)
        if contact.tier is not None:
            contact.tracked_since = today
        contact.search_text = search_text(contact.__data__, [m.value for m in methods])
        contact.save()
        _replace_methods(contact.id, methods)
        _replace_categories(contact.id, categories)
        if contact.met_on is not None:
            _log_first_meeting(contact, remote=met_remote)
        stats.refresh([contact.id])
    return contact.id


def _log_first_meeting(contact: Contact, *, remote: bool) -> None:
    import pendulum

    from netterm.core.kinds import MUTUAL

    met = contact.met_on
    Interaction.create(
        contact=contact.id,
        # noon keeps the day whatever the timezone (as core.dates.parse_when does)
        occurred_at=pendulum.datetime(met.year, met.month, met.day, 12, tz=clock.timezone()),
        occurred_on=met,
        kind="call" if remote else "meeting",
        direction=MUTUAL,
        in_person=not remote,
        note=f"first met: {contact.how_met}" if contact.how_met else "first met",
    )


#: What a changed title or company means (`update_contact(job_change=…)`).
CORRECTION, NEW_JOB = "correction", "new_job"
JOB_CHANGES = (CORRECTION, NEW_JOB)


def job_changed(contact_id: int, changes: dict) -> bool:
    """Whether these changes give a contact that has a job another title or company
    (then `update_contact` needs to know: a correction or a new job)."""
    contact = _get(contact_id)
    if not (contact.job_title or contact.company):
        return False
    return any(
        field in changes and _clean_text(field, changes[field]) != getattr(contact, field)
        for field in ("job_title", "company")
    )


def update_contact(
    contact_id: int,
    *,
    job_change: str | None = None,
    job_since: str | date | None = None,
    expected_version: int | None = None,
    **changes,
) -> None:
    """Change some fields. A new last name keeps the old one as a former name.

    A changed title or company must say what it is: `job_change="correction"` fixes a
    typo (the career history is untouched), `"new_job"` moves the old job to the
    history, ended on `job_since` (default today). Without it, InvalidInput.

    `expected_version` is the contact's `version` when the editor read it: if someone
    saved the contact since (another device), nothing is written and `Conflict` says
    what they changed. Every edit bumps the version.
    """
    now = clock.now()
    today: date = now.date()
    values = validate(changes, today=today, creating=False)
    if job_change is not None and job_change not in JOB_CHANGES:
        raise InvalidInput("job change", f"'{job_change}' is not a correction or a new job")
    since = today
    if job_since is not None and job_since != "":
        try:
            since = job_since if isinstance(job_since, date) else parse_date(str(job_since), today)
        except InvalidInput as exc:
            raise InvalidInput("since", exc.message) from None
        if since > today:
            raise InvalidInput("since", f"{since.isoformat()} is in the future")
    with database.atomic():
        contact = _get(contact_id)
        if expected_version is not None and contact.version != expected_version:
            from netterm.errors import Conflict

            current = get_detail_values(contact)
            raise Conflict(
                contact.id, contact.name, {k: current.get(k) for k in changes if k in current}
            )
        methods = values.pop("methods", None)
        categories = values.pop("categories", None)
        moved = (contact.job_title or contact.company) and (
            values.get("job_title", contact.job_title) != contact.job_title
            or values.get("company", contact.company) != contact.company
        )
        if moved and job_change is None:
            raise InvalidInput(
                "job change",
                "the title or company changed: say whether it is a correction (the career "
                "history stays as it is) or a new job (the old one goes to the history)",
            )
        _keep_history(contact, values, since, new_job=job_change == NEW_JOB)
        if values.get("tier") is not None and contact.tier is None:
            contact.tracked_since = today  # tracking starts now
        for key, value in values.items():
            setattr(contact, key, value)
        if methods is not None:
            _replace_methods(contact.id, methods)
        if categories is not None:
            _replace_categories(contact.id, categories)
        reindex(contact)
        _save(contact)


def get_detail_values(contact: Contact) -> dict[str, object]:
    """The contact's own fields as an editor shows them (for a conflict's message)."""
    return {f.name: getattr(contact, f.name) for f in Contact._meta.sorted_fields}


def _keep_history(
    contact: Contact, values: dict, today: date, source: str = "manual", *, new_job: bool = True
) -> None:
    """A new job moves the old one to the career history (ended `today`); a new last
    name keeps the old one as a former name."""
    new_title = values.get("job_title", contact.job_title)
    new_company = values.get("company", contact.company)
    if (
        new_job
        and (contact.job_title or contact.company)
        and (new_title != contact.job_title or new_company != contact.company)
    ):
        Job.create(
            contact=contact.id,
            title=contact.job_title,
            company=contact.company,
            ended_on=today,
            source=source,
        )
    new_last = values.get("last_name", contact.last_name)
    if contact.last_name and new_last != contact.last_name:
        previous = [p for p in contact.previous_names.split(", ") if p]
        if contact.last_name not in previous:
            previous.append(contact.last_name)
        contact.previous_names = ", ".join(previous)


def record_job_change(contact_id: int, title: str, company: str, source: str) -> None:
    """A job change found by an import: history row, new job, and the "job changed" flag."""
    now = clock.now()
    with database.atomic():
        contact = _get(contact_id)
        values = {
            "job_title": _clean_text("job_title", title),
            "company": _clean_text("company", company),
        }
        _keep_history(contact, values, now.date(), source=source)
        contact.job_title, contact.company = values["job_title"], values["company"]
        contact.job_changed_at = now
        reindex(contact)
        _save(contact)


def acknowledge_job_change(contact_id: int) -> datetime | None:
    """The user saw the job change (congratulated, or not): the flag goes.

    Returns when the change had been recorded (None: nothing was flagged), which
    `reopen_job_change` takes to undo this.
    """
    with database.atomic():
        contact = _get(contact_id)
        changed_at = contact.job_changed_at
        if changed_at is not None:
            contact.job_changed_at = None
            _save(contact)
    return changed_at


def reopen_job_change(contact_id: int, changed_at: datetime) -> None:
    """Undo `acknowledge_job_change`: the job change is flagged again, as recorded."""
    with database.atomic():
        contact = _get(contact_id)
        contact.job_changed_at = changed_at
        _save(contact)


def _replace_methods(contact_id: int, methods: Sequence[MethodInput]) -> None:
    ContactMethod.delete().where(ContactMethod.contact == contact_id).execute()
    if methods:
        ContactMethod.insert_many(
            [
                {
                    "contact": contact_id,
                    "kind": m.kind,
                    "value": m.value,
                    "label": m.label,
                    "primary": m.primary,
                }
                for m in methods
            ]
        ).execute()


def add_method(contact_id: int, kind: str, value: str, label: str = "") -> None:
    with database.atomic():
        contact = _get(contact_id)
        current = [
            MethodInput(m.kind, m.value, m.label, m.primary)
            for m in ContactMethod.select()
            .where(ContactMethod.contact == contact_id)
            .order_by(ContactMethod.id)
        ]
        values = validate(
            {"methods": [*current, MethodInput(kind, value, label)]},
            today=clock.today(),
            creating=False,
        )
        _replace_methods(contact_id, values["methods"])
        reindex(contact)
        _save(contact)


def _replace_categories(contact_id: int, names: Sequence[str]) -> None:
    ContactCategory.delete().where(ContactCategory.contact == contact_id).execute()
    for name in names:
        category = ensure_category(name)
        ContactCategory.insert(
            contact=contact_id, category=category.id
        ).on_conflict_ignore().execute()


def ensure_category(name: str) -> Category:
    name = " ".join(clean(name).split())
    if not name:
        raise InvalidInput("category", "empty category name")
    existing = Category.get_or_none(Category.name == name)  # NOCASE collation
    return existing or Category.create(name=name)


def add_categories(contact_id: int, names: Sequence[str]) -> None:
    with database.atomic():
        _get(contact_id)
        for name in names:
            category = ensure_category(name)
            ContactCategory.insert(
                contact=contact_id, category=category.id
            ).on_conflict_ignore().execute()
        bump_versions([contact_id])


def remove_category(contact_id: int, name: str) -> None:
    category = Category.get_or_none(Category.name == name)
    if category is None:
        raise NotFound(f"no category '{name}'")
    with database.atomic():
        ContactCategory.delete().where(
            (ContactCategory.contact == contact_id) & (ContactCategory.category == category.id)
        ).execute()
        bump_versions([contact_id])


def list_categories() -> list[tuple[str, int]]:
    """Every category with how many active contacts carry it, by name."""
    from peewee import JOIN, fn

    query = (
        Category.select(Category.name, fn.COUNT(Contact.id))
        .join(ContactCategory, JOIN.LEFT_OUTER)
        .join(
            Contact,
            JOIN.LEFT_OUTER,
            on=((ContactCategory.contact == Contact.id) & Contact.archived_at.is_null()),
        )
        .group_by(Category.id)
        .order_by(Category.name)
        .tuples()
    )
    return [(name, count) for name, count in query.iterator()]


def rename_category(old: str, new: str) -> None:
    category = Category.get_or_none(Category.name == old)
    if category is None:
        raise NotFound(f"no category '{old}'")
    new = " ".join(clean(new).split())
    if not new:
        raise InvalidInput("category", "empty category name")
    clash = Category.get_or_none(Category.name == new)
    with database.atomic():
        # every contact in it has other categories now: their versions move on, so a
        # form opened before the rename (another device) gets a Conflict instead of
        # saving the old name back over it
        members = list(
            ContactCategory.select(ContactCategory.contact)
            .where(ContactCategory.category == category.id)
            .scalars()
        )
        if clash is not None and clash.id != category.id:
            # merging two categories: move the links, keep one
            for cid in members:
                ContactCategory.insert(
                    contact=cid, category=clash.id
                ).on_conflict_ignore().execute()
            category.delete_instance(recursive=True)
        else:
            category.name = new
            category.save()
        bump_versions(members)


def set_tier(contact_id: int, tier) -> int | None:
    update_contact(contact_id, tier=tier)
    return _get(contact_id).tier


def archive(contact_id: int) -> None:
    """Archive (never delete): hidden from triage, kept with its whole history."""
    now = clock.now()
    with database.atomic():
        contact = _get(contact_id)
        if contact.archived_at is None:
            contact.archived_at = now
            _save(contact)


def unarchive(contact_id: int) -> None:
    with database.atomic():
        contact = _get(contact_id)
        if contact.archived_at is not None:
            contact.archived_at = None
            _save(contact)


def purge(contact_id: int) -> str:
    """Delete an archived contact and everything about it. Refuses an active contact."""
    with database.atomic():
        contact = _get(contact_id)
        if contact.archived_at is None:
            raise InvalidInput(
                "purge", f"{contact.name} is not archived; archive first, then purge"
            )
        name = contact.name
        contact.delete_instance(recursive=True)
    return name


def snooze(contact_id: int, until: date | str | None) -> date | None:
    """Pause reminders until a date (inclusive); None resumes."""
    today = clock.today()
    if isinstance(until, str):
        until = parse_date(until, today, prefer="future")
    if until is not None and until < today:
        raise InvalidInput("snooze", f"{until.isoformat()} is in the past")
    with database.atomic():
        contact = _get(contact_id)
        contact.paused_until = until
        _save(contact)
    return until


def ball_in_their_court(contact_id: int, on: bool = True) -> None:
    """Pause the contact until they reach out (an inbound touch)."""
    with database.atomic():
        contact = _get(contact_id)
        contact.awaiting_inbound_since = clock.today() if on else None
        _save(contact)


def mark_reviewed(contact_id: int) -> None:
    with database.atomic():
        contact = _get(contact_id)
        contact.reviewed_at = clock.now()
        _save(contact)


# --------------------------------------------------------------------------- finding


def _name_only(search: str) -> str:
    return search.split(SEP, 1)[0]


def find(who: str, *, include_archived: bool = False) -> list[Candidate]:
    """The contacts `who` names, best matches only (several means ambiguous).

    `#12` picks by id. Otherwise exact names beat whole words, which beat prefixes
    ("ana s"), which beat close spellings.
    """
    text = (who or "").strip()
    if not text:
        raise InvalidInput("who", "empty name")
    if text.startswith("#") and text[1:].isascii() and text[1:].isdigit():
        # `#³` is a digit to str.isdigit but not to int(); an id has at most 19 digits
        number = int(text[1:]) if len(text) <= 20 else 0
        contact = Contact.get_or_none(Contact.id == number) if 0 < number < 2**63 else None
        if contact is None or (contact.archived_at is not None and not include_archived):
            return []
        row = (
            contact.id,
            contact.first_name,
            contact.last_name,
            contact.job_title,
            contact.company,
            contact.previous_names,
        )
        return [_candidate(row)]
    where = "" if include_archived else "WHERE archived_at IS NULL"
    query = NameQuery(text)
    if not query:
        raise InvalidInput("who", f"'{text}' has no letters to match a name")
    sql = (
        "SELECT id, first_name, last_name, job_title, company, previous_names, search_text "
        f"FROM contact {where}"
    )
    rows = database.execute_sql(sql).fetchall()
    # every literal match holds each query word in its folded names (a cheap test)
    pre = [r for r in rows if query.prefilter(_name_only(r[6]))]
    matches = rank_matches(query, map(_candidate, pre), close=False)
    if not matches:
        matches = close_spellings(query, map(_candidate, rows), lambda c: c.name)
    return matches


def _candidate(row) -> Candidate:
    cid, first, last, title, company, previous = row[:6]
    detail = f"{title} @ {company}" if title and company else (title or company or "")
    aliases = tuple(join_name(first, p) for p in (previous or "").split(", ") if p)
    return Candidate(cid, join_name(first, last), detail, aliases)


def resolve(who: str, *, include_archived: bool = False) -> int:
    """The one contact `who` names, or NotFound / Ambiguous (nothing is changed)."""
    matches = find(who, include_archived=include_archived)
    if not matches and not include_archived:
        archived = find(who, include_archived=True)
        if archived:
            names = ", ".join(f"#{c.id} {c.name}" for c in archived[:5])
            raise NotFound(
                f"no active contact matches '{who}' (archived: {names}; unarchive first)"
            )
    if not matches:
        raise NotFound(f"no contact matches '{who}'")
    if len(matches) > 1:
        raise Ambiguous(
            who, [f"#{c.id} {c.name}" + (f" ({c.detail})" if c.detail else "") for c in matches]
        )
    return matches[0].id


def contact_name(contact_id: int) -> str:
    return _get(contact_id).name

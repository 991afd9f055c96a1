"""Settings (the Setting table) and the policy the status rules run with."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from netterm.config import DEFAULT_POLICY, SETTINGS, Policy, SettingError, clock, parse_setting
from netterm.errors import InvalidInput
from netterm.store.models import Audit, Setting, database
from netterm.store.status_sql import LAST_FINISHED_AUDIT

if TYPE_CHECKING:
    import pendulum


def get_setting(key: str, default=None):
    row = Setting.get_or_none(Setting.key == key)
    return default if row is None else json.loads(row.value)


#: Settings that are not numbers of the status rules: key → (allowed values, default).
CHOICES: dict[str, tuple[tuple[str, ...], str]] = {
    # how an ambiguous numeric date (03/04/2026) reads: day first or month first
    "dates.order": (("dmy", "mdy"), "dmy"),
}


def known_setting(key: str) -> bool:
    return key in CHOICES or key in SETTINGS


def set_setting(key: str, value) -> None:
    """Store a setting after checking it against its schema (`CHOICES` here, the typed
    `config.SETTINGS` for the rest): unknown keys and values out of range are refused
    with InvalidInput, nothing written."""
    if key in CHOICES:
        allowed, _ = CHOICES[key]
        value = str(value).strip().lower()
        if value not in allowed:
            raise InvalidInput("setting", f"{key} is one of {', '.join(allowed)}, not '{value}'")
    else:
        try:
            value = parse_setting(key, value)
        except SettingError as exc:
            raise InvalidInput("setting", str(exc)) from None
    with database.atomic():
        text = json.dumps(value)
        Setting.insert(key=key, value=text).on_conflict(  # an upsert both engines speak
            conflict_target=[Setting.key], update={Setting.value: text}
        ).execute()
        if key.startswith("policy."):
            from netterm.services import stats

            stats.rebuild()  # cadences and thresholds are part of the status cache


def all_settings() -> dict[str, object]:
    return {row.key: json.loads(row.value) for row in Setting.select()}


def choice(key: str) -> str:
    """A CHOICES setting's value (its default when unset or no longer allowed)."""
    allowed, default = CHOICES[key]
    value = get_setting(key, default)
    return value if value in allowed else default


def date_order() -> str:
    """'dmy' or 'mdy': how the user writes numeric dates (setting `dates.order`)."""
    return choice("dates.order")


def get_policy() -> Policy:
    values = {k: v for k, v in all_settings().items() if k.startswith("policy.")}
    return DEFAULT_POLICY.with_values(values)


def _last_finished_audit() -> tuple[pendulum.DateTime, pendulum.DateTime] | None:
    """(started, finished) of the network's last finished audit, as aware instants: an
    audit of a part that left someone out does not count (store/status_sql.py)."""
    row = database.execute_sql(LAST_FINISHED_AUDIT).fetchone()
    if row is None:
        return None
    return Audit.started_at.python_value(row[0]), Audit.finished_at.python_value(row[1])


def last_finished_audit_on() -> date | None:
    """The local day the last finished audit started (contacts reviewed before it are stale)."""
    audit = _last_finished_audit()
    return audit[0].in_tz(clock.timezone()).date() if audit else None


def last_finished_audit_end() -> date | None:
    audit = _last_finished_audit()
    return audit[1].in_tz(clock.timezone()).date() if audit else None


def next_audit_due_on(policy: Policy) -> date | None:
    """When the network's next audit is due (None: none ever finished: due now)."""
    finished = last_finished_audit_end()
    if finished is None:
        return None
    return date.fromordinal(finished.toordinal() + policy.audit_interval_days)


@dataclass(frozen=True, slots=True)
class Basis:
    """What every status depends on besides the contact: the policy and the last
    finished audit (its first and last day). Read once per screenful of work: on
    PostgreSQL each read is a round trip to the server."""

    policy: Policy
    last_audit_on: date | None
    last_audit_end: date | None


def basis() -> Basis:
    """The policy and the last finished audit, in two queries."""
    audit = _last_finished_audit()
    tz = clock.timezone()
    return Basis(
        get_policy(),
        audit[0].in_tz(tz).date() if audit else None,
        audit[1].in_tz(tz).date() if audit else None,
    )


_UNREAD: Any = object()


def audit_due(
    today: date, policy: Policy, has_contacts: bool = True, finished: date | None = _UNREAD
) -> bool:
    """An audit is due when none was ever finished, or the last is older than the interval.

    `finished` is the last finished audit's last day, when the caller has read it."""
    if not has_contacts:
        return False
    if finished is _UNREAD:
        finished = last_finished_audit_end()
    if finished is None:
        return True
    return (today.toordinal() - finished.toordinal()) > policy.audit_interval_days

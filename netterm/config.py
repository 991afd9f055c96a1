"""Paths, the clock and the default settings.

Everything that depends on "where" or "when" goes through this module, so tests can
point netterm at a temporary database and freeze today.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pendulum

APP_NAME = "netterm"
DB_ENV = "NETTERM_DB"
TZ_ENV = "NETTERM_TZ"
#: Freezes the clock of a whole process (tests of the command line, screenshots).
NOW_ENV = "NETTERM_NOW"


# --------------------------------------------------------------------------- paths


def data_dir() -> Path:
    """The platform's user data directory for netterm (not created here)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / "netterm.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH` wins over `NETTERM_DB`, which wins over the platform default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db_path()


# --------------------------------------------------------------------------- clock


class Clock:
    """The one source of "now" and "today", in the user's local timezone.

    `pendulum.travel_to` works on it (it reads `pendulum.now`); `freeze` and the
    `NETTERM_NOW` environment variable pin it without the time-machine extra.
    """

    def __init__(self) -> None:
        self._frozen: pendulum.DateTime | None = None

    def timezone(self) -> pendulum.Timezone | pendulum.FixedTimezone:
        name = os.environ.get(TZ_ENV)
        if name:
            return pendulum.timezone(name)
        return pendulum.local_timezone()

    def now(self) -> pendulum.DateTime:
        tz = self.timezone()
        if self._frozen is not None:
            return self._frozen.in_tz(tz)
        pinned = os.environ.get(NOW_ENV)
        if pinned:
            return _parse_pinned(pinned, tz)
        return pendulum.now(tz)

    def today(self) -> pendulum.Date:
        return self.now().date()

    @contextmanager
    def freeze(self, moment: pendulum.DateTime | str):
        previous = self._frozen
        if isinstance(moment, str):
            moment = _parse_pinned(moment, self.timezone())
        self._frozen = moment
        try:
            yield moment
        finally:
            self._frozen = previous

    def set(self, moment: pendulum.DateTime | None) -> None:
        """Pin (or with None, release) the clock until told otherwise."""
        self._frozen = moment


def _parse_pinned(text: str, tz) -> pendulum.DateTime:
    parsed = pendulum.parse(text, tz=tz)
    if isinstance(parsed, pendulum.Date) and not isinstance(parsed, pendulum.DateTime):
        parsed = pendulum.datetime(parsed.year, parsed.month, parsed.day, 12, tz=tz)
    return parsed.in_tz(tz)


clock = Clock()


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True, slots=True)
class Policy:
    """The tunable numbers behind the status rules. Stored in the Setting table.

    Every field has a setting key `policy.<field>`; the defaults below are those of
    docs/status-rules.md.
    """

    cadence_tier1: int = 90
    cadence_tier2: int = 180
    cadence_tier3: int = 365
    due_soon_days: int = 14
    unresponsive_after: int = 2
    follow_up_days: int = 21  # habit 6: after an unanswered attempt, follow up once
    meet_in_person_days: int = 365
    reciprocity_days: int = 365
    give_back_received: int = 2
    audit_interval_days: int = 182
    weight_tier1: float = 3.0
    weight_tier2: float = 2.0
    weight_tier3: float = 1.0

    def cadence_for_tier(self, tier: int | None) -> int | None:
        if tier == 1:
            return self.cadence_tier1
        if tier == 2:
            return self.cadence_tier2
        if tier == 3:
            return self.cadence_tier3
        return None

    def follow_up_interval(self, cadence: int) -> int:
        """Days after an unanswered attempt before following up: never later than the
        cadence would bring the contact back anyway."""
        return min(self.follow_up_days, cadence)

    def weight_for_tier(self, tier: int | None) -> float:
        if tier == 1:
            return self.weight_tier1
        if tier == 2:
            return self.weight_tier2
        if tier == 3:
            return self.weight_tier3
        return 0.0

    def with_values(self, values: dict[str, object]) -> Policy:
        """A copy with the given `policy.*` settings applied (unknown keys ignored)."""
        changes = {}
        for name in POLICY_FIELDS:
            key = f"policy.{name}"
            if key in values:
                kind = type(getattr(self, name))
                changes[name] = kind(values[key])
        return replace(self, **changes)


POLICY_FIELDS = tuple(Policy.__dataclass_fields__)

DEFAULT_POLICY = Policy()

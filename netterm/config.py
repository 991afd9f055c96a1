"""Paths, the clock and the default settings.

Everything that depends on "where" or "when" goes through this module, so tests can
point netterm at a temporary database and freeze today.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from netterm.errors import NetTermError

if TYPE_CHECKING:
    import pendulum


class EnvironmentInvalid(NetTermError):
    """An environment variable netterm reads (NETTERM_TZ, NETTERM_NOW) has a bad value."""


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


def current_user() -> str:
    """Who logs touches on this device: `NETTERM_USER`, else the OS login name.

    Per device, not a setting of the network: on a network shared through PostgreSQL
    every person's touches are signed with their own name.
    """
    name = os.environ.get("NETTERM_USER")
    if name is None:
        import getpass

        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no login name (a container without a passwd entry)
            name = ""
    return name.strip()[:100]


def default_db_path() -> Path:
    return data_dir() / "netterm.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None):
    """`--db PATH` wins over `NETTERM_DB`, which wins over the platform default.

    A `postgresql://` URL gives a `store.location.PostgresURL`, anything else a Path.
    """
    from netterm.store.location import PostgresURL, is_postgres_url

    chosen = explicit or os.environ.get(DB_ENV)
    if isinstance(chosen, PostgresURL):
        return chosen
    if chosen and is_postgres_url(str(chosen)):
        return PostgresURL(str(chosen))
    if chosen:
        return Path(chosen).expanduser()
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
        import pendulum

        name = os.environ.get(TZ_ENV)
        if name:
            try:
                return pendulum.timezone(name)
            except Exception:  # pendulum's InvalidTimezone, or a path-like name
                raise EnvironmentInvalid(
                    f"{TZ_ENV}={_shown(name)} is not a time zone; use a name like "
                    "Europe/Lisbon, or unset it to use the system's"
                ) from None
        return pendulum.local_timezone()

    def now(self) -> pendulum.DateTime:
        import pendulum

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

    @property
    def frozen(self) -> bool:
        """Pinned by `freeze` or `set` (not by NETTERM_NOW)."""
        return self._frozen is not None

    def set(self, moment: pendulum.DateTime | None) -> None:
        """Pin (or with None, release) the clock until told otherwise."""
        self._frozen = moment


def check_clock() -> None:
    """Raise EnvironmentInvalid if NETTERM_TZ or NETTERM_NOW has a value the clock cannot
    use. Without loading pendulum (~20 ms) when neither is set or the zone is one the
    standard library knows (pendulum's zones are zoneinfo's)."""
    name = os.environ.get(TZ_ENV)
    if name and not os.environ.get(NOW_ENV):
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(name)
            return
        except Exception:  # the clock says what is wrong with it
            pass
    if name or os.environ.get(NOW_ENV):
        clock.now()


def _parse_pinned(text: str, tz) -> pendulum.DateTime:
    import pendulum

    try:
        parsed = pendulum.parse(text, tz=tz)
    except Exception:
        raise EnvironmentInvalid(
            f"{NOW_ENV}={_shown(text)} is not a date and time like 2026-11-26T12:00 "
            "(it pins the clock for tests; unset it)"
        ) from None
    if not isinstance(parsed, pendulum.Date):
        raise EnvironmentInvalid(f"{NOW_ENV}={_shown(text)} is not a date and time; unset it")
    if isinstance(parsed, pendulum.Date) and not isinstance(parsed, pendulum.DateTime):
        parsed = pendulum.datetime(parsed.year, parsed.month, parsed.day, 12, tz=tz)
    return parsed.in_tz(tz)


clock = Clock()


def _shown(text: str) -> str:
    text = text if len(text) <= 40 else text[:39] + "…"
    return repr(text)


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
        """A copy with the given `policy.*` settings applied (itself when none applies).

        Unknown keys are ignored, and so is a stored value outside its range (written by
        hand or by an older netterm): the default stands, the app keeps working.
        """
        changes = {}
        for name in POLICY_FIELDS:
            key = f"policy.{name}"
            if key in values:
                try:
                    changes[name] = parse_setting(key, values[key])
                except ValueError:
                    continue
        return replace(self, **changes) if changes else self


POLICY_FIELDS = tuple(Policy.__dataclass_fields__)

DEFAULT_POLICY = Policy()


# --------------------------------------------------------------------------- settings schema


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """What one setting accepts: a whole number or a decimal, from `low` to `high`."""

    kind: type
    low: float
    high: float
    help: str


_DAYS = (1, 3650)  # the same limits as a per-contact cadence (core/validate.positive_days)

#: Every setting netterm knows. `netterm settings KEY VALUE` refuses any other key, and
#: any value that is not a finite number of the right kind within the range.
SETTINGS: dict[str, SettingSpec] = {
    "policy.cadence_tier1": SettingSpec(int, *_DAYS, "days between touches, tier 1"),
    "policy.cadence_tier2": SettingSpec(int, *_DAYS, "days between touches, tier 2"),
    "policy.cadence_tier3": SettingSpec(int, *_DAYS, "days between touches, tier 3"),
    "policy.due_soon_days": SettingSpec(int, 1, 365, "days ahead that count as due soon"),
    "policy.unresponsive_after": SettingSpec(int, 1, 20, "unanswered attempts in a row"),
    "policy.follow_up_days": SettingSpec(int, *_DAYS, "days before following up once"),
    "policy.meet_in_person_days": SettingSpec(int, *_DAYS, "days without meeting in person"),
    "policy.reciprocity_days": SettingSpec(int, *_DAYS, "days counted for give and take"),
    "policy.give_back_received": SettingSpec(int, 1, 100, "favours received before give back"),
    "policy.audit_interval_days": SettingSpec(int, *_DAYS, "days between audits"),
    "policy.weight_tier1": SettingSpec(float, 0.1, 100, "urgency weight, tier 1"),
    "policy.weight_tier2": SettingSpec(float, 0.1, 100, "urgency weight, tier 2"),
    "policy.weight_tier3": SettingSpec(float, 0.1, 100, "urgency weight, tier 3"),
    # your own addresses and profile, normalised by netterm/services/capture.py
    "me": SettingSpec(list, 0, 100, "your e-mail addresses and LinkedIn profile"),
    "capture.max_attendees": SettingSpec(int, 1, 1000, "a bigger meeting is no touch"),
    "user": SettingSpec(str, 0, 100, "the name touches you log are signed with"),
}

_INT = re.compile(r"[+-]?[0-9]{1,12}")
_FLOAT = re.compile(r"[+-]?([0-9]{1,12}(\.[0-9]{0,12})?|\.[0-9]{1,12})")


class SettingError(ValueError):
    """A setting key or value netterm refuses; the message is one sentence."""


def parse_setting(key: str, value: object) -> int | float | str | list[str]:
    """The value of setting `key` as its kind, or SettingError saying why not.

    Values come from the command line (text) or the Setting table (JSON numbers). NaN,
    infinities, huge numbers, `1e9`, `0x10` and `1_000` are refused.
    """
    spec = SETTINGS.get(key)
    if spec is None:
        raise SettingError(f"unknown setting '{key}'; known: {', '.join(SETTINGS)}")
    if spec.kind is str:
        text = " ".join(str(value).split())
        if len(text) > spec.high or not text.isprintable():
            raise SettingError(f"{key} takes a line of at most {int(spec.high)} characters")
        return text
    if spec.kind is list:
        if not isinstance(value, list) or not all(
            isinstance(v, str) and 0 < len(v) <= 320 for v in value
        ):
            raise SettingError(f"{key} takes a list of {spec.help}")
        if not spec.low <= len(value) <= spec.high:
            raise SettingError(f"{key} takes at most {int(spec.high)} values ({spec.help})")
        return list(value)
    if isinstance(value, bool):
        raise SettingError(f"{key} takes a number, not '{value}'")
    text = str(value).strip() if not isinstance(value, (int, float)) else repr(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e12:
        text = str(int(value)) if spec.kind is int else text
    pattern = _INT if spec.kind is int else _FLOAT
    if not pattern.fullmatch(text):
        what = "a whole number" if spec.kind is int else "a number"
        shown = text if len(text) <= 30 else text[:29] + "…"
        raise SettingError(f"{key} takes {what} ({spec.help}), not '{shown}'")
    number = spec.kind(text)
    if not spec.low <= number <= spec.high:
        low, high = (int(spec.low), int(spec.high)) if spec.kind is int else (spec.low, spec.high)
        raise SettingError(f"{key} must be from {low} to {high} ({spec.help}), not {text}")
    return number

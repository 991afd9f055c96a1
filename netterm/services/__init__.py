"""The one place that reads and writes the store, for the CLI and the TUI alike.

Functions take and return plain values and the dataclasses of `views`; callers never
see a Peewee row or build a query. Open the database first with
`netterm.store.open_database(path)`.

`services.add_contact(...)` and the other names of `services/api.py` are loaded on first
use, not with the package: the app's first frame imports a few light modules
(`services.quickstart`, `rows`, `rowviews`, `connection`), and that must not import every
service with the store and pendulum behind them (docs/architecture.md, "The app paints
before it opens the store").
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netterm.services.api import *  # noqa: F403


def __getattr__(name: str):
    if name.startswith("__") or _is_module(name):
        # `from … import` asks for __path__, and for a submodule before importing it
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    api = import_module("netterm.services.api")
    try:
        value = getattr(api, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value  # asked once
    return value


def _is_module(name: str) -> bool:
    return find_spec(f"{__name__}.{name}") is not None

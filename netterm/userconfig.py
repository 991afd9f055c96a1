"""The user's config file: their keys and their theme (README, "Your keys and looks").

A TOML file in the platform's config folder (`~/.config/netterm/config.toml` on Linux,
via platformdirs), or wherever `NETTERM_CONFIG` points::

    theme = "gruvbox"          # any theme of ctrl+p → "Change theme"; saved when changed

    [keys]                     # binding id = key(s), comma-separated (docs/keymap.md)
    "contacts.log" = "L"
    "audit.keep" = "k,space"

Unlike the settings in the database (cadences, policy: shared by every device of a
network), this file belongs to one person on one machine. Reading never fails: a
problem becomes one line naming the file and the line or key (`Config.problems`), and
netterm goes on with the defaults for what was wrong. `save_theme` writes the theme
back, keeping the rest of the file (comments included, through tomlkit), atomically and
private (0600).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_ENV = "NETTERM_CONFIG"
TOP_KEYS = ("theme", "keys")


def config_path() -> Path:
    """`NETTERM_CONFIG`, else `config.toml` in the platform's user config folder."""
    chosen = os.environ.get(CONFIG_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_path

    return user_config_path("netterm", appauthor=False) / "config.toml"


@dataclass(slots=True)
class Config:
    path: Path
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    #: one line each: "FILE:LINE: what is wrong" or "FILE: keys.x: what is wrong"
    problems: list[str] = field(default_factory=list)


_AT_LINE = re.compile(r"\s*\(?at line (\d+),? col(?:umn)? (\d+)\)?$")


def _syntax_problem(path: Path, error: Exception, source: str = "") -> str:
    text = str(error)
    line = getattr(error, "lineno", None) or getattr(error, "line", None)
    if text.endswith(" (at end of document)"):  # an unclosed [ or ": its last line
        text = text.removesuffix(" (at end of document)") + " (the file ends too early)"
        line = line or max(1, len(source.rstrip().splitlines()))
    found = _AT_LINE.search(text)
    if found:
        line = line or int(found.group(1))
        text = text[: found.start()]
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {text}"


def _key_string(value: object) -> str | None:
    """A keymap value: "L", "k,space", or a list ["k", "space"]; None if malformed."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        value = ",".join(value)
    if not isinstance(value, str):
        return None
    keys = [k.strip() for k in value.split(",")]
    if not all(keys) or any(" " in k for k in keys):
        return None
    return ",".join(keys)


def load(path: Path | None = None) -> Config:
    """The config file's theme and keymap; a missing file is an empty config."""
    path = path or config_path()
    config = Config(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return config
    except OSError as exc:
        config.problems.append(f"{path}: cannot be read: {exc.strerror or exc}")
        return config
    import tomllib

    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        config.problems.append(f"{path}: not UTF-8 text")
        return config
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        config.problems.append(_syntax_problem(path, exc, source))
        return config
    for key in data:
        if key not in TOP_KEYS:
            config.problems.append(f"{path}: {key}: unknown setting (known: theme, [keys])")
    theme = data.get("theme")
    if theme is not None:
        if isinstance(theme, str) and theme.strip():
            config.theme = theme.strip()
        else:
            config.problems.append(f'{path}: theme: must be a theme name, e.g. theme = "nord"')
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        config.problems.append(f'{path}: keys: must be a table, e.g. [keys] "contacts.log" = "L"')
        keys = {}
    for binding_id, value in keys.items():
        if isinstance(value, dict):  # [keys.contacts] log = "L": a dotted id
            pairs = [(f"{binding_id}.{k}", v) for k, v in value.items()]
        else:
            pairs = [(binding_id, value)]
        for ident, v in pairs:
            keystring = _key_string(v)
            if keystring is None:
                config.problems.append(
                    f'{path}: keys.{ident}: must be a key or keys, e.g. "L" or "k,space"'
                )
            else:
                config.keymap[ident] = keystring
    return config


def save_theme(name: str, path: Path | None = None) -> Path:
    """Write `theme = name` into the config file, keeping its other keys and comments.

    Atomic (a private temporary file in the same folder, then a rename) and 0600; the
    folder is created 0700. OSError or ValueError (a file that does not parse: it is
    left alone) when it cannot.
    """
    import tempfile

    import tomlkit

    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ValueError(_syntax_problem(path, exc, text)) from None
    if not text:
        document.add(tomlkit.comment("netterm's config: README, 'Your keys and looks'"))
    document["theme"] = name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:  # mkstemp: already 0600
            handle.write(tomlkit.dumps(document))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path

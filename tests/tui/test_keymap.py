"""The config file: a keymap over the bindings' ids, the theme (saved when changed), and
a bad file that never stops the app."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from helpers import SIZE, app_for, ready, toasts, wait_for
from textual.binding import Binding

from netterm import userconfig
from netterm.tui import keys
from netterm.tui.screens.help import HelpScreen, binding_rows
from netterm.tui.screens.quicklog import QuickLog


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("NETTERM_CONFIG", str(path))
    return path


# ------------------------------------------------------------------ the ids


def test_every_netterm_binding_has_a_unique_id_listed_in_docs():
    docs = (Path(__file__).parents[2] / "docs" / "keymap.md").read_text()
    seen: dict[str, str] = {}
    for scope in keys.SCOPES:
        for binding in keys.bindings_of(scope):
            assert binding.id, f"{scope}: {binding.action} has no id"
            assert binding.id.startswith(f"{scope}."), binding.id
            assert binding.id not in seen, f"{binding.id} twice"
            seen[binding.id] = scope
            assert f"`{binding.id}`" in docs, (
                f"docs/keymap.md lacks {binding.id}: "
                "python -m netterm.tui.keys > docs/keymap.md writes it again"
            )
    listed = set(re.findall(r"^\| `([a-z-]+\.[a-z0-9_-]+)`", docs, re.M))
    assert listed == set(seen), listed ^ set(seen)
    assert docs == keys.markdown(), "python -m netterm.tui.keys > docs/keymap.md"


def test_every_class_with_bindings_is_a_scope():
    """A new screen with BINDINGS but no scope would have keys no keymap can move."""
    import importlib
    import pkgutil

    import netterm.tui

    scoped_classes = {keys.SCOPES[s] for s in keys.SCOPES}
    missing = []
    for info in pkgutil.walk_packages(netterm.tui.__path__, "netterm.tui."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                isinstance(obj, type)
                and obj.__module__ == module.__name__
                and any(isinstance(b, Binding) for b in obj.__dict__.get("BINDINGS", []))
                and f"{module.__name__}:{name}" not in scoped_classes
            ):
                missing.append(f"{module.__name__}:{name}")
    assert missing == []


def test_action_slugs():
    assert keys.action_slug("decide('keep')") == "keep"
    assert keys.action_slug("app.open_screen('audit')") == "open_screen_audit"
    assert keys.action_slug("move(-1)") == "move_up"
    assert keys.action_slug("jump(-1)") == "jump_last"
    assert keys.action_slug("screen.edit_touch") == "edit_touch"


# ------------------------------------------------------------------ reading the file


def test_a_missing_file_is_an_empty_config(config):
    loaded = userconfig.load()
    assert loaded.path == config and loaded.keymap == {} and loaded.theme is None
    assert loaded.problems == []


def test_the_path_follows_xdg_without_the_override(monkeypatch, tmp_path):
    monkeypatch.delenv("NETTERM_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and not os.sys.platform.startswith("darwin"):
        assert userconfig.config_path() == tmp_path / "xdg" / "netterm" / "config.toml"


def test_keys_and_theme_are_read(config):
    config.parent.mkdir()
    config.write_text(
        '# mine\ntheme = "nord"\n[keys]\n"contacts.log" = "L"\n"audit.keep" = ["k", "space"]\n'
        '[keys.detail]\nreply = "R"\n'
    )
    loaded = userconfig.load()
    assert loaded.theme == "nord"
    assert loaded.keymap == {"contacts.log": "L", "audit.keep": "k,space", "detail.reply": "R"}
    assert loaded.problems == []


def test_a_syntax_error_names_the_line(config):
    config.parent.mkdir()
    config.write_text('theme = "nord"\n[keys]\n"contacts.log" = \n')
    loaded = userconfig.load()
    assert loaded.keymap == {} and loaded.theme is None
    assert loaded.problems == [f"{config}:3: Invalid value"]


def test_bad_values_name_the_key_and_keep_the_rest(config):
    config.parent.mkdir()
    config.write_text('theme = 3\ncolour = "red"\n[keys]\n"contacts.log" = 5\n"audit.keep" = "K"\n')
    loaded = userconfig.load()
    assert loaded.keymap == {"audit.keep": "K"}
    assert loaded.problems == [
        f"{config}: colour: unknown setting (known: theme, [keys])",
        f'{config}: theme: must be a theme name, e.g. theme = "nord"',
        f'{config}: keys.contacts.log: must be a key or keys, e.g. "L" or "k,space"',
    ]


def test_saving_the_theme_keeps_comments_and_other_keys(config):
    config.parent.mkdir()
    config.write_text('# my keys\n[keys]\n"contacts.log" = "L"  # capital\n')
    userconfig.save_theme("gruvbox")
    text = config.read_text()
    assert "# my keys" in text and "# capital" in text
    loaded = userconfig.load()
    assert loaded.theme == "gruvbox" and loaded.keymap == {"contacts.log": "L"}
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert [p.name for p in config.parent.iterdir()] == ["config.toml"]  # no temp left


def test_saving_creates_a_private_folder_and_file(config):
    userconfig.save_theme("nord")
    assert userconfig.load().theme == "nord"
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_saving_leaves_a_broken_file_alone(config):
    config.parent.mkdir()
    config.write_text("theme = \n")
    with pytest.raises(ValueError, match=re.escape(f"{config}:1:")):
        userconfig.save_theme("nord")
    assert config.read_text() == "theme = \n"


# ------------------------------------------------------------------ in the app


async def test_a_remapped_key_works_and_the_help_shows_it(demo_db, config):
    config.parent.mkdir()
    config.write_text('[keys]\n"contacts.log" = "L"\n"contacts.log_pick" = "ctrl+l"\n')
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")  # the old key does nothing now
        await pilot.pause()
        assert not isinstance(app.screen, QuickLog)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, QuickLog), what="the quick-log")
        await pilot.press("escape")
        await pilot.pause()
        rows = {d: k for k, d, _t, _e in binding_rows(app.screen)}
        log_keys = [k for k, d, _t, _e in binding_rows(app.screen) if d == "Log"]
        assert log_keys == ["L"], rows
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
        help_text = "\n".join(str(s.render()) for s in app.screen.query(".help-keys"))
        assert re.search(r"^\s*L\s+Log\s+Quick-log a touch", help_text, re.M), help_text
        assert re.search(r"^\s*\^l\s+Log for…", help_text, re.M), help_text
        assert not re.search(r"^\s*l\s+Log\b", help_text, re.M)
        assert not [t for t in toasts(app) if "config" in t.lower()]


async def test_the_theme_is_loaded_and_a_change_is_saved(demo_db, config):
    config.parent.mkdir()
    config.write_text('# keep me\ntheme = "nord"\n')
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "nord"
        assert config.read_text() == '# keep me\ntheme = "nord"\n'  # not rewritten at start
        app.theme = "gruvbox"  # what ctrl+p → Change theme does
        await wait_for(pilot, lambda: userconfig.load().theme == "gruvbox", what="the save")
    assert config.read_text().startswith("# keep me\n")
    # the next start opens in it
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "gruvbox"


async def test_the_theme_palette_change_is_saved(demo_db, config):
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme", "enter")
        await pilot.pause(0.2)
        await pilot.press(*"dracula")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "dracula", what="the theme")
        await wait_for(pilot, lambda: config.exists(), what="the save")
    assert userconfig.load().theme == "dracula"


async def test_a_bad_config_starts_with_defaults_and_one_warning(demo_db, config):
    config.parent.mkdir()
    config.write_text('theme = "no-such"\n[keys]\n"contacts.lgo" = "L"\n"bogus.x" = "y"\n')
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(
            pilot, lambda: any("Your config file" in t for t in toasts(app)), what="the warning"
        )
        (warning,) = [t for t in toasts(app) if "Your config file" in t]
        assert f"{config}: theme: no theme named 'no-such'" in warning
        assert f"{config}: keys.contacts.lgo: no key has this id" in warning
        assert f"{config}: keys.bogus.x: no key has this id" in warning
        assert app.theme == "textual-dark"
        await pilot.press("l")  # the default keys work
        await wait_for(pilot, lambda: isinstance(app.screen, QuickLog), what="the quick-log")


async def test_a_config_that_does_not_parse_names_its_line(demo_db, config):
    config.parent.mkdir()
    config.write_text('[keys\n"contacts.log" = "L"\n')
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(
            pilot, lambda: any("Your config file" in t for t in toasts(app)), what="the warning"
        )
        assert any(f"{config}:1:" in t for t in toasts(app))


async def test_a_key_taken_from_another_binding_is_said_once(demo_db, config):
    config.parent.mkdir()
    config.write_text('[keys]\n"contacts.log" = "a"\n')  # a was "add a contact"
    app = app_for(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, QuickLog), what="the quick-log")
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: any("Your config file" in t for t in toasts(app)), what="the warning"
        )
        (warning,) = [t for t in toasts(app) if "Your config file" in t]
        assert f"{config}: keys.contacts.log: a was the key of contacts.add (Add)" in warning


def test_clashes_only_count_keys_left_in_place():
    assert keys.clashes({"contacts.log": "ctrl+l"}) == []
    [(ident, key, other)] = keys.clashes({"contacts.log": "a,ctrl+l"})
    assert (ident, key, other.id) == ("contacts.log", "a", "contacts.add")
    # the other one moved too: no clash
    assert keys.clashes({"contacts.log": "a", "contacts.add": "ctrl+a"}) == []

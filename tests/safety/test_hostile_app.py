"""The app against hostile input (issue 15).

- `esc` during an import: the worker stops, nothing is written, the app answers, `q`
  quits ("`esc` closes the dialog but the read goes on and `q` does not quit").
- The import dialog pointed at `/dev/zero`, `/dev/urandom` or a FIFO: one line in the
  dialog at once, nothing read, nothing written.
- A database with one page overwritten in the middle: opening the damaged contacts
  ends the app with one line and exit code 1, the details in the 0600 crash log, and
  never a traceback with local variables (notes, names) on the screen.

For `esc`, the source is a large LinkedIn file read through a slow disk: `guard.TextLines` (the one
reader every importer uses) stalls at one line until the test lets it go on. The stall
comes after several batches were already written inside the import's transaction, so
"nothing written" is the rollback's doing, not luck.
"""

from __future__ import annotations

import os
import stat
import threading

import pytest
from safety_kit import counts, damage_mid_page, dump, integrity, make_network

from netterm.interchange import guard
from netterm.services.interchange import BATCH
from netterm.tui.screens.contacts import ContactsScreen
from netterm.tui.screens.interchange import ImportScreen
from tests.tui.helpers import SIZE, app_for, ready, toasts, wait_for

HEAD = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROWS = 4 * BATCH + 500
#: the line the slow disk stalls at: past two batches, before the end of the file
STALL_AT = 3 * BATCH + 100


class SlowDisk:
    """Reading stalls at line STALL_AT (while `armed`) until `go` is set."""

    def __init__(self) -> None:
        self.armed = False
        self.reached = threading.Event()
        self.go = threading.Event()


@pytest.fixture
def slow(monkeypatch):
    disk = SlowDisk()
    read = guard.TextLines.__next__

    def next_line(self):
        if disk.armed and self.line + 1 == STALL_AT:
            disk.reached.set()
            disk.go.wait(30)
        return read(self)

    monkeypatch.setattr(guard.TextLines, "__next__", next_line)
    yield disk
    disk.go.set()  # never leave a worker stuck


@pytest.fixture
def outcomes(monkeypatch):
    """How each run of the dialog's worker ended: ('done' | exception name, dry_run)."""
    seen: list[tuple[str, bool]] = []
    call = ImportScreen._call

    def recorded(self, path, dry_run, progress):
        try:
            result = call(self, path, dry_run, progress)
        except BaseException as exc:
            seen.append((type(exc).__name__, dry_run))
            raise
        seen.append(("done", dry_run))
        return result

    monkeypatch.setattr(ImportScreen, "_call", recorded)
    return seen


@pytest.fixture
def network(tmp_path):
    from netterm.store import close_database, open_database

    path = tmp_path / "n.db"
    make_network(path)
    open_database(path)
    yield path
    close_database()


def big_file(tmp_path):
    path = tmp_path / "Connections.csv"
    with open(path, "w") as fh:
        fh.write(HEAD)
        for i in range(ROWS):
            fh.write(f"P{i},S{i},https://www.linkedin.com/in/p-{i},,Acme {i % 50},T,08 Feb 2026\n")
    return path


@pytest.mark.parametrize("stage", ["checking", "importing"])
async def test_esc_during_an_import_stops_the_worker_and_writes_nothing(
    network, tmp_path, slow, outcomes, stage
):
    path = big_file(tmp_path)
    app = app_for(network)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before, rows = dump(network), counts(network)
        app.push_screen(ImportScreen("linkedin", str(path)))
        await pilot.pause()
        dialog = app.screen
        if stage == "importing":  # the dry run first, in full; then the real run stalls
            await pilot.press("enter")
            await wait_for(pilot, lambda: dialog.stage == "preview", 60, "the dry run")
            assert dialog.summary.added == ROWS and dump(network) == before
        slow.armed = True
        await pilot.press("enter")
        await wait_for(pilot, slow.reached.is_set, 60, "the read to stall")
        assert dialog.stage == stage
        assert counts(network) == rows  # batches written, none committed
        await pilot.press("escape")
        # the dialog is gone at once, though the worker is still stuck in its read
        assert isinstance(app.screen, ContactsScreen) and not slow.go.is_set()
        assert "Import cancelled: nothing was written." in " ".join(toasts(app))
        # and the app answers: the help screen opens and closes
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: not isinstance(app.screen, ContactsScreen), what="help")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="back")
        slow.go.set()  # the disk answers: the worker reads on, sees the cancel, stops
        await wait_for(pilot, lambda: (stage == "importing") + 1 == len(outcomes), 30, "the worker")
        assert outcomes[-1] == ("Cancelled", stage == "checking")
        assert dump(network) == before and counts(network) == rows
        assert integrity(network) == "ok"
        await pilot.press("q")
        await wait_for(pilot, lambda: app._exit, 10, "q to quit")
    assert app.return_code in (0, None)


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo"])
async def test_the_import_dialog_refuses_a_device_or_fifo_at_once(network, tmp_path, target):
    if target == "fifo":
        target = str(tmp_path / "pipe")
        os.mkfifo(target)
    app = app_for(network)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = dump(network)
        app.push_screen(ImportScreen("json", target))
        await pilot.pause()
        dialog = app.screen
        await pilot.press("enter")
        error = dialog.query_one(".dialog-error")
        await wait_for(pilot, lambda: error.display, 10, "the error")
        shown = str(error.render())
        assert "not a regular file; netterm reads only files" in shown, shown
        assert len(shown.strip().splitlines()) == 1
        assert dialog.stage == "path" and dump(network) == before
        await pilot.press("escape")
        await pilot.press("q")
        await wait_for(pilot, lambda: app._exit, 10, "q to quit")


async def test_a_damaged_contact_ends_the_app_with_one_line_and_a_private_log(
    tmp_path, monkeypatch, capsys
):
    from netterm import services
    from netterm.store import close_database, open_database
    from netterm.tui.application import NettermApp

    log = tmp_path / "logs" / "crash.log"
    monkeypatch.setenv("NETTERM_CRASH_LOG", str(log))
    path = tmp_path / "d.db"
    secret = "".join(["a private ", "note"])
    open_database(path)
    try:
        for i in range(120):
            cid = services.add_contact(f"Person {i}", tier=1, notes=f"{secret} " * 30)
            services.log_touch(cid, "coffee", "3 days ago", note=secret)
    finally:
        close_database()
    damage_mid_page(path)
    raw = path.read_bytes()
    open_database(path)
    app = NettermApp(path, watch=False)
    try:
        with pytest.raises(Exception, match="malformed"):
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                # walk down the list opening each contact, as a user would
                for _ in range(120):
                    if app._exit:
                        break
                    await pilot.press("enter")
                    await pilot.pause()
                    if not isinstance(app.screen, ContactsScreen):
                        await pilot.press("escape")
                    await pilot.press("down")
    finally:
        close_database()
    assert app.return_code == 1
    line = app.crash_line
    assert len(line.splitlines()) == 1
    assert f"the database {path} is damaged" in line and "netterm restore PATH" in line
    assert f"details in {log}" in line
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert secret not in log.read_text()  # a traceback, without local variables
    out, err = capsys.readouterr()
    assert secret not in out + err and "Traceback" not in out + err
    assert path.read_bytes() == raw  # left as it is: nothing written into it

"""Every `netterm …` example of README.md runs, as written, on a fresh network.

The ```sh blocks are read from the README itself, so an example that stops working (or a
new one that never worked) fails here. They run in order, in one temporary folder that
is also $HOME, against a new database; the files they name are fixtures copied there
first. Only what cannot run in a test is left out, each for a stated reason.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
from pathlib import Path

import pytest
from cli_kit import call

pytestmark = pytest.mark.sqlite_only  # the examples run on an SQLite file

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "interchange" / "fixtures"

#: README path (after ~ is expanded to the test's $HOME) → the fixture copied there
FILES = {
    "~/Downloads/Connections.csv": "linkedin/Connections.csv",
    "contacts.csv": "google/contacts.csv",
    "~/.contacts/default": "vcard/khard",
    "backup.json": "json/netterm.json",
    "~/Takeout/Mail/All mail.mbox": "capture/takeout.mbox",
    "~/Mail/INBOX": "capture/maildir",
    "~/Downloads/calendar.ics": "capture/calendar.ics",
    "~/Downloads/Basic_LinkedInDataExport.zip": "capture/linkedin-export.zip",
    "messages.csv": "capture/messages.csv",
}
#: folders an example writes into
FOLDERS = ("~/Dropbox",)
#: `netterm demo --size 30000` runs with this size: the same command, in a test's time
DEMO_SIZE = "40"


def skip_reason(args: list[str]) -> str | None:
    if any(a.startswith("postgresql://") for a in args):
        return "needs a PostgreSQL server (tests/unit/test_postgres.py covers it)"
    if args in (["netterm"], ["netterm", "--demo"]):
        return "opens the app (tests/tui cover it)"
    return None


def examples(readme: str) -> list[list[str]]:
    """The `netterm …` commands of the README's ```sh blocks, as argument lists."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            for part in line.split("&&"):
                args = shlex.split(part, comments=True)
                if args and args[0] == "netterm":
                    out.append(args)
    return out


def test_the_readme_has_examples_to_run():
    found = examples((ROOT / "README.md").read_text())
    commands = {a[1] for a in found if len(a) > 1}
    assert len(found) >= 30
    assert {"add", "log", "due", "import", "export", "backup", "restore", "demo"} <= commands


def test_every_readme_example_runs(tmp_path, capsys, monkeypatch):
    home = tmp_path
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    for where, fixture in FILES.items():
        target = Path(where).expanduser()
        target.parent.mkdir(parents=True, exist_ok=True)
        source = FIXTURES / fixture
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    for folder in FOLDERS:
        Path(folder).expanduser().mkdir(parents=True)
    (home / "Mail" / "INBOX" / "tmp").mkdir(exist_ok=True)  # git keeps no empty folder

    db = home / "netterm.db"
    ran = 0
    for args in examples((ROOT / "README.md").read_text()):
        if skip_reason(args):
            continue
        line = " ".join(args)
        argv = [str(Path(a).expanduser()) if a.startswith("~") else a for a in args[1:]]
        if argv[0] == "demo" and "--size" in argv:
            argv[argv.index("--size") + 1] = DEMO_SIZE
        monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # restore asks first
        code, out, err = call(capsys, db, *argv)
        assert code == 0, f"README example failed: {line}\n{out}{err}"
        assert "error" not in err, f"README example: {line}\n{err}"
        ran += 1
    assert ran >= 30

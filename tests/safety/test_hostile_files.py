"""Hostile files: every importer, `restore` and `--db` pointed at devices, FIFOs, endless
or gigantic input, symlinks, huge lines, deep nesting and huge numbers.

Each case: exit code 1, one `netterm: error: …` line, no traceback, the database (and the
file pointed at) byte-identical, and — for the endless inputs — a time and memory bound
(a subprocess under `resource.setrlimit`, see `test_endless_inputs_stop_under_a_memory_limit`).
Everything else runs in this process: the corpus stays fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from safety_kit import call, dump, dump_or_none, env, make_network

from netterm.interchange import guard

IMPORTERS = ("linkedin", "google", "vcard", "json")


@pytest.fixture
def net(tmp_path):
    path = tmp_path / "n.db"
    make_network(path)
    return path


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def refused(capsys, db: Path, *args: str) -> str:
    """Run `netterm --db DB ARGS` here; assert the one-line failure; return the line."""
    regular = db.is_file()
    before = dump_or_none(db) if regular else None
    raw = db.read_bytes() if regular else None
    code, out, err = call(capsys, db, *args)
    assert code == 1, (args, code, out, err)
    assert "Traceback" not in err + out, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netterm: error: "), (args, err)
    if before is not None:
        assert dump_or_none(db) == before
        if raw is not None:
            assert db.read_bytes() == raw
    return lines[0]


# --------------------------------------------------------------------------- special files


@pytest.mark.parametrize("fmt", IMPORTERS)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_importing_a_device_is_refused_before_reading(capsys, net, fmt, device):
    line = refused(capsys, net, "import", fmt, device)
    assert line == (
        f"netterm: error: {device}: is a character device, not a regular file; "
        "netterm reads only files"
    )


@pytest.mark.parametrize("fmt", IMPORTERS)
def test_importing_a_fifo_is_refused_without_hanging(capsys, net, fifo, fmt):
    line = refused(capsys, net, "import", fmt, str(fifo))
    assert "is a FIFO (named pipe), not a regular file" in line


def test_a_fifo_inside_a_vcard_folder_is_not_read(capsys, net, tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    os.mkfifo(book / "stuck.vcf")
    (book / "ana.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Zé Ninguém\nEND:VCARD\n")
    code, out, err = call(capsys, net, "import", "vcard", str(book))
    assert code == 0, err
    assert "Added 1" in out or "added 1" in out.lower()


@pytest.mark.parametrize("what", ["fifo", "/dev/null", "/dev/zero"])
def test_db_and_restore_refuse_special_files(capsys, net, fifo, what):
    target = str(fifo) if what == "fifo" else what
    kind = "a FIFO (named pipe)" if what == "fifo" else "a character device"
    line = refused(capsys, Path(target), "due")
    assert line == (
        f"netterm: error: {target} is {kind}, not a database file; netterm uses only regular files"
    )
    line = refused(capsys, net, "restore", target, "--yes")
    assert (
        line == f"netterm: error: {target} is {kind}, not a backup; netterm uses only regular files"
    )
    assert not Path("/dev/null-journal").exists()


def test_a_symlink_to_a_file_is_read_through(capsys, net, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Zé,Ninguém,,,,,08 Feb 2026\n"
    )
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    code, _, err = call(capsys, net, "import", "linkedin", str(link))
    assert code == 0, err


def test_a_symlink_to_a_device_is_refused(capsys, net, tmp_path):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    line = refused(capsys, net, "import", "linkedin", str(link))
    assert "is a character device" in line


# --------------------------------------------------------------------------- huge or odd content


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


LINKEDIN_HEAD = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
GOOGLE_HEAD = "First Name,Last Name,E-mail 1 - Value\n"


@pytest.mark.parametrize(
    ("fmt", "content", "expected"),
    [
        ("linkedin", "x" * (guard.MAX_LINE_CHARS + 10), "long.txt:1: a line longer than"),
        ("google", GOOGLE_HEAD + "a," * 600_000 + "\n", "long.txt:2: a line longer than"),
        ("vcard", "BEGIN:VCARD\nNOTE:" + "y" * (guard.MAX_LINE_CHARS + 1), "a line longer"),
        (
            "vcard",
            "BEGIN:VCARD\nNOTE:a\n" + " folded\n" * 600_000 + "END:VCARD\n",
            "long.txt:2: a property far too long",
        ),
        ("linkedin", LINKEDIN_HEAD + "a\x00b,c,,,,,08 Feb 2026\n", "long.txt:2: contains a NUL"),
        ("json", b"\xff\xfe\x00" * 3, "long.txt"),
        ("linkedin", b"First Name\xff\n", "long.txt:1: not UTF-8 text"),
        ("json", "[" * 200_000, "nested too deeply"),
        ("json", '{"contacts": [{"id": ' + "9" * 5000 + "}]}", "a number of 5,000 digits"),
        ("json", '{"contacts": [{"id": 12345678901234567890123}]}', "a number of 23 digits"),
        ("json", '{"contacts": [{"tier": NaN}]}', "NaN is not a number"),
        ("json", "{}", "no 'contacts' in this object"),
        ("json", '{"version": "1", "contacts": []}', "version '1': expected a whole number"),
        ("json", "null", "expected a netterm export"),
    ],
)
def test_huge_lines_nesting_and_numbers_are_one_line_errors(
    capsys, net, tmp_path, fmt, content, expected
):
    path = _write(tmp_path / "long.txt", content)
    line = refused(capsys, net, "import", fmt, str(path))
    assert expected in line, line


def test_a_huge_regular_file_is_refused_before_reading(capsys, net, tmp_path, monkeypatch):
    path = tmp_path / "sparse.csv"
    with open(path, "wb") as fh:
        fh.truncate(guard.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    line = refused(capsys, net, "import", "linkedin", str(path))
    assert "more than netterm reads" in line


def test_a_sparse_file_of_zeros_stops_at_its_first_line(capsys, net, tmp_path):
    path = tmp_path / "zeros.json"
    with open(path, "wb") as fh:
        fh.truncate(200 << 20)
    line = refused(capsys, net, "import", "linkedin", str(path))
    assert "zeros.json:1:" in line


# --------------------------------------------------------------------------- cancelling


def test_a_cancelled_import_stops_and_writes_nothing(net, tmp_path):
    from netterm.services import interchange
    from netterm.store import close_database, open_database

    rows = "".join(f"P{i},S{i},,,Acme,T,08 Feb 2026\n" for i in range(5000))
    path = _write(tmp_path / "c.csv", LINKEDIN_HEAD + rows)
    before = dump(net)
    cancel = threading.Event()
    seen = []

    def progress(done, total):
        seen.append(done)
        cancel.set()  # esc pressed while the file is being planned

    open_database(net)
    try:
        with pytest.raises(guard.Cancelled):
            interchange.import_file(path, "linkedin", progress=progress, cancel=cancel)
    finally:
        close_database()
    assert seen and dump(net) == before
    cancel.set()
    with pytest.raises(guard.Cancelled), guard.open_text(path, cancel=cancel) as lines:
        for _ in lines:  # reading stops too
            pass


# --------------------------------------------------------------------------- time and memory

ENDLESS = r"""
import json, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from netterm.cli import main
results = []
for args in json.loads(sys.argv[2]):
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    except MemoryError:
        code = "MemoryError"
    results.append(code)
print(json.dumps(results))
"""


def test_endless_inputs_stop_under_a_memory_limit(tmp_path, net, fifo):
    """/dev/zero, a FIFO, /dev/urandom for every importer, `restore` and `--db`: all refused
    within seconds in a process that may not grow past 1 GB of address space."""
    cases = []
    for fmt in IMPORTERS:
        for target in ("/dev/zero", "/dev/urandom", str(fifo)):
            cases.append(["--db", str(net), "import", fmt, target])
    cases += [["--db", str(fifo), "due"], ["--db", str(net), "restore", str(fifo), "--yes"]]
    cases += [["--db", "/dev/zero", "due"], ["--db", str(net), "restore", "/dev/zero", "--yes"]]
    before = dump(net)
    result = subprocess.run(
        [sys.executable, "-c", ENDLESS, str(1 << 30), json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env(),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [1] * len(cases)
    errors = result.stderr.strip().splitlines()
    assert len(errors) == len(cases) and all(e.startswith("netterm: error: ") for e in errors)
    assert dump(net) == before


@pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads the peak from Linux's /proc"
)
def test_a_50_mb_csv_imports_within_a_memory_bound(tmp_path):
    """171,789 LinkedIn rows (the size users reported): the file is streamed and planned
    and written a batch at a time inside the one transaction, against an index of who is
    who, so memory holds the index and a batch, not every record, plan row and contact
    (722 MB for 155,635 rows before; see PEAK_KB for the figure measured since)."""
    # See README "Import and export" for the figure; this keeps it from growing back.
    path = tmp_path / "big.csv"
    with open(path, "w") as fh:
        fh.write(LINKEDIN_HEAD)
        for i in range(171_789):
            fh.write(
                f"P{i},S{i},https://www.linkedin.com/in/p-{i},,Company {i % 5000},"
                f"Position {i % 300} {'x' * 200},08 Feb 2026\n"
            )
    assert path.stat().st_size > 45 << 20
    db = tmp_path / "m.db"
    script = (
        "import sys\n"
        "from netterm.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
        # VmHWM: this process's own peak. ru_maxrss starts at the parent's size (it
        # survives fork and exec): a pytest worker grown by the tests before read as
        # this import's (338 MB once, for 207)
        "peak = next(int(l.split()[1]) for l in open('/proc/self/status')"
        " if l.startswith('VmHWM:'))\n"
        "print('PEAK', peak, code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "--db", str(db), "import", "linkedin", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env(),
    )
    peak_kb, code = result.stdout.strip().splitlines()[-1].split()[1:]
    assert code in ("0", "None"), result.stderr
    assert int(peak_kb) < PEAK_KB, f"peak {int(peak_kb) // 1024} MB"


PEAK_KB = 260 * 1024  # measured 207 MB (764 MB before batching), 30 Nov 2026


@pytest.mark.parametrize("what", ["fifo", "/dev/null", "/dev/zero"])
def test_the_app_refuses_a_special_file_before_it_starts(capsys, fifo, what):
    """`netterm --db X` with no command opens the app: refused first, in one line."""
    target = Path(str(fifo) if what == "fifo" else what)
    line = refused(capsys, target)
    assert "not a database file; netterm uses only regular files" in line


# --------------------------------------------------------------------------- bidi and control text

#: right-to-left override, isolates, marks; an escape sequence that clears the screen
SNEAKY = "\u202e\u2066\u2069\u200f\u061c\x1b[2J\x07"
CONTROLS = set(SNEAKY) - set("[2J")


def _sneaky_file(tmp_path: Path, fmt: str) -> Path:
    name, company = f"Mallory{SNEAKY}", f"Acme{SNEAKY}"
    if fmt == "linkedin":
        text = LINKEDIN_HEAD + f'"{name}",Stone,,,"{company}",CTO,08 Feb 2026\n'
    elif fmt == "google":
        text = f'First Name,Last Name,Organization Name\n"{name}",Stone,"{company}"\n'
    elif fmt == "vcard":
        text = (
            f"BEGIN:VCARD\nVERSION:3.0\nFN:{name} Stone\nN:Stone;{name};;;\nORG:{company}\n"
            "END:VCARD\n"
        )
    else:
        contact = {"first_name": name, "last_name": "Stone", "company": company}
        text = json.dumps({"version": 1, "contacts": [contact]})
    return _write(tmp_path / f"sneaky.{fmt}", text)


@pytest.mark.parametrize("fmt", IMPORTERS)
def test_bidi_and_control_text_in_a_file_never_reaches_the_terminal(capsys, net, tmp_path, fmt):
    code, out, err = call(capsys, net, "import", fmt, str(_sneaky_file(tmp_path, fmt)), "-v")
    assert code == 0, err
    assert "Mallory" in out and not CONTROLS & set(out + err)
    for args in (("list",), ("show", "mallory"), ("show", "mallory", "--json"), ("due",)):
        code, out, err = call(capsys, net, *args)
        assert code == 0, (args, err)
        assert not CONTROLS & set(out + err), args


def test_bidi_and_control_text_quoted_in_an_error_is_made_visible(capsys, net, tmp_path):
    path = _write(tmp_path / "c.csv", LINKEDIN_HEAD + f"Ana,Silva,,,,,3{SNEAKY}1 Feb 2026\n")
    line = refused(capsys, net, "import", "linkedin", str(path))
    assert "c.csv:2: Connected On: can't read the date" in line
    assert not CONTROLS & set(line)


def test_many_people_of_one_name_import_in_linear_time(net, tmp_path, monkeypatch):
    """6,500 rows of "Ana Silva", each with its own profile: each is a new person (a name
    never matches someone the import adds), and neither matching nor the batches read
    all the namesakes again for each row (that was quadratic: 10,000 rows took minutes)."""
    from netterm.services import interchange
    from netterm.store import close_database, open_database

    rows = "".join(
        f"Ana,Silva,https://www.linkedin.com/in/ana-{i},,Acme,CTO,08 Feb 2026\n"
        for i in range(3 * interchange.BATCH + 500)
    )
    path = _write(tmp_path / "same.csv", LINKEDIN_HEAD + rows)
    loaded: list[int] = []
    load = interchange._Planner._load

    def counted(self, ids):
        ids = list(ids)
        loaded.append(len(ids))
        return load(self, ids)

    monkeypatch.setattr(interchange._Planner, "_load", counted)
    open_database(net)
    try:
        first = interchange.import_file(path, "linkedin")
        # the network's own Ana Silva (at Acme, no profile yet) is the first row; the
        # rest are new people
        assert (first.added, first.updated, first.unchanged) == (6499, 1, 0)
        assert max(loaded) <= 1
        loaded.clear()
        again = interchange.import_file(path, "linkedin")
        assert again.unchanged == 6500 and again.added == 0
        assert max(loaded) <= interchange.BATCH  # each row loads its own person only
    finally:
        close_database()

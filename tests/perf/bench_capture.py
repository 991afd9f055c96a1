"""Capture at scale (issue 12; a script, not a test). Generated files go under --tmp.

    python tests/perf/bench_capture.py                       # everything, full size
    python tests/perf/bench_capture.py --messages 20000      # a smaller mailbox
    python tests/perf/bench_capture.py --only mail,calendar,detail
    python tests/perf/bench_capture.py --only scale          # 3,000,000 touches (bench.py)

What it measures, each in a new process (peak memory is that process's own):

* **mail**: a generated Gmail-Takeout-like mbox (`--messages`, 200,000 by default, about
  5 KB each: 1 GB) against a network of 30,000 contacts, 3,000 of them correspondents.
  First a bare standard-library header scan of the same file (read line by line, each
  message's header block parsed by `email.parser.BytesHeaderParser`), then
  `netterm import mail` itself (the whole capture: reading, matching, writing the
  touches in one transaction, the status cache). Target: the import runs at no less than
  half the bare scan's speed, with a peak memory under 300 MB. Both run twice,
  alternately, and the better run of each counts (the machine is shared).
* **calendar**: a 10-year .ics with `--events` events (5,000), a fifth of them recurring
  (weekly or monthly, 4 to 12 occurrences), in a zone with DST. Target: under 10 s. Its
  CPU time is printed too: on a machine shared by other work, the wall time is the CPU
  time stretched by the load, and the CPU time is what a quiet machine would take.
* **detail**: a contact with 5,000 touches (years of e-mail): `services.get_contact` and
  the app's detail screen, from `open_detail` to its last painted frame. Target: 100 ms.
* **scale**: `netterm due`, first paint and the watcher's recompute with 3,000,000
  touches on 30,000 contacts: tests/perf/bench.py's own measures, at that size and, just
  before, at its usual 300,000, with the ratio of each figure between the two (it should
  stay near 1: those paths read the `contact_state` cache, never the touch log, as
  tests/unit/test_touch_free_paths.py checks). The demo databases are cached in
  `--tmp`/scale-cache (building the 3,000,000-touch one takes about 8 minutes).

The machine's load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PINNED_NOW = "2026-11-26T12:00:00"
PINNED_TZ = "Europe/Lisbon"
ME = "sam@home.example"
KNOWN = 3_000
NETWORK = 30_000
PARTS = ("mail", "calendar", "detail", "scale")


def env() -> dict[str, str]:
    return {**os.environ, "NETTERM_NOW": PINNED_NOW, "NETTERM_TZ": PINNED_TZ}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_mb() -> float:
    """This process's own peak resident memory (bench_tui.py: VmHWM, not ru_maxrss,
    which starts at the parent's size)."""
    from bench_tui import peak_mb as own_peak

    return own_peak()


def child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        env=env(),
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"child {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- files


def person(i: int) -> tuple[str, str]:
    return f"Person{i} Surname{i % 997}", f"p{i}@corp{i % 50}.example"


def make_mbox(path: Path, messages: int, seed: int = 7) -> None:
    """A Takeout-like mbox: Sent/Inbox labels, thread ids, RFC 2047 names, bulk mail,
    `>From ` escaped body lines; about 5 KB a message."""
    rng = random.Random(seed)
    body_line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n"
    body = body_line * 58 + b"\n>From the archives: an escaped line.\n" + body_line
    start = datetime(2016, 12, 1, tzinfo=UTC)
    step = (datetime(2026, 11, 25, tzinfo=UTC) - start) / messages
    with path.open("wb", buffering=1 << 20) as fh:
        for n in range(messages):
            when = start + step * n
            stamp = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
            i = rng.randrange(KNOWN + 1_000)  # a thousand correspondents are not contacts
            name, addr = person(i) if i < KNOWN else (f"Stranger {i}", f"s{i}@else.example")
            if rng.random() < 0.2:
                name = "=?UTF-8?Q?" + name.replace(" ", "_") + "=C3=A9?="
            out = rng.random() < 0.4
            sender = f"Sam Rivera <{ME}>" if out else f"{name} <{addr}>"
            to = f"{name} <{addr}>" if out else f"Sam Rivera <{ME}>"
            labels = "Sent" if out else rng.choice(("Inbox", "Inbox,Important", "Archived"))
            extra = b""
            r = rng.random()
            if r < 0.08:
                extra = b"List-Unsubscribe: <mailto:unsubscribe@news.example>\n"
            elif r < 0.10:
                labels = "Spam"
            head = (
                f"From {1780000000000000000 + n}@xxx {when.strftime('%a %b %d %H:%M:%S +0000 %Y')}\n"
                f"X-GM-THRID: {1780000000000000000 + n // 3}\n"
                f"X-Gmail-Labels: {labels}\n"
                f"Delivered-To: {ME}\n"
                f"Received: by 2002:a05:6a10:1234 with SMTP id x{n};\n        {stamp}\n"
                f"Received: from mail.corp.example (mail.corp.example. [192.0.2.{n % 250}])\n"
                f"        by mx.google.com with ESMTPS id y{n}\n        for <{ME}>; {stamp}\n"
                f"Message-ID: <m{n}.{seed}@bench.example>\n"
                f"Date: {stamp}\n"
                f"From: {sender}\n"
                f"To: {to}\n"
                f"Subject: Re: our conversation number {n % 5000}\n"
                "MIME-Version: 1.0\n"
                'Content-Type: text/plain; charset="UTF-8"\n'
            ).encode()
            fh.write(head + extra + b"\n" + body + b"\n")


def make_calendar(path: Path, events: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//netterm bench//EN",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Paris",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    start = datetime(2016, 11, 26, 9, 0)
    titles = ("Coffee with {}", "Lunch with {}", "Call with {}", "Project sync", "1:1 {}")
    for n in range(events):
        when = start + timedelta(days=rng.randrange(3650), hours=rng.randrange(9))
        name, addr = person(rng.randrange(KNOWN))
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{n}@netterm",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID=Europe/Paris:{when.strftime('%Y%m%dT%H%M%S')}",
            f"DTEND;TZID=Europe/Paris:{(when + timedelta(hours=1)).strftime('%Y%m%dT%H%M%S')}",
            f"SUMMARY:{rng.choice(titles).format(name)}",
            "LOCATION:" + rng.choice(("Café de Flore", "Online", "Room 4", "")),
            f"ORGANIZER;CN=Sam Rivera:mailto:{ME}",
            f"ATTENDEE;CN={name};PARTSTAT=ACCEPTED:mailto:{addr}",
        ]
        if n % 5 == 0:  # a fifth recurring
            freq = rng.choice(("WEEKLY", "MONTHLY"))
            lines.append(f"RRULE:FREQ={freq};COUNT={rng.randrange(4, 13)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n")


def make_network(path: Path) -> None:
    """30,000 contacts; the first 3,000 have the generated correspondents' addresses."""
    code = (
        "import sys\n"
        "from netterm.store import open_database\n"
        "from netterm.store.models import Contact, ContactMethod, database\n"
        "from netterm.services import stats\n"
        "from netterm.config import clock\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "from bench_capture import person, NETWORK, KNOWN\n"
        "open_database(sys.argv[1])\n"
        "now = clock.now()\n"
        "with database.atomic():\n"
        "    rows = []\n"
        "    for i in range(NETWORK):\n"
        "        first, last = person(i)[0].split(' ')\n"
        "        rows.append(dict(id=i + 1, first_name=first, last_name=last, tier=(i % 3) + 1,\n"
        "                         tracked_since=now.date(), created_at=now, updated_at=now,\n"
        "                         search_text=f'{first} {last}'.lower()))\n"
        "    for k in range(0, len(rows), 5000):\n"
        "        Contact.insert_many(rows[k:k + 5000]).execute()\n"
        "    ms = [dict(contact=i + 1, kind='email', value=person(i)[1], primary=True)\n"
        "          for i in range(KNOWN)]\n"
        "    for k in range(0, len(ms), 5000):\n"
        "        ContactMethod.insert_many(ms[k:k + 5000]).execute()\n"
        "    stats.rebuild()\n"
    )
    path.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, env=env(), cwd=ROOT)


# --------------------------------------------------------------------------- children


def bare_scan(path: str) -> dict:
    """The standard library's bare header scan: lines, then BytesHeaderParser per message."""
    from email.parser import BytesHeaderParser
    from email.policy import compat32

    parser = BytesHeaderParser(policy=compat32)
    started = time.perf_counter()
    n = 0
    headers: list[bytes] = []
    in_headers = False
    blank = True
    with open(path, "rb") as fh:
        for line in fh:
            if in_headers:
                if line in (b"\n", b"\r\n"):
                    msg = parser.parsebytes(b"".join(headers))
                    msg.get("Message-ID"), msg.get("From"), msg.get("To"), msg.get("Date")
                    n += 1
                    in_headers = False
                else:
                    headers.append(line)
            elif blank and line.startswith(b"From "):
                headers = []
                in_headers = True
            blank = line in (b"\n", b"\r\n")
    return {"seconds": time.perf_counter() - started, "messages": n, "peak_mb": peak_mb()}


def import_mail(path: str, db: str) -> dict:
    from netterm.services import capture
    from netterm.store import open_database

    open_database(db)
    started = time.perf_counter()
    s = capture.capture_mail(path, me=[ME])
    return {
        "seconds": time.perf_counter() - started,
        "messages": s.read,
        "touches": s.added,
        "peak_mb": peak_mb(),
    }


def import_calendar(path: str, db: str) -> dict:
    from netterm.services import capture
    from netterm.store import open_database

    open_database(db)
    started, cpu = time.perf_counter(), time.process_time()
    s = capture.capture_calendar(path, me=[ME])
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "occurrences": s.read,
        "touches": s.added,
        "peak_mb": peak_mb(),
    }


def detail(db: str, cid: str, runs: str) -> dict:
    import asyncio

    sys.path.insert(0, str(HERE))
    from bench_tui import SIZE, _instrument, _settle

    from netterm import services
    from netterm.store import open_database
    from netterm.tui.app import build
    from netterm.tui.screens.detail import TIMELINE_MAX

    open_database(db)
    contact = int(cid)
    service = []
    for _ in range(int(runs)):
        started = time.perf_counter()
        d = services.get_contact(contact, touch_limit=TIMELINE_MAX)  # as the screen asks
        service.append(time.perf_counter() - started)
    screen: list[float] = []

    async def main() -> None:
        app = build(db, lines=SIZE[1])
        async with app.run_test(size=SIZE) as pilot:
            _instrument(app)
            while not app.loaded:
                await pilot.pause(0.05)
            await _settle(app, time.perf_counter(), quiet=0.3)
            for _ in range(int(runs)):
                started = time.perf_counter()
                app._bench_last_frame = 0.0
                app.open_detail(contact)
                last = await _settle(app, started)
                screen.append(last - started)
                app.pop_screen()
                await _settle(app, time.perf_counter())

    asyncio.run(main())
    return {"touches": d.touch_count, "service": service, "screen": screen}


def add_touches(db: str, cid: int, count: int) -> None:
    import sqlite3

    con = sqlite3.connect(db)
    start = datetime(2011, 1, 1, tzinfo=UTC)
    rows = []
    for n in range(count):
        when = start + timedelta(hours=n * 31)
        rows.append(
            (
                cid,
                when.isoformat(),
                when.date().isoformat(),
                "email",
                "out" if n % 2 else "in",
                0,
                1 if n % 2 else 0,
                None,
                "none",
                f"Re: thread {n}",
                when.isoformat(),
                "mail",
                f"detail-{n}@bench.example",
                "",
            )
        )
    con.executemany(
        "INSERT INTO interaction (contact_id, occurred_at, occurred_on, kind, direction, "
        "in_person, awaiting_reply, replied_at, value, note, created_at, source, source_key, "
        "logged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.commit()
    con.close()
    code = (
        "import sys\nfrom netterm.store import open_database\nfrom netterm.services import stats\n"
        "open_database(sys.argv[1])\nstats.rebuild()\n"
    )
    subprocess.run([sys.executable, "-c", code, db], check=True, env=env(), cwd=ROOT)


# --------------------------------------------------------------------------- scale

#: bench.py's figures compared across the two sizes (its own keys)
SCALE_KEYS = (
    *("paint", "paint_ms", "paint_bare_ms", "loaded_ms", "due", "import_ms"),
    *("filter", "recompute", "reload", "detail", "memory"),
)


def scale(tmp: Path, runs: int) -> None:
    """tests/perf/bench.py at 30,000 contacts with 3,000,000 touches, against the same
    network with 300,000 (its usual size) measured just before: the targets are checked
    at 3,000,000, and the ratio of each figure between the two sizes shows whether
    anything grows with the touch log (it should stay near 1: these paths read the
    `contact_state` cache, tests/unit/test_touch_free_paths.py)."""
    results = {}
    for touches in (300_000, 3_000_000):
        print(f"scale: bench.py, 30,000 contacts, {touches:,} touches · load {load()}", flush=True)
        out = tmp / f"scale-{touches}.json"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "bench.py"),
                *("--contacts", "30000", "--touches", str(touches), "--growth", ""),
                *("--only", "paint,due,session", "--runs", str(runs), "--rounds", "1"),
                *("--cache", str(tmp / "scale-cache"), "--save", str(out)),
            ],
            check=True,
            env=env(),
        )
        results[touches] = {f["key"]: f for f in json.loads(out.read_text())["figures"]}
    small, big = results[300_000], results[3_000_000]
    print(f"\n{'':<46} {'300,000':>10} {'3,000,000':>10} {'ratio':>6}   target at 3,000,000")
    for key in SCALE_KEYS:
        if key not in big or key not in small:
            continue
        f, g = big[key], small[key]
        unit = f["unit"]
        ok = "" if f["ok"] is None else ("ok" if f["ok"] else "MISS")
        print(
            f"{f['name']:<46} {g['value']:>8.2f}{unit:<2} {f['value']:>8.2f}{unit:<2} "
            f"{f['value'] / g['value'] if g['value'] else 0:>6.2f}   {f['target']} {ok}"
        )
    print(f"  (load {load()})")


# --------------------------------------------------------------------------- main


def line(name: str, value: str, target: str, ok: bool | None) -> None:
    mark = "" if ok is None else ("ok" if ok else "MISS")
    print(f"{name:<44} {value:>16}   {target:<28} {mark}", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--messages", type=int, default=200_000)
    p.add_argument("--events", type=int, default=5_000)
    p.add_argument("--detail-touches", type=int, default=5_000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--scale-runs", type=int, default=3, help="bench.py --runs for scale")
    p.add_argument("--tmp", type=Path, default=Path("/tmp/netterm-capture-bench"))
    p.add_argument("--only", default=",".join(PARTS))
    p.add_argument("--child", nargs="+")
    args = p.parse_args(argv)
    if args.child:
        what, *rest = args.child
        fn = {
            "bare": bare_scan,
            "mail": import_mail,
            "calendar": import_calendar,
            "detail": detail,
        }[what]
        print(json.dumps(fn(*rest)))
        return 0
    parts = set(args.only.split(","))
    tmp = args.tmp
    tmp.mkdir(parents=True, exist_ok=True)
    print(f"netterm capture benchmark · {os.cpu_count()} CPUs · load {load()}", flush=True)
    network = tmp / "network.db"
    if parts & {"mail", "calendar", "detail"}:
        t = time.perf_counter()
        make_network(network)
        print(f"(network of {NETWORK:,} contacts built in {time.perf_counter() - t:.1f}s)")
    if "mail" in parts:
        mbox = tmp / f"takeout-{args.messages}.mbox"
        if not mbox.exists():
            t = time.perf_counter()
            make_mbox(mbox, args.messages)
            print(f"(mbox written in {time.perf_counter() - t:.1f}s)")
        size = mbox.stat().st_size
        print(f"mbox: {args.messages:,} messages, {size / 1e9:.2f} GB · load {load()}")
        bares, imports = [], []
        for _ in range(2):
            bares.append(child("bare", str(mbox)))
            db = tmp / "mail.db"
            shutil.copy(network, db)
            imports.append(child("mail", str(mbox), str(db)))
        bare = min(bares, key=lambda r: r["seconds"])
        imp = min(imports, key=lambda r: r["seconds"])
        bare_rate = bare["messages"] / bare["seconds"]
        imp_rate = imp["messages"] / imp["seconds"]
        line(
            "bare stdlib header scan", f"{bare_rate:,.0f} msg/s", f"({bare['seconds']:.1f}s)", None
        )
        line(
            "netterm import mail",
            f"{imp_rate:,.0f} msg/s",
            f">= {bare_rate / 2:,.0f} (half the scan)",
            imp_rate >= bare_rate / 2,
        )
        line(
            "  seconds, touches added",
            f"{imp['seconds']:.1f}s",
            f"{imp['touches']:,} touches",
            None,
        )
        line(
            "  peak memory of the import",
            f"{imp['peak_mb']:.0f} MB",
            "< 300 MB",
            imp["peak_mb"] < 300,
        )
        print(f"  (load {load()})")
    if "calendar" in parts:
        ics = tmp / f"calendar-{args.events}.ics"
        make_calendar(ics, args.events)
        db = tmp / "calendar.db"
        shutil.copy(network, db)
        r = child("calendar", str(ics), str(db))
        line(
            f"import calendar ({args.events:,} events, 10 years)",
            f"{r['seconds']:.2f}s",
            "< 10 s",
            r["seconds"] < 10,
        )
        line(
            "  CPU time of that import",
            f"{r['cpu']:.2f}s",
            "< 10 s",
            r["cpu"] < 10,
        )
        line(
            "  occurrences read, touches added",
            f"{r['occurrences']:,}",
            f"{r['touches']:,} touches",
            None,
        )
        print(f"  (load {load()})")
    if "detail" in parts:
        db = tmp / "detail.db"
        shutil.copy(network, db)
        add_touches(str(db), 1, args.detail_touches)
        r = child("detail", str(db), "1", str(args.runs))
        service = statistics.median(r["service"]) * 1000
        screen = statistics.median(r["screen"]) * 1000
        line(f"get_contact, {r['touches']:,} touches", f"{service:.0f} ms", "", None)
        line(
            "detail screen opens (to its last frame)", f"{screen:.0f} ms", "< 100 ms", screen < 100
        )
        print(f"  (load {load()})")
    if "scale" in parts:
        scale(tmp, args.scale_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

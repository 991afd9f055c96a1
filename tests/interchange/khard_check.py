"""Does khard read netterm's vCard export? Every contact's name, emails and organisation.

    python tests/interchange/khard_check.py            # installs khard if needed
    python tests/interchange/khard_check.py --khard ~/.local/bin/khard --size 250

khard is not a netterm dependency: the script uses `--khard`, `$NETTERM_KHARD`, a
`khard` on PATH, or a venv it creates once under tests/perf/.cache/ (`pip install
khard` from PyPI). It writes the demo network with `netterm demo`, exports it with
`netterm export vcard --vdir` (one file per contact, the layout khard reads), points a
throw-away khard config at that folder, and compares `khard list --parsable` with
netterm's own JSON export of the same database. tests/interchange/test_khard.py runs
the same check whenever a khard is found, without installing anything.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent / "perf" / ".cache" / "khard-venv"
FIELDS = "uid,formatted_name,emails,organisations"


def cached_khard() -> Path:
    return CACHE / "bin" / "khard"


def find_khard(explicit: str | None = None) -> Path | None:
    """A khard executable, without installing anything."""
    for candidate in (explicit, os.environ.get("NETTERM_KHARD")):
        if candidate:
            return Path(candidate)
    beside = Path(sys.executable).with_name("khard")  # installed with the test extras
    if beside.exists():
        return beside
    on_path = shutil.which("khard")
    if on_path:
        return Path(on_path)
    return cached_khard() if cached_khard().exists() else None


def install_khard() -> Path:
    print(f"installing khard from PyPI into {CACHE} …", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(CACHE)], check=True)
    subprocess.run(
        [str(CACHE / "bin" / "python"), "-m", "pip", "install", "-q", "khard"], check=True
    )
    return cached_khard()


@dataclass
class Result:
    khard_version: str
    contacts: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems and self.contacts > 0


def _netterm(db: Path, *args: str) -> str:
    env = {**os.environ, "NETTERM_DB": str(db)}
    done = subprocess.run(
        [sys.executable, "-m", "netterm", *args], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise RuntimeError(f"netterm {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _literal(text: str):
    return ast.literal_eval(text) if text.strip() else None


def check(khard: Path, size: int = 250) -> Result:
    """Export the demo network and compare khard's listing with netterm's data."""
    version = subprocess.run(
        [str(khard), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, book = folder / "demo.db", folder / "book"
        _netterm(db, "demo", "--size", str(size))
        _netterm(db, "export", "vcard", "--vdir", str(book))
        ours = {c["uid"]: c for c in json.loads(_netterm(db, "export", "json"))["contacts"]}
        config = folder / "khard.conf"
        config.write_text(
            f"[addressbooks]\n[[netterm]]\npath = {book}\n"
            "[general]\n[contact table]\n[vcard]\nskip_unparsable = no\n"
        )
        listing = subprocess.run(
            [str(khard), "-c", str(config), "list", "--parsable", "--fields", FIELDS],
            capture_output=True,
            text=True,
        )
        if listing.returncode != 0:
            return Result(version, 0, [f"khard list failed: {listing.stderr.strip()}"])
        problems = []
        seen = set()
        for line in listing.stdout.splitlines():
            uid, name, emails, organisations = line.split("\t")
            seen.add(uid)
            mine = ours.get(uid)
            if mine is None:
                problems.append(f"khard lists {uid} ({name}), which netterm did not export")
                continue
            expected_name = " ".join(p for p in (mine["first_name"], mine["last_name"]) if p)
            if name != expected_name:
                problems.append(f"{uid}: khard's name {name!r} != {expected_name!r}")
            got = sorted(v for values in (_literal(emails) or {}).values() for v in values)
            want = sorted(m["value"] for m in mine["methods"] if m["kind"] == "email")
            if got != want:
                problems.append(f"{expected_name}: khard's emails {got} != {want}")
            orgs = _literal(organisations) or []
            want_org = [[mine["company"]]] if mine["company"] else []
            if orgs != want_org:
                problems.append(f"{expected_name}: khard's organisations {orgs} != {want_org}")
        for uid, mine in ours.items():
            if uid not in seen:
                problems.append(f"khard did not list {mine['first_name']} {mine['last_name']}")
        if listing.stderr.strip():
            problems.append(f"khard complained: {listing.stderr.strip()[:300]}")
        return Result(version, len(seen), problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--khard", help="the khard executable (default: find or install one)")
    parser.add_argument("--size", type=int, default=250, help="contacts in the demo network")
    args = parser.parse_args(argv)
    khard = find_khard(args.khard) or install_khard()
    result = check(khard, args.size)
    for problem in result.problems[:50]:
        print(f"  {problem}")
    verdict = "OK" if result.ok else f"FAILED ({len(result.problems)} problems)"
    print(
        f"{result.khard_version}: listed {result.contacts} of the {args.size} demo contacts "
        f"exported by netterm; names, emails and organisations compared: {verdict}"
    )
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

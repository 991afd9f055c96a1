"""A realistic, deterministic LinkedIn `Connections.csv` of any size, for benchmarks and tests.

    python tests/perf/gen_linkedin.py --rows 30000 -o /tmp/Connections.csv
    python tests/perf/gen_linkedin.py --rows 30000 --moved 1500 -o /tmp/Connections-later.csv

Like a real export: UTF-8 BOM, the `Notes:` preamble, the 2024 header, about 1 row in
60 a hidden profile (only a date), 1 in 12 with an email, quoted commas in company and
position names, accented and non-Latin names, namesakes with different profile URLs,
dates like `08 Feb 2026` over fifteen years. The same arguments give the same file;
`--moved N` gives the same people a year later, N of them in a new job.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta

from netterm.services.demo import COMPANIES, FIRST, LAST, TITLES

NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EXTRA_COMPANIES = ("Initech, Inc.", "Müller & Söhne, GmbH", "Société Générale", "腾讯", "Nubank")
EXTRA_TITLES = ("Director, Platform & Data", 'Senior Engineer "Payments"', "Co-founder, CEO")


def _cell(text: str) -> str:
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _slug(text: str) -> str:
    ascii_text = text.encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in ascii_text).strip("-") or "member"


def rows(count: int, seed: int = 2026, moved: int = 0, today: date = date(2026, 11, 26)):
    """The data rows (lists of cells) of the export: the same arguments, the same rows."""
    rng = random.Random(seed)
    companies = COMPANIES + EXTRA_COMPANIES
    titles = TITLES + EXTRA_TITLES
    people = []
    for i in range(count):
        if rng.random() < 1 / 60:
            people.append(None)  # hidden profile
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        url = f"https://www.linkedin.com/in/{_slug(first)}-{_slug(last)}-{i:05x}{rng.randrange(16**4):04x}"
        email = ""
        if rng.random() < 1 / 12:
            email = f"{_slug(first)}.{_slug(last)}{i}@mail.example"
        company = rng.choice(companies) if rng.random() < 0.93 else ""
        title = rng.choice(titles) if company or rng.random() < 0.5 else ""
        connected = today - timedelta(days=int(rng.random() ** 0.7 * 15 * 365) + 1)
        people.append([first, last, url, email, company, title, connected])
    mover = random.Random(seed + 1)
    movers = set(mover.sample(range(count), min(moved, count)))
    out = []
    for i, p in enumerate(people):
        if p is None:
            day = today - timedelta(days=rng.randrange(1, 5000))
            out.append(["", "", "", "", "", "", _date(day)])
            continue
        first, last, url, email, company, title, connected = p
        if i in movers:
            company = mover.choice([c for c in COMPANIES if c != company])
            title = mover.choice(TITLES)
        out.append([first, last, url, email, company, title, _date(connected)])
    return out


def _date(d: date) -> str:
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def write(path: str, count: int, seed: int = 2026, moved: int = 0) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff" + NOTES + HEADER + "\n")
        for row in rows(count, seed, moved):
            fh.write(",".join(_cell(c) for c in row) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--moved", type=int, default=0, help="how many changed jobs since")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    write(args.output, args.rows, args.seed, args.moved)
    print(f"wrote {args.rows} rows to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()

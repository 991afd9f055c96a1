"""Random sequences of commands with random (often hostile) arguments against one
database. After each command: SQLite's integrity check and foreign keys are fine, the
status cache matches the data, nothing printed a traceback or hit the crash log's
"unexpected error", and a command that failed (exit 1, one `netterm: error:` line)
changed nothing at all.
"""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from safety_kit import call, integrity, make_network

NASTY = [
    "",
    " ",
    "-1",
    "0",
    "#1",
    "#2",
    "#³",
    "#99999999999999999999999",
    "\u202e",
    "\x1b[2J",
    "ana",
    "bruno",
    "Ana Silva",
    "zé",
    "a" * 300,
    "'",
    '"',
    "is:",
    "foo:bar",
    "--x",
    "9" * 30,
    "yesterday",
    "0001-01-01",
    "9999-12-31",
    "nan",
    "inf",
    "1e9",
    "tier:1",
    "-is:paused",
]
text = hs.one_of(hs.sampled_from(NASTY), hs.text(max_size=12))
who = hs.one_of(hs.sampled_from(["ana", "bruno", "#1", "#2", "#3"]), text)
kinds = hs.one_of(hs.sampled_from(["coffee", "email", "lunch", "call", "intro"]), text)
setting_keys = hs.sampled_from(
    ["policy.cadence_tier1", "policy.weight_tier2", "policy.due_soon_days", "foo.bar", "me"]
)

#: what an imported file holds: real-looking files, broken ones, random text
FILES = [
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ana,Silva,https://www.linkedin.com/in/ana,,Globex,CEO,08 Feb 2026\n"
    "Zé,Novo,,ze@x.example,Acme,CTO,08 Feb 2026\n",
    "First Name,Last Name,E-mail 1 - Value\nBruno,Costa,bruno@x.example\n",
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Silva\nORG:Initech\nEND:VCARD\n",
    '{"version": 1, "contacts": [{"first_name": "Zoë", "tier": 2}]}',
    '{"version": 1, "contacts": [{"first_name": "Zoë", "tier": 99}]}',
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nA,B,,,,,31 Feb 2026\n",
    "BEGIN:VCARD\nFN:x\n",
    "[" * 5000,
    "\x00",
    "",
]
file_text = hs.one_of(hs.sampled_from(FILES), hs.text(max_size=200))
importers = hs.sampled_from(["linkedin", "google", "vcard", "json"])

commands = hs.one_of(
    hs.builds(
        lambda f, t, d: ("import", f, t, *d),
        importers,
        file_text,
        hs.sampled_from([(), ("--dry-run",)]),
    ),
    hs.builds(
        lambda f: ("export", f, "-o", "OUT"), hs.sampled_from(["json", "vcard", "csv", "ics"])
    ),
    hs.builds(lambda n, c: ("add", n, "--company", c), text, text),
    hs.builds(lambda n, cat: ("add", n, "--category", cat), text, text),
    hs.builds(lambda w, t: ("edit", w, "--title", t), who, text),
    hs.builds(lambda w, c: ("edit", w, "--remove-category", c), who, text),
    hs.builds(lambda k, w, d: ("log", k, w, "--when", d), kinds, who, text),
    hs.builds(lambda k, w, n: ("log", k, w, "--gave", "--received", "--note", n), kinds, who, text),
    hs.builds(lambda w: ("reply", w), who),
    hs.builds(lambda w, t: ("tier", w, t), who, text),
    hs.builds(lambda w, d: ("pause", w, "--until", d), who, text),
    hs.builds(lambda w: ("resume", w), who),
    hs.builds(lambda w: ("archive", w), who),
    hs.builds(lambda w: ("unarchive", w), who),
    hs.builds(lambda w, d, t: ("follow-up", w, d, t), who, text, text),
    hs.builds(lambda i: ("done", i), text),
    hs.builds(lambda k, v: ("settings", k, v), setting_keys, text),
    hs.builds(lambda q: ("list", q), text),
    hs.builds(lambda w: ("show", w), who),
    hs.just(("due",)),
)

SEQUENCES = settings(
    max_examples=25,
    deadline=None,
    stateful_step_count=8,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def snapshot(path) -> str:
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@SEQUENCES
@given(steps=hs.lists(commands, min_size=1, max_size=8))
def test_any_sequence_of_commands_keeps_the_database_sound(capsys, tmp_path_factory, steps):
    from safety_kit import stale

    folder = tmp_path_factory.mktemp("seq")
    db = folder / "n.db"
    make_network(db)
    for n, args in enumerate(steps):
        if args[0] == "import":  # the text becomes a file
            path = folder / f"in-{n}.{args[1]}"
            path.write_text(args[2], encoding="utf-8", errors="surrogatepass")
            args = (*args[:2], str(path), *args[3:])
        elif args[0] == "export":
            args = (*args[:3], str(folder / f"out-{n}.{args[1]}"))
        before = snapshot(db)
        code, out, err = call(capsys, db, *args)
        assert "Traceback" not in out + err, (args, err)
        assert "unexpected error" not in err, (args, err)
        if code != 0:
            assert code == 1, (args, code, err)
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("netterm: error: "), (args, err)
            assert snapshot(db) == before, args  # a failed command changed nothing
        assert integrity(db) == "ok", args
        assert stale(db) == [], args

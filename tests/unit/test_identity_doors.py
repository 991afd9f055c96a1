"""One way to recognise a person, pinned through each door that uses it.

The command line's WHO (`services.resolve`, `netterm show`), the app's picker
(`tui.pick.match_contacts`), imports (`services.interchange`) and duplicate detection
(`services.merge`) give the same answers for the same names (core/identity.py).
"""

from __future__ import annotations

import pytest

from netterm import services as svc
from netterm.core.identity import normalise
from netterm.errors import Ambiguous, NotFound
from netterm.services import interchange as ix
from netterm.services import merge
from netterm.services.network import load_network
from netterm.tui.pick import match_contacts

NETWORK = [
    ("Ana Silva", "Globex", [("linkedin", "ana-silva")]),
    ("Ana Costa", "Acme", []),
    ("[bold]Mallory[/bold]", "", []),
    ("Jean-Luc O'Brien", "Initech", []),
    ("José Núñez", "Umbrella Corp", []),
    ("Susana Reis", "", []),
]

#: query → the names WHO resolves to (several: ambiguous) and the picker lists first
TYPED = [
    ("ana silva", ["Ana Silva"]),
    ("silva ana", ["Ana Silva"]),
    ("SILVA, Ána", ["Ana Silva"]),
    ("ana s", ["Ana Silva"]),
    ("s ana", ["Ana Silva"]),
    ("ana slva", ["Ana Silva"]),  # a close spelling
    ("ana", ["Ana Silva", "Ana Costa"]),
    ("mallory", ["[bold]Mallory[/bold]"]),
    ("jean luc", ["Jean-Luc O'Brien"]),
    ("o'brien jean-luc", ["Jean-Luc O'Brien"]),
    ("nunez jose", ["José Núñez"]),
    ("NÚÑEZ", ["José Núñez"]),
    ("usan", ["Susana Reis"]),  # inside a word, as the filter finds it
    ("zzz", []),
]


@pytest.fixture
def network(db):
    return {
        name: svc.add_contact(name, company=company, methods=methods)
        for name, company, methods in NETWORK
    }


def who(query: str) -> list[str]:
    """The command line's door: the one contact, or the ambiguous ones."""
    try:
        return [svc.get_contact(svc.resolve(query)).name]
    except Ambiguous:
        return sorted(c.name for c in svc.find(query))
    except NotFound:
        return []


def picker(query: str, n: int) -> list[str]:
    """The app's door: the first n names the picker lists."""
    return sorted(r.name for r in match_contacts(load_network().rows, query)[:n])


@pytest.mark.parametrize(("query", "names"), TYPED)
def test_the_command_line_and_the_picker_agree(network, query, names):
    assert who(query) == sorted(names)
    assert picker(query, max(len(names), 1) if names else 8) == sorted(names)


def test_show_finds_a_name_written_with_punctuation(run):
    run("add", "[bold]Mallory[/bold]")
    code, out, err = run("show", "mallory")
    assert code == 0, err
    assert "[bold]Mallory[/bold]" in out


#: a name as another file or record writes it → the same person as "Ana Silva, Globex"
SAME_PERSON = ["Ana Silva", "Silva Ana", "ÁNA SÍLVA", "Ana-Silva"]


def _linkedin_csv(tmp_path, first, last, company):
    path = tmp_path / "Connections.csv"
    path.write_text(
        f"First Name,Last Name,Company,Position,Connected On\n{first},{last},{company},,"
        "01 Jan 2020\n"
    )
    return path


@pytest.mark.parametrize("name", SAME_PERSON)
def test_import_and_duplicates_recognise_the_same_forms(network, tmp_path, name):
    first, _, last = name.replace("-", " ").partition(" ")
    summary = ix.import_file(_linkedin_csv(tmp_path, first, last, "Globex Inc."), "linkedin")
    assert (summary.added, summary.updated + summary.unchanged) == (0, 1)
    # the same name typed at the same company is a likely duplicate
    twin = svc.add_contact(name, company="GLOBEX")
    groups = [{m.id for m in g.members} for g in merge.find_duplicates()]
    assert {network["Ana Silva"], twin} in groups
    assert {c.id for c in svc.find(name)} == {network["Ana Silva"], twin}  # and WHO: both


def test_a_name_alone_never_takes_over_a_namesake(network, tmp_path):
    smith = svc.add_contact("John Smith", notes="the neighbour")
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "John,Smith,https://www.linkedin.com/in/jsmith,,Globex,Engineer,01 Jan 2020\n"
    )
    dry = ix.import_file(csv, "linkedin", dry_run=True)
    assert dry.added == 1
    assert dry.changes[0].details[-1] == (
        "added as new: a John Smith without a profile and without a company exists; "
        "flagged as a possible duplicate"
    )
    ix.import_file(csv, "linkedin")
    neighbour = svc.get_contact(smith)
    assert (neighbour.company, neighbour.methods) == ("", [])  # untouched
    # the pair is a possible duplicate for the audit: its card and `netterm duplicates`
    (other,) = [c.id for c in svc.find("john smith") if c.id != smith]
    (match,) = merge.duplicates_of(smith)
    assert match.id == other
    assert match.why == (
        "same name; added as new by the LinkedIn Connections.csv import of 26 Nov 2026"
    )
    (group,) = [g for g in merge.find_duplicates() if smith in {m.id for m in g.members}]
    assert {m.id for m in group.members} == {smith, other}
    assert group.reasons == (match.why,)
    # a re-import recognises the new one by its profile and flags nothing twice
    assert ix.import_file(csv, "linkedin").unchanged == 1
    assert len(merge.duplicates_of(smith)) == 1


def test_the_dry_run_says_a_namesake_is_added_as_new(run, tmp_path):
    run("add", "John Smith", "--company", "Initech")
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "John,Smith,https://www.linkedin.com/in/jsmith,,Globex,Engineer,01 Jan 2020\n"
    )
    code, out, err = run("import", "linkedin", str(csv), "--dry-run")
    assert code == 0, err
    assert (
        "John Smith  (Engineer @ Globex; added as new: a John Smith without a profile and "
        "at Initech exists; flagged as a possible duplicate)"
    ) in out
    code, out, _ = run("duplicates")
    assert "No likely duplicates." in out  # a dry run flags nothing
    run("import", "linkedin", str(csv))
    code, out, _ = run("duplicates")
    assert "same name; added as new by the LinkedIn Connections.csv import" in out


def test_one_letter_lists_names_with_a_word_it_starts(network):
    rows = match_contacts(load_network().rows, "s", limit=2)
    assert sorted(r.name for r in rows) == ["Ana Silva", "Susana Reis"]
    assert all(any(w.startswith("s") for w in normalise(r.name).split()) for r in rows)
    # with room for more: then names with the letter inside a word
    assert len(match_contacts(load_network().rows, "s", limit=4)) == 4

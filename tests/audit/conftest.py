"""A small network to audit, and the checks every audit test shares."""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
import pytest

from netterm import services as svc
from netterm.services import audit, stats
from netterm.store.models import database

TZ = "Europe/Lisbon"
NOW = pendulum.datetime(2026, 11, 26, 12, 0, tz=TZ)  # as tests/conftest.py

TABLES = (
    "contact",
    "contact_state",
    "contact_method",
    "category",
    "contact_category",
    "interaction",
    "job",
    "follow_up",
    "audit",
    "audit_decision",
    "setting",
)


@pytest.fixture(autouse=True)
def _cache_stays_true(request):
    """After every test with a database, the status cache agrees with the source tables."""
    if "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")  # open first, so it is still open for the check
    yield
    assert stats.stale() == []


def decisions() -> list[tuple[int, str]]:
    """(contact, decision) of the latest audit, in order."""
    from netterm.store.models import Audit, AuditDecision

    latest = Audit.select().order_by(Audit.id.desc()).first()
    return [
        (d.contact_id, d.decision)
        for d in AuditDecision.select()
        .where(AuditDecision.audit == latest)
        .order_by(AuditDecision.id)
    ]


def _dump(*, without=("audit_decision",)) -> dict[str, list[tuple]]:
    """Every row of every table (for "back restores exactly" checks), but the contacts'
    versions: an undo moves a version on instead of putting it back (a form opened
    before the undo, on another device, must see that the contact changed)."""
    out = {}
    for t in TABLES:
        if t in without:
            continue
        cursor = database.execute_sql(f"SELECT * FROM {t} ORDER BY 1")  # the key, on both engines
        rows = cursor.fetchall()
        if t == "contact":
            at = [d[0] for d in cursor.description].index("version")
            rows = [r[:at] + r[at + 1 :] for r in rows]
        out[t] = rows
    return out


@pytest.fixture
def dump():
    """dump() → every row of every table but the audit decisions; dump(without=()) all."""
    return _dump


@dataclass
class Net:
    """Ids of the fixture network, by first name."""

    ana: int
    dan: int
    bob: int
    ivan: int
    carla: int
    hugo: int
    ana_dup: int
    eve: int
    frank: int
    gina: int

    def order(self) -> list[int]:
        """The expected card order."""
        return [
            self.ana,
            self.dan,
            self.bob,
            self.ivan,
            self.carla,
            self.hugo,
            self.ana_dup,
            self.eve,
        ]


@pytest.fixture
def net(db, travel) -> Net:
    """Nine people and a finished audit in March 2026; today is Thu 26 Nov 2026.

    Card order: priority Ana (last touch 130 days ago) and Dan (20); regular Bob (600)
    and Ivan (10); light Carla (unanswered, 150) and Hugo (30); new untracked Ana (the
    duplicate) and Eve. Not audited: Frank (old untracked, reviewed in March), Gina
    (archived).
    """
    travel(to=pendulum.datetime(2026, 1, 5, 10, tz=TZ))
    frank = svc.add_contact("Frank Old", company="Initech")
    travel(to=pendulum.datetime(2026, 3, 2, 9, tz=TZ))
    card = audit.start()
    assert card is not None and card.contact.id == frank
    assert audit.keep(card.position) is None
    audit.finish()
    travel(to=NOW)

    ana = svc.add_contact(
        "Ana Silva",
        company="Acme",
        job_title="Senior PM",
        tier=1,
        categories=["former colleagues"],
        methods=[("email", "ana@acme.example"), ("phone", "+351 912 345 678")],
        how_met="at Acme, the 2019 payments launch",
        met_on="2019-05-02",
    )
    svc.log_touch(ana, "coffee", "130 days ago", note="her plans")
    svc.record_job_change(ana, "Head of Product", "Globex", source="linkedin")
    dan = svc.add_contact("Dan Brown", tier=1, company="Hooli")
    svc.log_touch(dan, "lunch", "400 days ago")
    svc.log_touch(dan, "call", "20 days ago")
    bob = svc.add_contact("Bob Stone", tier=2)
    svc.log_touch(bob, "email", "600 days ago")
    ivan = svc.add_contact("Ivan Petrov", tier=2)
    svc.log_touch(ivan, "coffee", "10 days ago")
    carla = svc.add_contact("Carla Dias", tier=3)
    svc.log_touch(carla, "email", "200 days ago", awaiting_reply=True)
    svc.log_touch(carla, "message", "150 days ago", awaiting_reply=True)
    hugo = svc.add_contact("Hugo Light", tier=3, categories=["neighbours"])
    svc.log_touch(hugo, "coffee", "30 days ago")
    travel(to=NOW.add(seconds=1))  # the import comes a moment later: a younger record
    ana_dup = svc.add_contact(
        "Ana Silva",
        methods=[("email", "ANA@acme.example"), ("linkedin", "ana-silva-pm")],
        categories=["linkedin"],
        location="Lisbon",
        notes="imported from LinkedIn",
    )
    svc.add_follow_up(ana_dup, "in 3 days", "send the deck")
    eve = svc.add_contact("Eve Costa")
    gina = svc.add_contact("Gina Gone", tier=2)
    svc.archive(gina)
    travel(to=NOW)
    return Net(ana, dan, bob, ivan, carla, hugo, ana_dup, eve, frank, gina)

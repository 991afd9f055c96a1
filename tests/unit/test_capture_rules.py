"""The pure rules of capture (netterm/core/capture.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from netterm.core import capture as rules


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Coffee with Ana", "coffee"),
        ("coffee", "coffee"),
        ("Café ☕ Ana", "coffee"),
        ("Lunch @ Zuma", "lunch"),
        ("Team dinner", "lunch"),
        ("Breakfast w/ Bob", "lunch"),
        ("Intro call", "call"),
        ("Phone: Bob", "call"),
        ("1:1 call with Bob", "call"),
        ("Project sync", "meeting"),
        ("", "meeting"),
        ("Coffeehouse planning", "meeting"),  # whole words only
    ],
)
def test_meeting_kind_from_the_title(title, kind):
    assert rules.meeting_kind(title) == kind


@pytest.mark.parametrize(
    ("location", "texts", "in_person"),
    [
        ("Café de Flore, Paris", (), True),
        ("Café de Flore", ("Join: https://us02web.zoom.us/j/123",), False),
        ("Initech HQ", ("https://meet.google.com/abc-defg-hij",), False),
        ("https://teams.microsoft.com/l/meetup-join/1", (), False),
        ("Online", (), False),
        ("Google Meet", (), False),
        ("phone", (), False),
        ("", ("somewhere nice",), False),
        (None, (), False),
        ("Room 4", (None, ""), True),
    ],
)
def test_in_person_needs_a_place_and_no_video_link(location, texts, in_person):
    assert rules.is_in_person(location, *texts) is in_person


def test_owner_is_the_identity_in_every_conversation():
    owner = rules.infer_owner(
        [["sam@home.example", "ana@x.example"], ["Bob@y.example", "SAM@home.example"]]
    )
    assert owner.found and owner.identities == ("sam@home.example",)
    assert owner.conversations == 2


def test_owner_not_found_or_ambiguous():
    none = rules.infer_owner([["a@x", "b@x"], ["c@x", "d@x"]])
    assert not none.found and none.candidates == ()
    # one conversation proves nothing: both sides are in it
    alone = rules.infer_owner([["a@x", "b@x"]])
    assert not alone.found and alone.candidates == ("a@x", "b@x")
    both = rules.infer_owner([["a@x", "b@x"], ["a@x", "b@x", "c@x"]])
    assert not both.found and both.candidates == ("a@x", "b@x")
    assert not rules.infer_owner([]).found


def _t(tid, day, direction, awaiting=False, replied=None):
    return rules.Attempt(tid, datetime(2026, 11, day, 9, tzinfo=UTC), direction, awaiting, replied)


def test_attempts_are_answered_by_the_next_inbound_or_mutual_touch():
    touches = [
        _t(1, 1, "out", True),
        _t(2, 2, "out", True),
        _t(3, 3, "in"),
        _t(4, 4, "out", True),
        _t(5, 5, "out"),  # expects no answer: neither an attempt nor an answer
        _t(6, 6, "mutual"),
        _t(7, 7, "out", True),  # still waiting
    ]
    found = rules.answered_at(list(reversed(touches)))
    assert found == {
        1: touches[2].occurred_at,
        2: touches[2].occurred_at,
        4: touches[5].occurred_at,
    }


def test_an_attempt_already_replied_keeps_its_date():
    earlier = datetime(2026, 1, 1, tzinfo=UTC)
    assert rules.answered_at([_t(1, 1, "out", True, earlier), _t(2, 2, "in")]) == {}


def test_captured_outgoing_mail_and_messages_await_a_reply():
    assert rules.awaits_reply("email", "out") and rules.awaits_reply("message", "out")
    assert not rules.awaits_reply("email", "in")
    assert not rules.awaits_reply("coffee", "out")


ME = ["sam@home.example", "sam@work.example"]


def test_meeting_people_rules():
    mp = rules.meeting_people
    assert mp(ME, "sam@home.example", [("ana@x", "ACCEPTED")]) == (None, ("ana@x",))
    # the organizer is someone else, "me" an attendee (case ignored)
    assert mp(ME, "ana@x", [("SAM@work.example", "ACCEPTED"), ("bob@y", "TENTATIVE")]) == (
        None,
        ("ana@x", "bob@y"),
    )
    assert mp(ME, "sam@home.example", [("a@x", "")], status="CANCELLED")[0] == rules.CANCELLED
    assert mp(ME, "ana@x", [("sam@home.example", "DECLINED")])[0] == rules.DECLINED
    assert mp(ME, None, [], all_day=True)[0] == rules.ALL_DAY_ALONE
    crowd = [(f"p{i}@x", "ACCEPTED") for i in range(11)]
    assert mp(ME, "sam@home.example", crowd)[0] == rules.CROWDED
    assert mp(ME, "sam@home.example", crowd, max_attendees=11)[0] is None
    assert mp(ME, "ana@x", [("bob@y", "ACCEPTED")])[0] == rules.NOT_YOURS
    # an attendee who declined does not take part
    assert mp(ME, "sam@home.example", [("ana@x", "DECLINED"), ("bob@y", "ACCEPTED")]) == (
        None,
        ("bob@y",),
    )
    # an all-day event with attendees is a meeting
    assert mp(ME, "sam@home.example", [("ana@x", "ACCEPTED")], all_day=True)[0] is None

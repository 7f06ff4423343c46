"""What is due for "how did it go?", and the introducer's aggregate, against a database."""

from datetime import timedelta

import pytest

from bot.db.models import FollowupAnswer, Intro
from bot.services.followups import (
    erase_followups,
    help_questions_due,
    intro_questions_due,
    intro_worth,
)
from tests.conftest import START
from tests.support.nudging import days, helped, member, workspace

NOW = START + days(30)
FORTNIGHT_AGO = NOW - days(14)
YESTERDAY = NOW - days(1)


def due(session, ws=None):
    ws = ws or workspace(session, NOW)
    return [(q.receiver_id, q.helper_ids, q.note) for q in help_questions_due(session, ws, NOW)]


@pytest.mark.parametrize(("age", "asked"), [(days(14) - timedelta(seconds=1), False),
                                            (days(14), True), (days(21) - timedelta(seconds=1), True),
                                            (days(21), False)])
def test_asked_from_n_days_and_not_once_a_week_late(session, age, asked):
    workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - age, note="the review")
    assert due(session) == ([("UALICE", ["UBOB"], "the review")] if asked else [])


def test_only_confirmed_help_with_a_note_and_never_reactions_or_solved_asks(session):
    ws = workspace(session, NOW, followup_days=10)
    at = NOW - days(10)
    helped(session, "UBOB", "UALICE", at, note="")
    helped(session, "UBOB", "UALICE", at, note="pending", status="pending")
    helped(session, "UBOB", "UALICE", at, note="retracted", status="retracted")
    helped(session, "UBOB", "UALICE", at, note="a reaction", source="reaction")
    helped(session, "UBOB", "UALICE", at, note="an ask Alice marked solved", source="ask")
    helped(session, "UBOB", None, at, note="to someone forgotten")
    helped(session, "UBOB", "UALICE", at, note="a claim", source="claim")
    assert due(session, ws) == [("UALICE", ["UBOB"], "a claim")]


def test_one_thanks_to_two_people_is_one_question_and_the_deactivated_are_left_out(session):
    workspace(session, NOW)
    at = NOW - days(14)
    helped(session, "UBOB", "UALICE", at, note="the offsite")
    helped(session, "UCAROL", "UALICE", at, note="the offsite")
    helped(session, "UERIN", "UALICE", at, note="the offsite")
    member(session, "UERIN", NOW, deleted=True)
    assert due(session) == [("UALICE", ["UBOB", "UCAROL"], "the offsite")]


def connected(session, introducer="UALICE", a="UBOB", b="UCAROL", at=FORTNIGHT_AGO):
    intro = Intro(team_id="T0001", introducer_id=introducer, a_id=a, b_id=b, reason="why",
                  status="connected", created_at=at - days(2), updated_at=at, connected_at=at)
    session.add(intro)
    session.flush()
    return intro


def test_each_party_of_a_connected_intro_is_due(session):
    ws = workspace(session, NOW)
    intro = connected(session)
    connected(session, at=NOW - days(13))  # not yet
    assert [(q.intro_id, q.party_id, q.other_id) for q in intro_questions_due(session, ws, NOW)] == [
        (intro.id, "UBOB", "UCAROL"), (intro.id, "UCAROL", "UBOB")]
    member(session, "UALICE", NOW, deleted=True)
    assert intro_questions_due(session, ws, NOW) == []


def answer(session, intro, person, verdict, told="UALICE", at=YESTERDAY):
    session.add(FollowupAnswer(team_id="T0001", kind="intro", subject_id=intro.id,
                               asked_id=person, told_id=told, answer=verdict, words="w",
                               created_at=at))
    session.flush()


def test_the_aggregate_counts_intros_and_keeps_to_the_floor_and_the_window(session):
    workspace(session, NOW)
    one, two, three = (connected(session, a=f"UA{n}", b=f"UB{n}") for n in range(3))
    answer(session, one, "UA0", "worth_it")
    answer(session, one, "UB0", "not_worth_it")
    answer(session, two, "UA1", "not_worth_it")
    answer(session, three, "UA2", "worth_it")
    assert intro_worth(session, "T0001", "UALICE", NOW - days(90)) is None  # 4 people
    answer(session, three, "UB2", "worth_it")
    worth = intro_worth(session, "T0001", "UALICE", NOW - days(90))
    assert (worth.answered, worth.worth, worth.people) == (3, 2, 5)
    assert intro_worth(session, "T0001", "UALICE", NOW) is None  # outside the window
    assert intro_worth(session, "T0001", "UBOB", NOW - days(90)) is None  # not theirs


def test_erase_takes_every_answer_about_the_person(session):
    workspace(session, NOW)
    intro = connected(session)
    answer(session, intro, "UBOB", "worth_it")
    answer(session, intro, "UCAROL", "worth_it")
    other = connected(session, introducer="UERIN", a="UDAN", b="UFAYE")
    answer(session, other, "UDAN", "worth_it", told="UERIN")
    assert erase_followups(session, "T0001", "UCAROL") == 2, "Bob's answer was about Carol too"
    assert [a.asked_id for a in session.query(FollowupAnswer)] == ["UDAN"]

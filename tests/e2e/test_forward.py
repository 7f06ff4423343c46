"""Paying it forward over HTTP and the jobs: a receiver who helped others at least
`forward_min` times is not sent a one-sided suggestion, and sees in words that they pass help
on; one who does not is sent one."""

import json
from datetime import timedelta

import pytest

from bot import constants as ids
from bot.db.models import Workspace
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message, assert_valid_view
from tests.support.nudging import buttons, jobs_runner, nudge_rows, thank_over_weeks

DAY = timedelta(days=1)
LATER = START + 17 * DAY  # help a week apart from START, then three quiet days
NOTES = ("the review", "the pairing", "the on-call cover")


@pytest.fixture
def jobs(db, slack, mutual):
    return jobs_runner(db, slack, mutual)


def thank(mutual, receiver, helper, note="help"):
    reply = mutual.post(p.command("/thanks", f"<@{helper}> for {note}", user=receiver))
    assert reply.status == 200, reply.body


def suggestions(slack, user="UALICE"):
    return [m for m in slack.dms_to(user) if ids.NUDGE_MUTE_PAIR in buttons(m)]


def me(mutual, user="UALICE"):
    body = mutual.post(p.command("/mutual", "me", user=user)).json()
    assert_valid_message(body)
    return json.dumps(body, ensure_ascii=False)


def home(mutual, slack, user="UALICE"):
    mutual.post_event(p.event(p.home_opened(user)))
    mutual.settle()
    view = [c for c in slack.calls_to("views.publish") if c["user_id"] == user][-1]["view"]
    assert_valid_view(view)
    return json.dumps(view, ensure_ascii=False)


def test_a_receiver_who_passes_it_on_is_not_nudged_and_sees_it_in_words(mutual, slack, db, jobs):
    for note in ("the review", "the pairing", "the on-call cover", "the deploy"):
        thank(mutual, "UALICE", "UBOB", note)
    thank(mutual, "UCAROL", "UALICE", "the SQL migration")  # Alice helped Carol …
    thank(mutual, "UERIN", "UALICE", "the offsite plan")  # … and Erin: twice, two people
    jobs(START + DAY)
    assert suggestions(slack) == []
    assert nudge_rows(db, kind="one_sided") == []

    line = "<@UBOB> helped you 4 times; you've helped 2 others in that time"
    assert line in me(mutual) and "Passing it on" in me(mutual)
    assert line in home(mutual, slack)
    assert "They've helped you" not in me(mutual), "not listed twice"
    assert "Passing it on" not in me(mutual, user="UBOB")


def test_one_who_does_not_is_nudged_with_pass_it_on_in_the_words(mutual, slack, db, jobs):
    thank_over_weeks(mutual, "UALICE", "UBOB", NOTES, START)
    thank(mutual, "UCAROL", "UALICE", "the SQL migration")  # once: not yet passing it on
    # Carol, whom Alice has helped, is asking for help: a way to pass it on.
    assert mutual.post(p.command("/ask", "Anyone free to pair on the index rebuild?",
                                 user="UCAROL", channel="CGENERAL")).status == 200
    mutual.settle()
    jobs(LATER)
    [nudge] = suggestions(slack)
    assert_valid_message(nudge)
    assert "or pass on to someone else?" in nudge["text"]
    shown = json.dumps(nudge, ensure_ascii=False)
    assert "Or pass it on" in shown and "<@UCAROL>: “Anyone free to pair on the index rebuild?”" in shown
    assert ":nudge" in shown and "nudge_thank" not in shown
    assert "Passing it on" not in me(mutual)
    assert "<@UBOB> helped you 3 times" in me(mutual)


def test_passing_it_on_before_the_suggestion_goes_out_calls_it_off(mutual, slack, db, jobs):
    friday_evening = START + 4 * DAY + timedelta(hours=8)  # Friday 18:00 in London
    thank_over_weeks(mutual, "UALICE", "UBOB", NOTES, friday_evening - 17 * DAY)
    jobs(friday_evening)
    [row] = nudge_rows(db, kind="one_sided")
    assert row.status == "pending", "held for Monday morning"
    thank(mutual, "UCAROL", "UALICE", "the SQL migration")
    thank(mutual, "UCAROL", "UALICE", "the index")
    jobs(START + 7 * DAY)
    assert suggestions(slack) == []
    [row] = nudge_rows(db, kind="one_sided")
    assert (row.status, row.last_error) == ("cancelled", "no longer one-sided")


def test_forward_min_is_the_workspaces(mutual, slack, db, jobs):
    thank_over_weeks(mutual, "UALICE", "UBOB", NOTES, START)
    thank(mutual, "UCAROL", "UALICE", "the SQL migration")
    thank(mutual, "UERIN", "UALICE", "the offsite plan")
    with db.session() as s:
        s.get(Workspace, "T0001").forward_min = 3
    assert "Passing it on" not in me(mutual)
    jobs(LATER)
    assert len(suggestions(slack)) == 1

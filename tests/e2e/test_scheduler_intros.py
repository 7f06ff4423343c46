"""Introductions followed through by the scheduler (PRODUCT.md §3.4), end to end over HTTP:
one reminder to whoever hasn't answered after 3 days, the close after 7 with a note to the
introducer, one nudge to a party silent for 5 days after the group DM opened."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import constants as ids
from bot.db.models import Intro
from tests.conftest import START
from tests.support import payloads as p
from tests.support.nudging import GATHER, buttons, jobs_runner, nudge_rows

DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
GROUP = "GALIBOBCAR"


@pytest.fixture
def jobs(db, slack, mutual):
    """Run every job as of `at` (and move the app's clock there too)."""
    return jobs_runner(db, slack, mutual)


def intro(db):
    with db.session() as s:
        return s.scalars(select(Intro)).one()


def propose(mutual):
    reply = mutual.post(p.command("/intro", "<@UBOB> <@UCAROL> you both work on search",
                                  user="UALICE"))
    assert reply.status == 200, reply.body
    mutual.settle()
    return intro(mutual.db)


def press(mutual, action_id, value, user):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=user))
    assert reply.status == 200, reply.body
    mutual.settle()


def reminders(slack, user):
    return [m for m in slack.dms_to(user) if m["text"].startswith("A gentle reminder")]


def test_one_reminder_to_the_party_who_has_not_answered(mutual, slack, db, jobs):
    made = propose(mutual)
    mutual.clock.set(START + DAY)
    press(mutual, ids.INTRO_ACCEPT, str(made.id), "UBOB")
    jobs(START + 3 * DAY)  # pending exactly 3 days: not yet "more than 3"
    assert reminders(slack, "UCAROL") == []
    jobs(START + 3 * DAY + SECOND)  # planned: Carol's questions DM goes within the hour
    jobs(START + 3 * DAY + SECOND + GATHER)
    [reminder] = reminders(slack, "UCAROL")
    assert "<@UALICE> would like to introduce you to <@UBOB>" in reminder["text"]
    assert {ids.INTRO_ACCEPT, ids.INTRO_DECLINE} <= set(buttons(reminder))
    assert reminders(slack, "UBOB") == []  # Bob already said yes
    jobs(START + 4 * DAY)
    jobs(START + 6 * DAY)
    assert len(reminders(slack, "UCAROL")) == 1


def test_answering_before_the_reminder_goes_out_cancels_it(mutual, slack, db, jobs):
    made = propose(mutual)
    # Planned on Saturday, held until Monday; Carol answers on Sunday.
    saturday = START + 5 * DAY
    jobs(saturday)
    assert {r.status for r in nudge_rows(db)} == {"pending"}
    mutual.clock.set(saturday + DAY)
    press(mutual, ids.INTRO_ACCEPT, str(made.id), "UCAROL")
    jobs(START + 7 * DAY)  # Monday morning
    assert reminders(slack, "UCAROL") == []
    assert len(reminders(slack, "UBOB")) == 1  # Bob still hasn't answered
    carol = [r for r in nudge_rows(db) if r.recipient_id == "UCAROL"]
    assert [(r.status, r.last_error) for r in carol] == [("cancelled", "nothing left to ask")]


def test_a_not_now_changes_nothing_for_the_other_one(mutual, slack, db, jobs):
    made = propose(mutual)
    jobs(START + 5 * DAY)  # Saturday: planned and held
    mutual.clock.set(START + 6 * DAY)
    press(mutual, ids.INTRO_DECLINE, str(made.id), "UCAROL")
    jobs(START + 7 * DAY)
    # Carol answered, so she isn't reminded; Bob is, just as if Carol were still thinking.
    assert reminders(slack, "UCAROL") == [] and len(reminders(slack, "UBOB")) == 1


def test_expiry_after_seven_days_tells_the_introducer_once(mutual, slack, db, jobs):
    propose(mutual)
    jobs(START + 7 * DAY)
    assert intro(db).status == "proposed"
    result = jobs(START + 7 * DAY + SECOND)
    assert result["expire_intros"] == 1 and intro(db).status == "expired"
    [notice] = [m for m in slack.dms_to("UALICE") if "won't go ahead for now" in m["text"]]
    assert "<@UBOB> and <@UCAROL>" in notice["text"]
    jobs(START + 8 * DAY)
    assert len([m for m in slack.dms_to("UALICE") if "won't go ahead for now" in m["text"]]) == 1


def test_a_silent_party_gets_one_nudge(mutual, slack, db, jobs):
    made = propose(mutual)
    press(mutual, ids.INTRO_ACCEPT, str(made.id), "UBOB")
    press(mutual, ids.INTRO_ACCEPT, str(made.id), "UCAROL")
    assert intro(db).status == "open" and intro(db).group_channel_id == GROUP
    reply = mutual.post_event(p.event(p.mpim_message("UBOB", GROUP)))
    assert reply.status == 200
    jobs(START + 5 * DAY)  # silent for exactly 5 days: not yet
    assert nudge_rows(db) == []
    jobs(START + 5 * DAY + SECOND)  # just over, but a Saturday: planned and held
    jobs(START + 5 * DAY + SECOND + GATHER)
    [row] = nudge_rows(db)
    assert (row.recipient_id, row.status) == ("UCAROL", "pending")
    assert [m for m in slack.dms_to("UCAROL") if ids.INTRO_CONNECTED in buttons(m)] == []
    monday_morning = START + 7 * DAY - timedelta(hours=1)
    assert row.due_at == monday_morning
    jobs(monday_morning)
    [nudge] = [m for m in slack.dms_to("UCAROL") if ids.INTRO_CONNECTED in buttons(m)]
    assert "<@UBOB>" in nudge["text"] and "<@UALICE>" in nudge["text"]
    assert [m for m in slack.dms_to("UBOB") if ids.INTRO_CONNECTED in buttons(m)] == []
    jobs(START + 8 * DAY)
    assert len([m for m in slack.dms_to("UCAROL") if ids.INTRO_CONNECTED in buttons(m)]) == 1

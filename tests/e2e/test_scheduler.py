"""The scheduler end to end: help recorded over HTTP, jobs run at a later instant, private
nudges at the Web API double, and the buttons and commands that change what comes next."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot import constants as ids
from bot.db.models import Ask, AskOffer, Member, MutedPair
from tests.conftest import START
from tests.support import nudging
from tests.support import payloads as p
from tests.support.db_read import records
from tests.support.nudging import buttons, jobs_runner, nudge_rows, text_of

DAY = timedelta(days=1)
WEEK = 7 * DAY
# Help spread over two weeks (START, +1 week, +2 weeks), and quiet for three days since: when
# a suggestion to give back may come (PRODUCT.md §4).
LATER = START + 17 * DAY


@pytest.fixture
def jobs(db, slack, mutual):
    """Run every job as of `at` (and move the app's clock there too)."""
    return jobs_runner(db, slack, mutual)


def thank(mutual, receiver, helper, note):
    reply = mutual.post(p.command("/thanks", f"<@{helper}> for {note}", user=receiver))
    assert reply.status == 200, reply.body
    mutual.settle()


def thank_over_weeks(mutual, receiver, helper, notes, start=START):
    nudging.thank_over_weeks(mutual, receiver, helper, notes, start)


def press(mutual, action_id, value, user="UALICE", ts="1700000001.000100"):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel="DALI",
                                       message_ts=ts))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply


def mutual_command(mutual, text, user="UALICE"):
    reply = mutual.post(p.command("/mutual", text, user=user))
    assert reply.status == 200, reply.body
    return reply.json()


def nudges_to(slack, user):
    return [m for m in slack.dms_to(user) if ids.NUDGE_MUTE_PAIR in buttons(m)]


def member(db, user="UALICE"):
    with db.session() as s:
        return s.get(Member, ("T0001", user))


def test_thanks_over_http_then_a_later_run_nudges_privately(mutual, slack, db, jobs):
    thank_over_weeks(mutual, "UALICE", "UBOB", ["the code review", "pairing on the migration"])
    jobs(START + 10 * DAY)
    assert nudges_to(slack, "UALICE") == []  # twice is not a pattern
    mutual.clock.set(START + 2 * WEEK)
    thank(mutual, "UALICE", "UBOB", "covering my on-call shift")
    assert jobs(START + 16 * DAY)["one_sided_nudges"] == 0  # not hard on the heels of help
    result = jobs(LATER)
    assert result["one_sided_nudges"] == 1

    [dm] = nudges_to(slack, "UALICE")
    assert dm["text"].startswith("<@UBOB> has helped you three times this quarter — is there "
                                 "something you could do for <@UBOB>, or pass on to someone else?")
    shown = text_of(dm)
    assert "covering my on-call shift" in shown and "pairing on the migration" in shown
    # Alice already thanked Bob for all of it, and nobody she knows is asking for anything:
    # Mutual says so, and offers only the controls — not another thank-you.
    assert "nothing open I can point you to" in shown
    assert buttons(dm) == {ids.NUDGE_SNOOZE: "30", ids.NUDGE_MUTE_PAIR: "UBOB"}
    assert nudges_to(slack, "UBOB") == []  # the helper is never told

    # Running again — the same day, the next, within the week — sends nothing more.
    for later in (LATER, LATER + DAY, LATER + 6 * DAY):
        jobs(later)
    assert len(nudges_to(slack, "UALICE")) == 1


def test_the_nudge_points_to_the_helpers_ask_and_an_offer_from_it_says_only_i_can_help(
        mutual, slack, db, jobs):
    thank_over_weeks(mutual, "UALICE", "UBOB", ("the code review", "pairing", "the on-call shift"))
    assert mutual.post(p.command("/ask", "Who can review my Terraform change?", user="UBOB",
                                 channel="CGENERAL")).status == 200
    mutual.settle()
    with db.session() as s:
        ask_id = s.query(Ask).one().id
    jobs(LATER)
    [dm] = nudges_to(slack, "UALICE")
    assert "<@UBOB> is asking for help with:" in text_of(dm)
    assert "Who can review my Terraform change?" in text_of(dm)
    assert buttons(dm) == {ids.ASK_OFFER: f"{ask_id}:nudge", ids.NUDGE_HELPED: "UBOB",
                           ids.NUDGE_SNOOZE: "30", ids.NUDGE_MUTE_PAIR: "UBOB"}

    before = len(slack.dms_to("UBOB"))
    reply = mutual.post(p.block_action(ids.ASK_OFFER, f"{ask_id}:nudge", user="UALICE",
                                       channel="DALI", message_ts="1700000001.000100",
                                       response_url=slack.response_url()))
    assert reply.status == 200, reply.body
    mutual.settle()
    with db.session() as s:
        [offer] = s.query(AskOffer).all()
        assert (offer.helper_id, offer.via, offer.status) == ("UALICE", "nudge", "offered")
    # Bob hears that Alice can help — the words of the button she pressed — and nothing about
    # a suggestion.
    [told] = slack.dms_to("UBOB")[before:]
    assert "<@UALICE> can help with your ask" in told["text"]
    assert not re.search(r"nudg|suggest|remind|one-sided", text_of(told), re.I)


def test_an_old_ask_offer_value_still_works(mutual, slack, db):
    assert mutual.post(p.command("/ask", "Anyone know Helm?", user="UBOB",
                                 channel="CGENERAL")).status == 200
    mutual.settle()
    with db.session() as s:
        ask_id = s.query(Ask).one().id
    press(mutual, ids.ASK_OFFER, str(ask_id))
    with db.session() as s:
        assert [o.via for o in s.query(AskOffer).all()] == ["channel"]


def test_nudge_thank_and_helped_open_the_modals_for_that_person(mutual, slack):
    press(mutual, ids.NUDGE_THANK, "UBOB")
    [opened] = slack.calls_to("views.open")
    view = opened["view"]
    assert view["callback_id"] == ids.THANK_SOMEONE
    assert view["blocks"][0]["element"]["initial_users"] == ["UBOB"]

    press(mutual, ids.NUDGE_HELPED, "UBOB")
    view = slack.calls_to("views.open")[1]["view"]
    assert view["callback_id"] == ids.HELPED_MODAL
    assert view["blocks"][0]["element"]["initial_user"] == "UBOB"


def test_snooze_button_pauses_the_next_nudges(mutual, slack, db, jobs):
    thank_over_weeks(mutual, "UALICE", "UBOB", ("a", "b", "c"))
    jobs(LATER)
    assert len(nudges_to(slack, "UALICE")) == 1

    press(mutual, ids.NUDGE_SNOOZE, "30", ts="1700000009.000100")
    assert member(db).snoozed_until == LATER + 30 * DAY
    [update] = slack.calls_to("chat.update")
    assert update["ts"] == "1700000009.000100" and "Snoozed" in update["text"]
    assert buttons(update) == {}  # the buttons are gone

    thank_over_weeks(mutual, "UALICE", "UCAROL", ("x", "y", "z"), start=LATER)
    jobs(LATER + 19 * DAY)  # past the person cooldown, but snoozed
    jobs(LATER + 29 * DAY)
    assert len(nudges_to(slack, "UALICE")) == 1
    jobs(LATER + 32 * DAY)  # snooze over (a Monday)
    latest = nudges_to(slack, "UALICE")[-1]
    assert len(nudges_to(slack, "UALICE")) == 2 and "<@UCAROL>" in latest["text"]


def test_mute_pair_button_stops_nudges_about_that_person_only(mutual, slack, db, jobs):
    thank_over_weeks(mutual, "UALICE", "UBOB", ("a", "b", "c"))
    jobs(LATER)
    press(mutual, ids.NUDGE_MUTE_PAIR, "UBOB")
    with db.session() as s:
        assert s.get(MutedPair, ("T0001", "UALICE", "UBOB")) is not None
    assert "won't suggest anything about <@UBOB>" in slack.calls_to("chat.update")[0]["text"]

    thank(mutual, "UALICE", "UBOB", "d")
    jobs(LATER + 35 * DAY)  # a Thursday, past both cooldowns
    assert len(nudges_to(slack, "UALICE")) == 1
    assert nudge_rows(db, subject="UBOB", status="pending") == []
    thank_over_weeks(mutual, "UALICE", "UCAROL", ("x", "y", "z"), start=LATER + 35 * DAY)
    jobs(LATER + 53 * DAY)  # a Monday, once Carol's help has had its quiet days
    assert "<@UCAROL>" in nudges_to(slack, "UALICE")[-1]["text"]


def test_nudges_off_and_on(mutual, slack, db, jobs):
    thank_over_weeks(mutual, "UALICE", "UBOB", ("a", "b", "c"))
    reply = mutual_command(mutual, "nudges off")
    assert "Nudges are off" in reply["text"]
    assert member(db).nudges_enabled is False
    jobs(LATER)
    assert nudges_to(slack, "UALICE") == []

    reply = mutual_command(mutual, "nudges on")
    assert "Nudges are on" in reply["text"]
    jobs(LATER + DAY)
    assert len(nudges_to(slack, "UALICE")) == 1


@pytest.mark.parametrize("text", ["nudges", "nudges maybe", "snooze", "snooze banana",
                                  "snooze 0", "snooze -3", "snooze 400", "snooze 2.5"])
def test_bad_control_input_gets_a_friendly_answer_and_changes_nothing(mutual, db, text):
    mutual_command(mutual, "snooze 5")
    before = member(db).snoozed_until
    reply = mutual_command(mutual, text)
    assert reply["response_type"] == "ephemeral"
    assert "Nothing was changed" in reply["text"]
    after = member(db)
    assert (after.snoozed_until, after.nudges_enabled) == (before, True)


@pytest.mark.parametrize(("text", "days"), [("snooze 14", 14), ("snooze 1", 1),
                                            ("snooze 365", 365), ("snooze 10 days", 10)])
def test_snooze_command(mutual, db, text, days):
    reply = mutual_command(mutual, text)
    assert "Snoozed" in reply["text"]
    assert member(db).snoozed_until == START + timedelta(days=days)


def test_claim_reminder_after_three_days_once(mutual, slack, db, jobs):
    reply = mutual.post(p.command("/helped", "<@UALICE> reviewed the launch plan", user="UBOB"))
    assert reply.status == 200
    mutual.settle()
    assert len(slack.dms_to("UALICE")) == 1  # the request itself
    jobs(START + 3 * DAY - timedelta(seconds=1))
    assert len(slack.dms_to("UALICE")) == 1
    jobs(START + 3 * DAY)  # planned: Alice's questions DM goes within the hour
    jobs(START + 3 * DAY + nudging.GATHER)
    reminder = slack.dms_to("UALICE")[-1]
    assert reminder["text"].startswith("Reminder: <@UBOB> says they helped you")
    assert set(buttons(reminder)) == {ids.CLAIM_CONFIRM, ids.CLAIM_DECLINE}
    jobs(START + 4 * DAY)
    jobs(START + 5 * DAY)
    assert len(slack.dms_to("UALICE")) == 2

    # The reminder's button confirms the claim like the first request's.
    press(mutual, ids.CLAIM_CONFIRM, buttons(reminder)[ids.CLAIM_CONFIRM])
    assert records(db)[0].status == "confirmed"


def test_no_reminder_for_a_claim_answered_meanwhile(mutual, slack, db, jobs):
    mutual.post(p.command("/helped", "<@UALICE> reviewed the launch plan", user="UBOB"))
    mutual.settle()
    record_id = str(records(db)[0].id)
    mutual.clock.set(START + DAY)
    press(mutual, ids.CLAIM_DECLINE, record_id)
    jobs(START + 3 * DAY)
    assert len(slack.dms_to("UALICE")) == 1
    assert nudge_rows(db) == []


def test_claims_expire_after_fourteen_days(mutual, slack, db, jobs):
    mutual.post(p.command("/helped", "<@UALICE> reviewed the launch plan", user="UBOB"))
    mutual.settle()
    jobs(START + 14 * DAY - timedelta(seconds=1))
    assert records(db)[0].status == "pending"
    assert jobs(START + 14 * DAY)["expire_claims"] == 1
    assert records(db)[0].status == "expired"


def test_a_reminder_due_after_work_waits_for_the_morning(mutual, slack, db, jobs):
    mutual.clock.set(START + 4 * DAY + timedelta(hours=6))  # Friday 16:00 UTC
    mutual.post(p.command("/helped", "<@UALICE> reviewed the launch plan", user="UBOB"))
    mutual.settle()
    jobs(START + 7 * DAY + timedelta(hours=8))  # Monday 18:00 in London: after work
    jobs(START + 7 * DAY + timedelta(hours=8) + nudging.GATHER)
    assert len(slack.dms_to("UALICE")) == 1
    tuesday_morning = START + 8 * DAY - timedelta(hours=1)  # 09:00
    [row] = nudge_rows(db)
    assert (row.status, row.due_at) == ("pending", tuesday_morning)
    jobs(tuesday_morning - timedelta(seconds=1))
    assert len(slack.dms_to("UALICE")) == 1
    jobs(tuesday_morning)
    assert len(slack.dms_to("UALICE")) == 2

"""Asks followed through by the scheduler, end to end over HTTP: one reminder about an
accepted offer gone quiet, "Can't after all" that never names the helper to the asker, one
private suggestion of people for an ask nobody offered on (never a paused person, never a
public bump), and asks closing after a long while."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import constants as ids
from bot.db.models import Ask, AskOffer, Member
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.nudging import GATHER, buttons, helped, jobs_runner, member, text_of, workspace

DAY = timedelta(days=1)


@pytest.fixture
def jobs(db, slack, mutual):
    return jobs_runner(db, slack, mutual)


def cmd(mutual, name, text, user="UALICE", channel="CGENERAL"):
    reply = mutual.post(p.command(name, text, user=user, channel=channel))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def press(mutual, slack, action_id, value, user, channel="CGENERAL"):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=channel,
                                       response_url=slack.response_url()))
    assert reply.status == 200, reply.body
    mutual.settle()


def the_ask(db):
    with db.session() as s:
        return s.query(Ask).one()


def the_offer(db):
    with db.session() as s:
        return s.query(AskOffer).one()


def reminders(slack, user="UBOB"):
    return [m for m in slack.dms_to(user) if ids.OFFER_CANNOT in buttons(m)]


def accepted_offer(mutual, slack, db):
    """Alice asks; Bob offers; Alice takes him up on it."""
    cmd(mutual, "/ask", "Could someone review my Terraform plan?")
    ask_id = the_ask(db).id
    press(mutual, slack, ids.ASK_OFFER, str(ask_id), "UBOB")
    press(mutual, slack, ids.ASK_ACCEPT, str(the_offer(db).id), "UALICE", channel="DALI")
    return ask_id


def to_alice(slack):
    """Every message the asker received: DMs, updates of them, private replies."""
    sent = [c for c in slack.calls_to("chat.postMessage") if c.get("channel") in ("UALICE", "DALI")]
    sent += [c for c in slack.calls_to("chat.update") if c.get("channel") in ("UALICE", "DALI")]
    return sent


def test_an_accepted_offer_then_silence_gets_exactly_one_reminder(mutual, slack, db, jobs):
    accepted_offer(mutual, slack, db)
    jobs(START + 2 * DAY)
    assert reminders(slack) == []
    jobs(START + 3 * DAY)
    jobs(START + 3 * DAY)  # twice
    jobs(START + 3 * DAY + GATHER)  # the questions DM waits an hour for others due with it
    [reminder] = reminders(slack)
    assert_valid_message(reminder)
    offer_id = str(the_offer(db).id)
    assert buttons(reminder) == {ids.OFFER_DONE: offer_id, ids.OFFER_CANNOT: offer_id}
    assert "<@UALICE> took you up on your offer" in reminder["text"]
    assert "Terraform plan" in text_of(reminder)
    jobs(START + 4 * DAY)
    jobs(START + 10 * DAY)  # a week later
    assert len(reminders(slack)) == 1


def test_the_reminder_waits_for_the_helpers_working_hours(mutual, slack, db, jobs):
    slack.users["UBOB"]["tz_offset"] = 9 * 3600  # Tokyo: 19:00 when it is 10:00 in London
    accepted_offer(mutual, slack, db)
    jobs(START + 3 * DAY)
    assert reminders(slack) == []
    jobs(START + 3 * DAY + timedelta(hours=14))  # 09:00 the next morning in Tokyo
    assert len(reminders(slack)) == 1


def test_done_tells_the_asker_so_they_can_mark_it_solved(mutual, slack, db, jobs):
    ask_id = accepted_offer(mutual, slack, db)
    jobs(START + 3 * DAY)
    press(mutual, slack, ids.OFFER_DONE, str(the_offer(db).id), "UBOB", channel="DBOB")
    assert the_offer(db).status == "done"
    told = slack.dms_to("UALICE")[-1]
    assert "<@UBOB> says they've helped" in told["text"]
    assert buttons(told) == {ids.ASK_SOLVED: str(ask_id)}
    [update] = [u for u in slack.calls_to("chat.update") if u["channel"] == "DBOB"]
    assert "I've let <@UALICE> know" in update["text"] and buttons(update) == {}


def test_cant_after_all_never_names_the_helper_to_the_asker(mutual, slack, db, jobs):
    """A "no" is told to nobody at the time (PRODUCT.md §4c): the asker learns the ask is open
    again only when the accepted offer would have lapsed, in the words used whenever nobody is
    on it any more, and nothing she sees before then gives it away."""
    ask_id = accepted_offer(mutual, slack, db)
    jobs(START + 3 * DAY)
    slack.reset()
    press(mutual, slack, ids.OFFER_CANNOT, str(the_offer(db).id), "UBOB", channel="DBOB")
    assert the_offer(db).status == "cannot" and the_ask(db).status == "open"
    assert to_alice(slack) == []
    assert [u for u in slack.calls_to("chat.update") if u["channel"] == "CGENERAL"] == []
    listed = cmd(mutual, "/mutual", "asks")
    assert "1 offer" in text_of(listed), "her own list still shows the offer"
    jobs(START + 6 * DAY)
    assert to_alice(slack) == []
    jobs(START + 7 * DAY)  # when the accepted offer would have lapsed
    assert the_offer(db).status == "withdrawn"
    heard = to_alice(slack)
    assert [m["text"] for m in heard if "open again" in m["text"]], heard
    for msg in heard:
        assert "UBOB" not in text_of(msg), msg
    post = [u for u in slack.calls_to("chat.update") if u["channel"] == "CGENERAL"][-1]
    assert "Someone is helping" not in text_of(post) and "UBOB" not in text_of(post)
    assert buttons(post) == {ids.ASK_OFFER: str(ask_id), ids.ASK_SOLVED: str(ask_id)}
    [update] = [u for u in slack.calls_to("chat.update") if u["channel"] == "DBOB"]
    assert "Nobody is told why" in update["text"]
    # And the offer is not chased again.
    jobs(START + 10 * DAY)
    assert to_alice(slack) == heard and reminders(slack) == []


def test_no_offer_suggests_people_who_helped_with_similar_things_privately(mutual, slack, db, jobs):
    with db.session() as s:
        workspace(s, START)
        helped(s, "UCAROL", "UERIN", START - 10 * DAY, note="the Postgres migration for billing")
        helped(s, "UBOB", "UERIN", START - 9 * DAY, note="tuning postgres queries")
        helped(s, "UDAVE", "UERIN", START - 8 * DAY, note="postgres backups")
        helped(s, "UERIN", "UCAROL", START - 7 * DAY, note="lunch plans")
        member(s, "UDAVE", START, deleted=True)
    cmd(mutual, "/offer", "Postgres performance", user="UERIN")
    press(mutual, slack, ids.ASKS_PAUSE, "14", "UBOB", channel="DBOB")  # Bob is taking a breather
    cmd(mutual, "/ask", "Anyone good with Postgres migrations?")
    posted = len(slack.calls_to("chat.postMessage"))

    jobs(START + 2 * DAY)
    assert not [m for m in slack.dms_to("UALICE") if "Nobody has offered" in m["text"]]
    jobs(START + 3 * DAY)
    jobs(START + 3 * DAY)
    [suggestion] = [m for m in slack.dms_to("UALICE") if "Nobody has offered" in m["text"]]
    assert_valid_message(suggestion)
    shown = text_of(suggestion)
    assert "<@UCAROL>" in shown and "<@UERIN>" in shown and "Postgres performance" in shown
    assert "UBOB" not in shown, "paused people are never suggested"
    assert "UDAVE" not in shown and "UALICE" not in suggestion["text"].split("—")[1]
    assert "lunch" not in shown
    since = slack.calls_to("chat.postMessage")[posted:]
    assert [c["channel"] for c in since] == ["UALICE"], "no public bump, nothing to them"
    jobs(START + 8 * DAY)
    assert len([m for m in slack.dms_to("UALICE") if "Nobody has offered" in m["text"]]) == 1


def test_no_suggestion_when_someone_offered_or_nobody_fits(mutual, slack, db, jobs):
    with db.session() as s:
        workspace(s, START)
        helped(s, "UCAROL", "UERIN", START - 10 * DAY, note="kubernetes upgrades")
    cmd(mutual, "/ask", "Kubernetes upgrade help?")
    press(mutual, slack, ids.ASK_OFFER, str(the_ask(db).id), "UBOB")
    cmd(mutual, "/ask", "Best pizza near the office?", user="UCAROL")
    jobs(START + 4 * DAY)
    assert not [m for d in ("UALICE", "UCAROL") for m in slack.dms_to(d)
                if "Nobody has offered" in m["text"]]
    # One look per ask: someone who fits later is not suggested days afterwards.
    cmd(mutual, "/offer", "pizza places", user="UERIN")
    jobs(START + 5 * DAY)
    assert not [m for m in slack.dms_to("UCAROL") if "Nobody has offered" in m["text"]]


def test_asks_close_after_a_long_while(mutual, slack, db, jobs):
    cmd(mutual, "/ask", "Who has the projector remote?")
    jobs(START + 29 * DAY)
    assert the_ask(db).status == "open"
    jobs(START + 30 * DAY + timedelta(hours=1))
    assert the_ask(db).status == "expired"
    post = [u for u in slack.calls_to("chat.update") if u["channel"] == "CGENERAL"][-1]
    assert buttons(post) == {} and "has closed" in post["text"]
    told = [m for m in slack.dms_to("UALICE") if "has closed after 30 days" in m["text"]]
    assert len(told) == 1
    assert_valid_message(told[0])


def test_a_pause_lasts_two_weeks(mutual, slack, db):
    press(mutual, slack, ids.ASKS_PAUSE, "14", "UBOB", channel="DBOB")
    with db.session() as s:
        assert s.get(Member, ("T0001", "UBOB")).asks_paused_until == START + 14 * DAY
    [update] = slack.calls_to("chat.update")
    assert "Paused" in update["text"] and buttons(update) == {}

"""What Mutual tells whom, and when (PRODUCT.md §4c), over signed HTTP and the jobs: a "no" is
told only when an unanswered one would have lapsed, in the same words; the same thing is not
asked again for a while after it; later questions come at most once a day, in one DM; and
whatever ended loses its buttons."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import constants as ids
from bot.db.models import Intro, IntroRequest
from tests.conftest import START
from tests.support import payloads as p
from tests.support.db_read import landed, records
from tests.support.nudging import GATHER, buttons, jobs_runner

DAY = timedelta(days=1)
LAPSED = START + 7 * DAY + timedelta(hours=1)  # just past an unanswered intro's seven days


@pytest.fixture
def jobs(db, slack, mutual):
    return jobs_runner(db, slack, mutual)


def cmd(mutual, name, text, user="UALICE"):
    reply = mutual.post(p.command(name, text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def press(mutual, action_id, value, user, where=("DX", "1700000001.000100")):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=where[0],
                                       message_ts=where[1]))
    assert reply.status == 200, reply.body
    mutual.settle()


def the_intro(db, a="UBOB", b="UCAROL"):
    with db.session() as s:
        return s.scalars(select(Intro).where(Intro.a_id == a, Intro.b_id == b)).one()


def words_to(slack, user, start=0):
    return [m["text"] for m in slack.dms_to(user)[start:]]


# -- a "no" closes only when a silence would have, in the same words ---------------------------

def test_a_declined_intro_and_an_unanswered_one_close_alike(mutual, slack, db, jobs):
    cmd(mutual, "/intro", "<@UBOB> <@UCAROL> you both run search")
    cmd(mutual, "/intro", "<@UBOB> <@UERIN> you both run billing")
    declined, silent = the_intro(db), the_intro(db, "UBOB", "UERIN")
    # Carol says not now; Bob says yes to both. Erin never answers.
    press(mutual, ids.INTRO_DECLINE, str(declined.id), "UCAROL",
          landed(db, f"consent:{declined.id}:UCAROL"))
    for intro in (declined, silent):
        press(mutual, ids.INTRO_ACCEPT, str(intro.id), "UBOB", landed(db, f"consent:{intro.id}:UBOB"))
    jobs(START + 6 * DAY)
    assert words_to(slack, "UALICE") == [], "nothing before the lapse"
    bob_before = len(slack.dms_to("UBOB"))

    jobs(LAPSED)
    to_alice = words_to(slack, "UALICE")
    assert sorted(to_alice) == sorted([
        "Your introduction of <@UBOB> and <@UCAROL> won't go ahead for now.",
        "Your introduction of <@UBOB> and <@UERIN> won't go ahead for now."])
    to_bob = words_to(slack, "UBOB", bob_before)
    assert sorted(to_bob) == sorted([
        "The introduction <@UALICE> suggested between you and <@UCAROL> won't go ahead for now.",
        "The introduction <@UALICE> suggested between you and <@UERIN> won't go ahead for now."])
    notices = [m for m in slack.dms_to("UALICE") + slack.dms_to("UBOB") if not buttons(m)]
    assert "declin" not in json.dumps(notices).lower()
    assert (the_intro(db).status, the_intro(db, "UBOB", "UERIN").status) == ("declined", "expired")
    # Erin's consent DM, still asking, closes without buttons; nobody gets a second DM saying
    # what an edited one says.
    erin_dm = landed(db, f"consent:{silent.id}:UERIN")
    [closed] = [u for u in slack.calls_to("chat.update") if (u["channel"], u["ts"]) == erin_dm]
    assert "closed without going ahead" in closed["text"] and buttons(closed) == {}
    assert len(slack.dms_to("UERIN")) == 1 and len(slack.dms_to("UCAROL")) == 1


def test_a_declined_request_closes_when_an_unanswered_one_would(mutual, slack, db, jobs):
    cmd(mutual, "/intro", "request <@UBOB> <@UCAROL> pricing advice")
    cmd(mutual, "/intro", "request <@UERIN> <@UCAROL> billing advice")
    with db.session() as s:
        first, second = s.scalars(select(IntroRequest).order_by(IntroRequest.id)).all()
    press(mutual, ids.INTRO_REQUEST_DECLINE, str(first.id), "UBOB",
          landed(db, f"intro_request:{first.id}"))
    jobs(START + 6 * DAY)
    assert words_to(slack, "UALICE") == []
    jobs(LAPSED)
    assert sorted(words_to(slack, "UALICE")) == sorted([
        "Your request to <@UBOB> for an introduction to <@UCAROL> didn't happen this time, so I've "
        "closed it.",
        "Your request to <@UERIN> for an introduction to <@UCAROL> didn't happen this time, so I've "
        "closed it."])
    erin_dm = landed(db, f"intro_request:{second.id}")
    [closed] = [u for u in slack.calls_to("chat.update") if (u["channel"], u["ts"]) == erin_dm]
    assert buttons(closed) == {} and "has closed" in closed["text"]


# -- not asked again for a while after a no or a lapse --------------------------------------

NOT_NOW_INTRO = "I can't put this introduction to them just now"


def test_the_same_intro_is_not_put_to_them_again_for_thirty_days(mutual, slack, db, jobs):
    cmd(mutual, "/intro", "<@UBOB> <@UCAROL> search")
    intro = the_intro(db)
    press(mutual, ids.INTRO_DECLINE, str(intro.id), "UCAROL", landed(db, f"consent:{intro.id}:UCAROL"))
    # While it waits: the introducer hears it waits; anyone else, only "not now".
    assert "You've already suggested introducing" in cmd(mutual, "/intro", "<@UBOB> <@UCAROL> once more")["text"]
    assert NOT_NOW_INTRO in cmd(mutual, "/intro", "<@UCAROL> <@UBOB> search", user="UERIN")["text"]
    jobs(LAPSED)
    carol_dms = len(slack.dms_to("UCAROL"))
    mutual.clock.set(LAPSED + 29 * DAY)
    for text, user in (("<@UBOB> <@UCAROL> once more", "UALICE"), ("<@UCAROL> <@UBOB> search", "UERIN")):
        refused = cmd(mutual, "/intro", text, user=user)
        assert NOT_NOW_INTRO in refused["text"] and "<@UALICE>" not in json.dumps(refused)
    # Asking for the introduction through someone else is the same intro, so not now either.
    assert "I can't pass this request on just now" in cmd(
        mutual, "/intro", "request <@UERIN> <@UCAROL> search", user="UBOB")["text"]
    assert len(slack.dms_to("UCAROL")) == carol_dms and len(slack.dms_to("UERIN")) == 0
    mutual.clock.set(LAPSED + 31 * DAY)
    assert "I've asked <@UCAROL> and <@UBOB>" in cmd(mutual, "/intro", "<@UCAROL> <@UBOB> search",
                                                     user="UERIN")["text"]


def test_the_same_request_to_the_same_connector_waits_too(mutual, slack, db, jobs):
    cmd(mutual, "/intro", "request <@UBOB> <@UCAROL> pricing")
    jobs(LAPSED)  # unanswered: it lapsed
    mutual.clock.set(LAPSED + DAY)
    assert "I can't pass this request on just now" in cmd(
        mutual, "/intro", "request <@UBOB> <@UCAROL> pricing, again")["text"]
    assert len(slack.dms_to("UBOB")) == 1
    # Another connector is another request.
    assert "I've asked <@UERIN>" in cmd(mutual, "/intro", "request <@UERIN> <@UCAROL> pricing")["text"]


def test_a_second_claim_to_the_same_person(mutual, slack, db, jobs):
    cmd(mutual, "/helped", "<@UBOB> reviewed your PR")
    [claim] = records(db)
    press(mutual, ids.CLAIM_DECLINE, str(claim.id), "UBOB", landed(db, f"claim:{claim.id}"))
    # Still open as far as Alice knows: a duplicate is refused in those words.
    again = cmd(mutual, "/helped", "<@UBOB> reviewed your PR")
    assert "You've already asked <@UBOB> to confirm something you did for them" in again["text"]
    assert len(slack.dms_to("UBOB")) == 1 and len(records(db)) == 1
    jobs(START + 14 * DAY + timedelta(hours=1))  # the claim lapses, quietly
    assert slack.dms_to("UALICE") == []
    mutual.clock.set(START + 20 * DAY)
    later = cmd(mutual, "/helped", "<@UBOB> paired on the migration")
    assert "I can't ask <@UBOB> to confirm another one just now" in later["text"]
    assert "declin" not in json.dumps(later).lower() and len(slack.dms_to("UBOB")) == 1
    mutual.clock.set(START + 45 * DAY)
    assert "I've asked <@UBOB> to confirm" in cmd(mutual, "/helped", "<@UBOB> paired again")["text"]


# -- later questions: at most once a day, in one DM -----------------------------------------

def test_six_questions_due_together_arrive_as_one_dm(mutual, slack, db, jobs):
    for helper in ("UBOB", "UCAROL", "UERIN"):
        cmd(mutual, "/thanks", f"<@{helper}> for the review of {helper}'s part")
        cmd(mutual, "/thanks", f"<@{helper}> for the deploy of {helper}'s part")
    jobs(START + 14 * DAY)  # all six due: one questions DM, an hour on
    jobs(START + 14 * DAY + GATHER)
    questions = [m for m in slack.dms_to("UALICE") if ids.FOLLOWUP_WORKED in json.dumps(m)]
    assert len(questions) == 1
    [dm] = questions
    assert dm["text"].startswith("A few questions from Mutual")
    assert json.dumps(dm).count(ids.FOLLOWUP_WORKED) == 6
    block_ids = [b.get("block_id") for b in dm["blocks"] if b.get("block_id")]
    assert len(block_ids) == len(set(block_ids)) == 12  # each question its own buttons and box
    # A question due a few hours later waits until a day after this one.
    mutual.clock.set(START + timedelta(hours=4))
    cmd(mutual, "/thanks", "<@UBOB> for the retro")
    jobs(START + 14 * DAY + timedelta(hours=4, minutes=1))
    jobs(START + 14 * DAY + timedelta(hours=6))
    assert len([m for m in slack.dms_to("UALICE") if ids.FOLLOWUP_WORKED in json.dumps(m)]) == 1
    jobs(START + 15 * DAY + GATHER + timedelta(minutes=1))
    assert len([m for m in slack.dms_to("UALICE") if ids.FOLLOWUP_WORKED in json.dumps(m)]) == 2


def test_answering_one_question_keeps_the_others_in_the_dm(mutual, slack, db, jobs):
    cmd(mutual, "/thanks", "<@UBOB> for the review")
    cmd(mutual, "/thanks", "<@UCAROL> for the deploy")
    jobs(START + 14 * DAY)
    jobs(START + 14 * DAY + GATHER)
    [dm] = [m for m in slack.dms_to("UALICE") if ids.FOLLOWUP_WORKED in json.dumps(m)]
    first = [b for b in dm["blocks"] if b["type"] == "actions"][0]
    record = first["elements"][0]["value"]
    from bot.db.models import OutboxItem

    with db.session() as s:
        row = s.scalars(select(OutboxItem).where(OutboxItem.kind == "questions")).one()
        where = (row.sent_channel, row.sent_ts)
    reply = mutual.post(p.typed_action(ids.FOLLOWUP_WORKED, record, {}, channel=where[0],
                                       message_ts=where[1], block_id=first["block_id"]))
    assert reply.status == 200
    mutual.settle()
    [update] = [u for u in slack.calls_to("chat.update") if (u["channel"], u["ts"]) == where]
    shown = json.dumps(update)
    assert "You told <@UBOB> it worked" in shown  # the answered one, closed
    assert shown.count(ids.FOLLOWUP_WORKED) == 1  # the other one, still asking

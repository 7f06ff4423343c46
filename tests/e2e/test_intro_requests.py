"""`/intro request @connector @target <why>` end to end, and the intro modal it opens."""

import json

from sqlalchemy import select

from bot import constants as ids
from bot.db.models import Intro, IntroRequest
from tests.support import payloads as p
from tests.support.db_read import landed


def rows(db, model):
    with db.session() as s:
        return list(s.scalars(select(model).order_by(model.id)))


def buttons(msg):
    return [e for b in msg.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def ask(mutual, text="<@UBOB> <@UCAROL> I'd love advice on pricing", user="UALICE"):
    reply = mutual.post(p.command("/intro", "request " + text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def press(mutual, slack, action_id, value, user="UBOB", ts="1700000001.000100"):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=user, message_ts=ts,
                                       response_url=slack.response_url()))
    assert reply.status == 200, reply.body
    mutual.settle()


def modal_values(a, b, reason):
    return {
        ids.INTRO_A_BLOCK: {ids.INTRO_A_INPUT: {"type": "users_select", "selected_user": a}},
        ids.INTRO_B_BLOCK: {ids.INTRO_B_INPUT: {"type": "users_select", "selected_user": b}},
        ids.INTRO_REASON_BLOCK: {ids.INTRO_REASON_INPUT: {"type": "plain_text_input", "value": reason}},
    }


def submit(mutual, a, b, reason, user="UBOB", meta=""):
    reply = mutual.post(p.view_submission(ids.INTRO_MODAL, modal_values(a, b, reason), user=user,
                                          private_metadata=meta))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def test_request_made_through_the_prefilled_modal(mutual, slack, db):
    receipt = ask(mutual)
    assert receipt["response_type"] == "ephemeral" and "asked <@UBOB>" in receipt["text"]
    [dm] = slack.dms_to("UBOB")
    assert "<@UALICE> would like you to introduce them to <@UCAROL>" in dm["text"]
    assert "advice on pricing" in dm["text"]
    assert [b["action_id"] for b in buttons(dm)] == ["intro_request_make", "intro_request_decline"]
    assert slack.dms_to("UCAROL") == [], "the target hears nothing until the intro is made"
    [req] = rows(db, IntroRequest)
    assert (req.status, req.requester_id, req.connector_id, req.target_id) == ("pending", "UALICE", "UBOB", "UCAROL")
    req_dm = landed(db, f"intro_request:{req.id}")
    assert req_dm[0] == "UBOB" and req_dm[1]

    press(mutual, slack, "intro_request_make", buttons(dm)[0]["value"], ts=req_dm[1])
    [opened] = slack.calls_to("views.open")
    modal = opened["view"] if isinstance(opened["view"], dict) else json.loads(opened["view"])
    assert modal["callback_id"] == ids.INTRO_MODAL
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert blocks[ids.INTRO_A_BLOCK]["element"]["initial_user"] == "UALICE"
    assert blocks[ids.INTRO_B_BLOCK]["element"]["initial_user"] == "UCAROL"
    assert blocks[ids.INTRO_REASON_BLOCK]["element"]["initial_value"] == "I'd love advice on pricing"
    assert rows(db, IntroRequest)[0].status == "pending", "opening the modal decides nothing"

    done = submit(mutual, "UALICE", "UCAROL", "Alice is pricing our API; Carol did it at Acme",
                  meta=modal["private_metadata"])
    assert done["response_action"] == "update"
    [intro] = rows(db, Intro)
    assert (intro.introducer_id, intro.a_id, intro.b_id, intro.status) == ("UBOB", "UALICE", "UCAROL", "proposed")
    [req] = rows(db, IntroRequest)
    assert (req.status, req.intro_id, intro.request_id) == ("made", intro.id, req.id)
    to_alice = [m for m in slack.dms_to("UALICE") if buttons(m)]
    assert to_alice and "as you asked" in to_alice[0]["blocks"][0]["text"]["text"]
    [to_carol] = slack.dms_to("UCAROL")
    assert "<@UBOB> would like to introduce you to <@UALICE>" in to_carol["text"]
    request_dm = [u for u in slack.calls_to("chat.update") if u["ts"] == req_dm[1]][-1]
    assert "You made the introduction" in request_dm["text"] and buttons(request_dm) == []

    # The stale button, or the same modal submitted again, changes nothing.
    press(mutual, slack, "intro_request_make", str(req.id), ts=req_dm[1])
    assert len(slack.calls_to("views.open")) == 1
    again = submit(mutual, "UALICE", "UCAROL", "again", meta=modal["private_metadata"])
    assert again["response_action"] == "errors"
    assert len(rows(db, Intro)) == 1


def test_a_not_now_to_a_request_is_told_to_nobody_at_the_time(mutual, slack, db):
    ask(mutual)
    [dm] = slack.dms_to("UBOB")
    [req] = rows(db, IntroRequest)
    req_dm = landed(db, f"intro_request:{req.id}")
    press(mutual, slack, "intro_request_decline", buttons(dm)[1]["value"], ts=req_dm[1])
    [declined] = rows(db, IntroRequest)
    assert declined.status == "pending" and declined.declined_at is not None
    assert slack.dms_to("UALICE") == [] and slack.dms_to("UCAROL") == []
    [update] = slack.calls_to("chat.update")
    assert update["ts"] == req_dm[1] and buttons(update) == []
    assert "will only hear, later, that it didn't happen this time" in update["text"]
    press(mutual, slack, "intro_request_decline", str(req.id), ts=req_dm[1])
    press(mutual, slack, "intro_request_make", str(req.id), ts=req_dm[1])
    assert slack.dms_to("UALICE") == [] and slack.calls_to("views.open") == []


def test_only_the_connector_can_answer(mutual, slack, db):
    ask(mutual)
    [req] = rows(db, IntroRequest)
    press(mutual, slack, "intro_request_decline", str(req.id), user="UCAROL")
    press(mutual, slack, "intro_request_make", str(req.id), user="UERIN")
    assert len(slack.calls_to("response_url")) == 2
    assert rows(db, IntroRequest)[0].status == "pending"
    assert slack.calls_to("views.open") == [] and slack.dms_to("UALICE") == []


def test_the_same_request_twice_is_refused(mutual, slack, db):
    ask(mutual)
    again = ask(mutual, "<@UBOB> <@UCAROL> still keen")
    assert "already asked <@UBOB>" in again["text"]
    assert len(rows(db, IntroRequest)) == 1 and len(slack.dms_to("UBOB")) == 1


def test_the_modal_on_its_own_works_like_intro(mutual, slack, db):
    done = submit(mutual, "UBOB", "UCAROL", "search folks", user="UALICE")
    assert done["response_action"] == "update"
    [intro] = rows(db, Intro)
    assert (intro.introducer_id, intro.request_id) == ("UALICE", None)
    assert len(slack.dms_to("UBOB")) == 1 and len(slack.dms_to("UCAROL")) == 1


def test_the_modal_refuses_bad_choices_under_the_right_field(mutual, slack, db):
    cases = [
        (("UALICE", "UCAROL", "why"), ids.INTRO_A_BLOCK, "can't introduce yourself"),
        (("UBOB", "UBOB", "why"), ids.INTRO_B_BLOCK, "same person"),
        (("UBOB", "UROBOT", "why"), ids.INTRO_B_BLOCK, "bot"),
        (("UDAVE", "UCAROL", "why"), ids.INTRO_A_BLOCK, "no longer active"),
        (("UBOB", "UFOREIGN", "why"), ids.INTRO_B_BLOCK, "another workspace"),
        (("UBOB", "UCAROL", "  "), ids.INTRO_REASON_BLOCK, "why they should meet"),
        (("UBOB", None, "why"), ids.INTRO_B_BLOCK, "two people"),
    ]
    for (a, b, reason), block, words in cases:
        reply = submit(mutual, a, b, reason, user="UALICE")
        assert reply["response_action"] == "errors", (a, b, reason)
        assert words in reply["errors"][block], (reply, words)
        assert "<@" not in reply["errors"][block]
    assert rows(db, Intro) == [] and slack.calls_to("chat.postMessage") == []

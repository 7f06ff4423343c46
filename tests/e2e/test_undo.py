"""`thanks_undo` over HTTP: a thank-you taken back within 15 minutes stops counting and the
helper's DM is emptied (or never sent); later, the button answers kindly that it stays."""

import json
from datetime import timedelta

from sqlalchemy import select

from bot import constants as ids
from bot.db.models import OutboxItem
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message, assert_valid_view
from tests.support.db_read import exported, landed, records

MESSAGE = {"type": "message", "user": "UBOB", "ts": "1700000100.000200", "text": "Try this"}


def thanks(mutual, slack, text="<@UBOB> for the review", user="UALICE"):
    reply = mutual.post(p.command("/thanks", text, user=user,
                                  response_url=slack.response_url("cmd")))
    assert reply.status == 200, reply.body
    return reply.json()


def undo_value(receipt):
    [button] = [e for b in receipt["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == ids.THANKS_UNDO]
    return button["value"]


def press_undo(mutual, slack, value, user="UALICE"):
    reply = mutual.post(p.block_action(ids.THANKS_UNDO, value, user=user, channel="CGENERAL",
                                       container_type="ephemeral",
                                       response_url=slack.response_url("undo")))
    assert reply.status == 200, reply.body
    mutual.settle()
    return slack.calls_to("response_url")[-1]


def me(mutual, user="UALICE"):
    return mutual.post(p.command("/mutual", "me", user=user)).json()["text"]


def test_taken_back_within_fifteen_minutes(mutual, slack, db, clock):
    mutual.open_home("UALICE", "UBOB", "UCAROL")
    receipt = thanks(mutual, slack, "<@UBOB> <@UCAROL> for the <!channel> review")
    mutual.settle()
    assert_valid_message(receipt)
    assert "take it back for 15 minutes" in json.dumps(receipt)
    bob_dm = landed(db, f"thanked:{records(db)[0].id}")
    assert "were helped 2 times" in me(mutual)

    clock.set(START + timedelta(minutes=14, seconds=59))
    homes_before = len(slack.calls_to("views.publish"))
    told = press_undo(mutual, slack, undo_value(receipt))
    assert told["replace_original"] in (True, "true")
    assert "Taken back" in told["text"] and "<@UBOB> and <@UCAROL>" in told["text"]
    assert [r.status for r in records(db)] == ["retracted", "retracted"]
    assert "nothing recorded yet" in me(mutual)

    # Each helper's DM is gone: no name, no note, no "taken back" — not even an empty one.
    deleted = {(d["channel"], d["ts"]) for d in slack.calls_to("chat.delete")}
    assert deleted == {bob_dm, landed(db, f"thanked:{records(db)[1].id}")}
    assert slack.calls_to("chat.update") == []
    # Their Homes show it no longer.
    published = {c["user_id"] for c in slack.calls_to("views.publish")[homes_before:]}
    assert published == {"UALICE", "UBOB", "UCAROL"}
    assert [r["status"] for r in exported(db)["records"]] == ["retracted"] * 2

    # Pressing again changes nothing more.
    again = press_undo(mutual, slack, undo_value(receipt))
    assert "Taken back" in again["text"]
    assert len(slack.calls_to("chat.delete")) == 2


def test_a_dm_not_sent_yet_is_simply_never_sent(mutual, slack, db):
    with mutual.delivery_paused():
        receipt = thanks(mutual, slack)
        mutual.post(p.block_action(ids.THANKS_UNDO, undo_value(receipt), channel="CGENERAL",
                                   container_type="ephemeral",
                                   response_url=slack.response_url("undo")), settle=False)
    mutual.settle()
    assert slack.dms_to("UBOB") == [] and slack.calls_to("chat.delete") == []
    with db.session() as s:
        [dm] = s.scalars(select(OutboxItem).where(OutboxItem.key.startswith("thanked:"))).all()
        assert dm.status == "cancelled"
    assert records(db)[0].status == "retracted"
    assert "Taken back" in slack.calls_to("response_url")[-1]["text"]


def test_after_fifteen_minutes_it_stays_and_the_button_says_so_kindly(mutual, slack, db, clock):
    receipt = thanks(mutual, slack)
    mutual.settle()
    clock.set(START + timedelta(minutes=15, seconds=1))
    told = press_undo(mutual, slack, undo_value(receipt))
    assert told["replace_original"] in (False, "false")
    assert "more than 15 minutes" in told["text"] and "/mutual with @them" in told["text"]
    assert records(db)[0].status == "confirmed"
    assert slack.calls_to("chat.update") == []
    assert len(slack.dms_to("UBOB")) == 1


def test_only_the_person_who_thanked_can_take_it_back(mutual, slack, db):
    receipt = thanks(mutual, slack)
    mutual.settle()
    told = press_undo(mutual, slack, undo_value(receipt), user="UBOB")
    assert "Only the person who said thanks" in told["text"]
    assert records(db)[0].status == "confirmed" and slack.calls_to("chat.update") == []


def test_a_shared_thank_you_stays(mutual, slack, db):
    receipt = thanks(mutual, slack)
    value = undo_value(receipt)
    mutual.post(p.block_action(ids.THANKS_SHARE, value, channel="CGENERAL",
                               container_type="ephemeral", response_url=slack.response_url("s")))
    mutual.settle()
    told = press_undo(mutual, slack, value)
    assert "shared in the channel" in told["text"]
    assert records(db)[0].status == "confirmed"


def open_modal_and_submit(mutual, slack, submission):
    reply = mutual.post(submission)
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()["view"]


def test_the_shortcuts_closing_views_offer_it_too(mutual, slack, db, clock):
    done = open_modal_and_submit(mutual, slack, p.view_submission(
        ids.THANK_SOMEONE, {"people_block": {"people_input": {
            "type": "multi_users_select", "selected_users": ["UBOB"]}},
            "note_block": {"note_input": {"type": "plain_text_input", "value": "the offsite"}}}))
    assert_valid_view(done)
    [button] = [e for b in done["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == ids.THANKS_UNDO
    reply = mutual.post(p.modal_action(ids.THANKS_UNDO, button["value"], view_id="VDONE"))
    assert reply.status == 200
    mutual.settle()
    [update] = slack.calls_to("views.update")
    assert update["view_id"] == "VDONE" and "Taken back" in json.dumps(update["view"])
    assert_valid_view(update["view"])
    assert records(db)[0].status == "retracted"
    assert len(slack.calls_to("chat.delete")) == 1

    # "This helped me": the same, and too late after 15 minutes.
    meta = json.dumps({"channel": "CGENERAL", "ts": MESSAGE["ts"], "author": "UCAROL"})
    done = open_modal_and_submit(mutual, slack, p.view_submission(
        ids.RECORD_HELP, {"note_block": {"note_input": {"type": "plain_text_input",
                                                        "value": "unblocked my deploy"}}},
        private_metadata=meta))
    [button] = [e for b in done["blocks"] if b["type"] == "actions" for e in b["elements"]]
    clock.set(START + timedelta(minutes=16))
    mutual.post(p.modal_action(ids.THANKS_UNDO, button["value"], view_id="VHELPED"))
    mutual.settle()
    update = slack.calls_to("views.update")[-1]
    assert update["view_id"] == "VHELPED" and "more than 15 minutes" in json.dumps(update["view"])
    assert [(r.helper_id, r.status) for r in records(db)] == [("UBOB", "retracted"),
                                                              ("UCAROL", "confirmed")]

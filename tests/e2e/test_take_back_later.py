"""Putting a mistake right (issue 19 part 5): after the 15-minute undo, the person who thanked
can still take a thank-you back from `/mutual with @x` or the Home, behind a confirm dialog.
The helper's counts change; their DM is left alone (not edited, no new message)."""

import json
from datetime import timedelta

from bot import constants as ids
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.db_read import records


def with_bob(mutual, user="UALICE", other="UBOB"):
    reply = mutual.post(p.command("/mutual", f"with <@{other}>", user=user))
    assert reply.status == 200
    return reply.json()


def take_back_buttons(blocks):
    return [b["accessory"] for b in blocks
            if (b.get("accessory") or {}).get("action_id") == ids.THANKS_TAKE_BACK]


def press(mutual, slack, value, user="UALICE", container_type="ephemeral"):
    reply = mutual.post(p.block_action(ids.THANKS_TAKE_BACK, value, user=user, channel="CGENERAL",
                                       container_type=container_type,
                                       response_url=slack.response_url("later")))
    assert reply.status == 200, reply.body
    mutual.settle()


def test_taken_back_from_mutual_with_after_the_undo(mutual, slack, db, clock):
    assert mutual.post(p.command("/thanks", "<@UBOB> for the review")).status == 200
    mutual.settle()
    clock.set(START + timedelta(days=2))
    shown = with_bob(mutual)
    assert_valid_message(shown)
    [button] = take_back_buttons(shown["blocks"])
    assert button["confirm"]["title"]["text"] == "Take this thank-you back?"
    assert "won't be told" in button["confirm"]["text"]["text"]
    dm_calls = len(slack.calls_to("chat.postMessage"))

    press(mutual, slack, button["value"])
    assert [r.status for r in records(db)] == ["retracted"]
    told = slack.calls_to("response_url")[-1]
    assert "Taken back" in told["text"] and "weren't told" in told["text"]
    # Bob's DM is left alone: no edit, no delete, no new message.
    assert slack.calls_to("chat.update") == [] and slack.calls_to("chat.delete") == []
    assert len(slack.calls_to("chat.postMessage")) == dm_calls
    # The counts changed for both of them.
    assert "No help recorded between you and <@UBOB>" in with_bob(mutual)["text"]
    assert "No help recorded" in with_bob(mutual, user="UBOB", other="UALICE")["text"]


def test_only_thank_yous_you_gave_can_be_taken_back(mutual, slack, db, clock):
    assert mutual.post(p.command("/thanks", "<@UBOB> for the review")).status == 200
    assert mutual.post(p.command("/thanks", "<@UALICE> for the lunch", user="UBOB")).status == 200
    mutual.settle()
    clock.set(START + timedelta(days=1))
    [mine] = take_back_buttons(with_bob(mutual)["blocks"])
    press(mutual, slack, mine["value"], user="UBOB")  # not Bob's to take back
    assert "Only the person who said thanks" in slack.calls_to("response_url")[-1]["text"]
    assert {r.status for r in records(db)} == {"confirmed"}


def test_the_home_lists_recent_thank_yous_with_take_back(mutual, slack, db, clock):
    assert mutual.post(p.command("/thanks", "<@UBOB> for the review")).status == 200
    mutual.settle()
    clock.set(START + timedelta(days=1))
    mutual.open_home("UALICE")
    mutual.settle()
    view = slack.calls_to("views.publish")[-1]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    [button] = take_back_buttons(view["blocks"])
    press(mutual, slack, button["value"], container_type="view")
    assert [r.status for r in records(db)] == ["retracted"]
    view = slack.calls_to("views.publish")[-1]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert take_back_buttons(view["blocks"]) == [], "the Home no longer offers it"

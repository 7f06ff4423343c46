"""Your open things in one place (issue 19 part 4): `/mutual me` and the Home show the claims
you made that wait for the other person, your open asks, your offers and your "ask me about"
list, each with its action, a few of each with "and N more"."""

from __future__ import annotations

import json

from bot import constants as ids
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.db_read import records


def cmd(mutual, name, text, user="UALICE"):
    reply = mutual.post(p.command(name, text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def me(mutual, user="UALICE"):
    shown = cmd(mutual, "/mutual", "me", user=user)
    assert_valid_message(shown)
    return shown


def action_ids(blocks):
    found = []
    for b in blocks:
        found += [e["action_id"] for e in b.get("elements", []) if "action_id" in e]
        if "accessory" in b:
            found.append(b["accessory"]["action_id"])
    return found


def test_me_shows_every_open_thing_with_its_action(mutual, slack, db):
    cmd(mutual, "/helped", "<@UBOB> set up the board")
    cmd(mutual, "/ask", "How do I rotate the staging DB password?")
    cmd(mutual, "/offer", "SQL migrations")
    cmd(mutual, "/ask", "Anyone free to pair on the billing export?", user="UCAROL")
    [post] = [c for c in slack.calls_to("chat.postMessage") if "billing export" in c["text"]]
    shown = me(mutual)
    said = json.dumps(shown)
    assert "Your open things" in said
    assert "You asked <@UBOB> to confirm you helped them" in said
    assert "How do I rotate the staging DB password?" in said and "SQL migrations" in said
    found = action_ids(shown["blocks"])
    for action in (ids.CLAIM_WITHDRAW, ids.ASK_SOLVED, ids.ASK_WITHDRAW, ids.OFFER_REMOVE):
        assert action in found
    assert "billing export" not in said, "only what you started"
    assert post


def test_nothing_open_adds_nothing(mutual, slack, db):
    assert "Your open things" not in json.dumps(me(mutual))


def test_withdrawing_a_claim_closes_it_for_the_other_person(mutual, slack, db):
    cmd(mutual, "/helped", "<@UBOB> set up the board")
    [button] = [b["accessory"] for b in me(mutual)["blocks"]
                if (b.get("accessory") or {}).get("action_id") == ids.CLAIM_WITHDRAW]
    reply = mutual.post(p.block_action(ids.CLAIM_WITHDRAW, button["value"], channel="CGENERAL",
                                       container_type="ephemeral",
                                       response_url=slack.response_url("w")))
    assert reply.status == 200
    mutual.settle()
    assert [r.status for r in records(db)] == ["withdrawn"]
    assert "Withdrawn" in slack.calls_to("response_url")[-1]["text"]
    [update] = slack.calls_to("chat.update")
    assert "withdrew this request" in update["text"] and "actions" not in json.dumps(update)
    assert "Your open things" not in json.dumps(me(mutual))


def test_a_declined_claim_still_looks_open_to_the_one_who_made_it(mutual, slack, db):
    """A "not really" is told to nobody: until it lapses it waits, and withdrawing it reads
    the same as withdrawing one nobody answered."""
    cmd(mutual, "/helped", "<@UBOB> set up the board")
    [claim] = records(db)
    mutual.post(p.block_action(ids.CLAIM_DECLINE, str(claim.id), user="UBOB"))
    mutual.settle()
    shown = me(mutual)
    [button] = [b["accessory"] for b in shown["blocks"]
                if (b.get("accessory") or {}).get("action_id") == ids.CLAIM_WITHDRAW]
    updates = len(slack.calls_to("chat.update"))
    mutual.post(p.block_action(ids.CLAIM_WITHDRAW, button["value"], channel="CGENERAL",
                               container_type="ephemeral", response_url=slack.response_url("w")))
    mutual.settle()
    assert "Withdrawn" in slack.calls_to("response_url")[-1]["text"]
    assert len(slack.calls_to("chat.update")) == updates, "Bob's answer stays as he left it"


def test_bounded_with_and_n_more(mutual, slack, db):
    for n in range(5):
        cmd(mutual, "/ask", f"Question number {n}")
    shown = me(mutual)
    said = json.dumps(shown)
    assert "and 2 more" in said and "/mutual asks" in said


def test_the_home_shows_them_too(mutual, slack, db):
    cmd(mutual, "/offer", "SQL migrations")
    mutual.open_home("UALICE")
    mutual.settle()
    view = slack.calls_to("views.publish")[-1]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "Your open things" in json.dumps(view)
    assert ids.OFFER_REMOVE in action_ids(view["blocks"])

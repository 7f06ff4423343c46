"""`/offer`: a private "ask me about" list of up to five, removable, shown to a colleague in
`/mutual with`, and used (privately) to suggest people to someone asking."""

from __future__ import annotations

from bot import constants as ids
from bot.db.models import AskMeAbout
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.nudging import text_of


def offer(mutual, text, user="UBOB"):
    reply = mutual.post(p.command("/offer", text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def entries(db, user="UBOB"):
    with db.session() as s:
        return [a.text for a in s.query(AskMeAbout).filter(AskMeAbout.user_id == user)
                .order_by(AskMeAbout.id)]


def remove_buttons(reply):
    return [b["accessory"]["value"] for b in reply["blocks"]
            if b.get("accessory", {}).get("action_id") == ids.OFFER_REMOVE]


def test_up_to_five_then_a_kind_refusal_naming_the_limit(mutual, slack, db):
    for n, topic in enumerate(["SQL migrations", "Terraform", "Hiring loops", "Go", "Pricing"], 1):
        reply = offer(mutual, topic)
        assert_valid_message(reply)
        assert reply["response_type"] == "ephemeral" and f"({n} of 5)" in text_of(reply)
    sixth = offer(mutual, "Negotiation")
    assert "5 things on your list" in sixth["text"] and "nothing was added" in sixth["text"]
    assert entries(db) == ["SQL migrations", "Terraform", "Hiring loops", "Go", "Pricing"]
    again = offer(mutual, "sql MIGRATIONS")
    assert "already on your list" in again["text"] and len(entries(db)) == 5
    assert slack.calls_to("chat.postMessage") == [], "nothing is posted anywhere"


def test_offer_alone_lists_yours_and_remove_takes_one_off(mutual, slack, db):
    empty = offer(mutual, "")
    assert "empty" in empty["text"] and remove_buttons(empty) == []
    offer(mutual, "Kubernetes upgrades")
    offer(mutual, "On-call handovers")
    listed = offer(mutual, "  ")
    assert len(remove_buttons(listed)) == 2 and "Kubernetes upgrades" in listed["text"]
    first = remove_buttons(listed)[0]
    reply = mutual.post(p.block_action(ids.OFFER_REMOVE, first, user="UBOB", channel="CGENERAL",
                                       container_type="ephemeral",
                                       response_url=slack.response_url()))
    assert reply.status == 200
    mutual.settle()
    assert entries(db) == ["On-call handovers"]
    [answer] = slack.calls_to("response_url")
    assert answer["replace_original"] is True and "Removed." in answer["text"]
    # Someone else cannot remove Bob's entries.
    mutual.post(p.block_action(ids.OFFER_REMOVE, remove_buttons(listed)[1], user="UCAROL",
                               response_url=slack.response_url()))
    mutual.settle()
    assert entries(db) == ["On-call handovers"]


def test_what_was_typed_is_kept_and_shown_escaped(mutual, db):
    reply = offer(mutual, "&lt;!channel&gt; &amp; &lt;https://evil.test|docs&gt;")
    assert entries(db) == ["<!channel> & <https://evil.test|docs>"]
    shown = text_of(reply)
    assert "<!channel>" not in shown and "<https://evil.test" not in shown
    assert "&lt;!channel&gt;" in reply["text"]
    assert "too long" not in offer(mutual, "x" * 150)["text"].lower()
    assert "That's 151 characters; keep it to 150" in offer(mutual, "y" * 151)["text"]


def test_mutual_with_shows_what_they_can_be_asked_about(mutual, db):
    offer(mutual, "Terraform state surgery")
    reply = mutual.post(p.command("/mutual", "with <@UBOB>", user="UALICE")).json()
    assert_valid_message(reply)
    assert "<@UBOB> is happy to be asked about" in text_of(reply)
    assert "Terraform state surgery" in text_of(reply)
    mutual.post(p.command("/thanks", "<@UBOB> for the review", user="UALICE"))
    mutual.settle()
    reply = mutual.post(p.command("/mutual", "with <@UBOB>", user="UALICE")).json()
    assert "Terraform state surgery" in text_of(reply) and "helped you" in text_of(reply)
    mine = mutual.post(p.command("/mutual", "with <@UALICE>", user="UBOB")).json()
    assert "happy to be asked about" not in text_of(mine), "Alice has no list"

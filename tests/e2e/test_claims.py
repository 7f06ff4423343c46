"""`/helped @a <note>`: pending until @a confirms with a button; expires after 14 days."""

from datetime import timedelta

import pytest

from bot.jobs.claims import expire_stale_claims
from tests.support import payloads as p
from tests.support.db_read import landed, record_count, records


def claim(mutual, slack, text="<@UBOB> reviewed the launch plan", user="UALICE"):
    reply = mutual.post(p.command("/helped", text, user=user))
    assert reply.status == 200
    mutual.settle()
    return reply.json()


def press(mutual, action_id, value, user="UBOB", ts="1700000001.000100", channel="DBOB"):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=channel, message_ts=ts))
    assert reply.status == 200
    return reply


def test_claim_asks_the_receiver_and_counts_once_confirmed(mutual, slack, db):
    receipt = claim(mutual, slack)
    assert "asked <@UBOB> to confirm" in receipt["text"]
    [rec] = records(db)
    assert (rec.helper_id, rec.receiver_id, rec.source, rec.status) == (
        "UALICE", "UBOB", "claim", "pending")
    assert rec.expires_at - rec.created_at == timedelta(days=14)

    [dm] = slack.dms_to("UBOB")
    buttons = dm["blocks"][-1]["elements"]
    assert [b["action_id"] for b in buttons] == ["claim_confirm", "claim_decline"]
    assert "reviewed the launch plan" in dm["text"]

    channel, ts = landed(db, f"claim:{rec.id}")
    press(mutual, "claim_confirm", buttons[0]["value"], channel=channel, ts=ts)
    mutual.settle()
    assert records(db)[0].status == "confirmed"
    [update] = slack.calls_to("chat.update")
    assert (update["channel"], update["ts"]) == (channel, ts) and "confirmed" in update["text"]
    assert "actions" not in str(update["blocks"]), "no buttons left to press twice"
    [told] = slack.dms_to("UALICE")
    assert "<@UBOB> confirmed" in told["text"]


def test_decline_is_private_and_pressing_again_changes_nothing(mutual, slack, db):
    claim(mutual, slack)
    value = slack.dms_to("UBOB")[0]["blocks"][-1]["elements"][0]["value"]
    press(mutual, "claim_decline", value)
    press(mutual, "claim_confirm", value)  # a stale button pressed afterwards
    mutual.settle()
    assert records(db)[0].status == "declined"
    assert slack.dms_to("UALICE") == [], "the claimer is never told of a decline"
    updates = slack.calls_to("chat.update")
    assert all("won't record" in u["text"] for u in updates)


def test_only_the_receiver_can_answer(mutual, slack, db):
    claim(mutual, slack)
    value = slack.dms_to("UBOB")[0]["blocks"][-1]["elements"][0]["value"]
    press(mutual, "claim_confirm", value, user="UALICE")
    press(mutual, "claim_confirm", value, user="UCAROL")
    assert records(db)[0].status == "pending"
    assert slack.calls_to("chat.update") == []


def test_claims_expire_after_14_days(mutual, slack, db, clock):
    claim(mutual, slack)
    value = slack.dms_to("UBOB")[0]["blocks"][-1]["elements"][0]["value"]
    start = clock()
    assert expire_stale_claims(db, start + timedelta(days=14) - timedelta(seconds=1)) == 0
    assert records(db)[0].status == "pending"

    clock.set(start + timedelta(days=14))
    press(mutual, "claim_confirm", value)
    assert records(db)[0].status == "expired", "a confirm after expiry does not count"
    assert "lapsed" in slack.calls_to("chat.update")[0]["text"]


def test_the_expiry_job_marks_old_claims(mutual, slack, db, clock):
    claim(mutual, slack)
    assert expire_stale_claims(db, clock() + timedelta(days=14, minutes=1)) == 1
    assert records(db)[0].status == "expired"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@UBOB>", "Add a few words"),
        ("<@UBOB>    ", "Add a few words"),
        ("reviewed the plan", "Whom did you help?"),
        ("<@UBOB> <@UCAROL> ran the retro", "One person at a time"),
        ("<@UALICE> helped myself", "yourself"),
        ("<@UROBOT> fixed the bot", "is a bot"),
        ("<@UDAVE> handover", "no longer active"),
        ("<@UFOREIGN> shared channel help", "another workspace"),
        ("<@UBOB> " + "z" * 5000, "5,000 characters"),
    ],
)
def test_bad_claims_are_refused_and_nothing_saved(mutual, slack, db, text, expected):
    reply = mutual.post(p.command("/helped", text))
    assert reply.status == 200
    assert expected in reply.json()["text"]
    mutual.settle()
    assert record_count(db) == 0
    assert slack.calls_to("chat.postMessage") == []


def test_helped_modal_creates_a_claim(mutual, slack, db):
    values = {"person_block": {"person_input": {"type": "users_select", "selected_user": "UBOB"}},
              "note_block": {"note_input": {"type": "plain_text_input", "value": "wrote the RFC"}}}
    reply = mutual.post(p.view_submission("helped_submit", values))
    assert reply.status == 200 and reply.json()["response_action"] == "update"
    mutual.settle()
    assert [(r.status, r.note) for r in records(db)] == [("pending", "wrote the RFC")]
    assert slack.dms_to("UBOB")[0]["blocks"][-1]["elements"][0]["action_id"] == "claim_confirm"
    empty = {**values, "note_block": {"note_input": {"type": "plain_text_input", "value": ""}}}
    reply = mutual.post(p.view_submission("helped_submit", empty))
    assert reply.json()["response_action"] == "errors"

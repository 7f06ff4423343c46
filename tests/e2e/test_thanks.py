"""`/thanks` over HTTP: what the invoker and the helpers see, and what is stored."""

import json

import pytest
from sqlalchemy import select

from bot.db.models import Workspace
from tests.support import payloads as p
from tests.support.db_read import record_count, records


def thanks(mutual, text, user="UALICE", **kw):
    reply = mutual.post(p.command("/thanks", text, user=user, **kw))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def test_thanks_one_person_receipt_dm_and_record(mutual, slack, db):
    body = thanks(mutual, "<@UBOB> for the code review")

    assert body["response_type"] == "ephemeral"
    assert "<@UBOB>" in body["text"] and "the code review" in body["text"]
    share = body["blocks"][-1]["elements"][0]
    assert share["action_id"] == "thanks_share"

    dm = slack.dms_to("UBOB")
    assert len(dm) == 1
    assert "<@UALICE> thanked you" in dm[0]["text"] and "the code review" in dm[0]["text"]
    assert dm[0]["blocks"], "DMs carry Block Kit, not just text"

    [rec] = records(db)
    assert (rec.helper_id, rec.receiver_id, rec.source, rec.status, rec.note) == (
        "UBOB", "UALICE", "command", "confirmed", "the code review")
    assert rec.team_id == "T0001" and rec.channel_id == "CGENERAL"


def test_thanks_several_people_and_old_style_mentions(mutual, slack, db):
    body = thanks(mutual, "<@UBOB|bob>, <@UCAROL> and <@UBOB> for pairing on the outage")
    assert "<@UBOB> and <@UCAROL>" in body["text"]
    assert {r.helper_id for r in records(db)} == {"UBOB", "UCAROL"}
    assert all(r.note == "pairing on the outage" for r in records(db))
    assert len(slack.dms_to("UBOB")) == 1 and len(slack.dms_to("UCAROL")) == 1


def test_thanks_without_note_and_without_for(mutual, db):
    thanks(mutual, "<@UBOB>")
    thanks(mutual, "<@UCAROL> the lunch tip")
    assert [r.note for r in records(db)] == ["", "the lunch tip"]


def test_note_mentioning_payload_is_kept_intact(mutual, db):
    """Bolt drops form bodies containing "payload" with no payload= field; we must not."""
    body = thanks(mutual, "<@UBOB> for fixing the payload parser")
    assert "payload parser" in body["text"]
    assert records(db)[0].note == "fixing the payload parser"


def test_escaped_characters_arrive_as_typed_and_render_safely(mutual, slack, db):
    thanks(mutual, "<@UBOB> for &lt;script&gt; &amp; <!channel> review")
    assert records(db)[0].note == "<script> & <!channel> review"
    dm = slack.dms_to("UBOB")[0]
    rendered = json.dumps(dm["blocks"])
    assert "<!channel>" not in rendered, "a note must never ping the channel"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Who would you like to thank?"),
        ("for everything", "Who would you like to thank?"),
        ("@bob for the review", "couldn't tell who @bob is"),
        ("<@UALICE> for being me", "can't record help from yourself"),
        ("<@UROBOT> for the build", "is a bot"),
        ("<@UDAVE> for the handover", "no longer active"),
        ("<@UFOREIGN> for the shared channel", "another workspace"),
        ("<@UNOBODY1> for the ghost", "couldn't find"),
        ("<@UBOB> <@UALICE> for both of us", "can't record help from yourself"),
    ],
)
def test_refusals_are_friendly_ephemeral_and_save_nothing(mutual, slack, db, text, expected):
    reply = mutual.post(p.command("/thanks", text))
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert expected in body["text"]
    assert body["blocks"]
    mutual.settle()
    assert record_count(db) == 0
    assert slack.calls_to("chat.postMessage") == []


def test_a_5000_character_note_is_refused_and_nothing_saved(mutual, slack, db):
    reply = mutual.post(p.command("/thanks", "<@UBOB> for " + "x" * 5000))
    assert reply.status == 200
    assert "5,000 characters" in reply.json()["text"]
    assert record_count(db) == 0


def test_a_500_character_note_is_kept_whole(mutual, db):
    thanks(mutual, "<@UBOB> for " + "y" * 500)
    assert records(db)[0].note == "y" * 500


def test_share_in_channel_posts_publicly_and_retires_the_button(mutual, slack, db):
    body = thanks(mutual, "<@UBOB> for the review", response_url=slack.response_url("cmd"))
    value = body["blocks"][-1]["elements"][0]["value"]

    reply = mutual.post(p.block_action("thanks_share", value, user="UALICE",
                                       response_url=slack.response_url("share"),
                                       container_type="ephemeral"))
    assert reply.status == 200
    posted = slack.wait_for("response_url", 2)
    public, receipt = posted
    assert public["response_type"] == "in_channel"
    assert "<@UALICE> thanked <@UBOB>" in public["text"] and "the review" in public["text"]
    assert receipt["replace_original"] is True and "Shared" in receipt["text"]


def test_only_the_person_who_said_thanks_can_share_it(mutual, slack, db):
    body = thanks(mutual, "<@UBOB> for the review")
    value = body["blocks"][-1]["elements"][0]["value"]
    mutual.post(p.block_action("thanks_share", value, user="UCAROL",
                               response_url=slack.response_url("share")))
    assert slack.calls_to("response_url") == []


def test_a_user_already_known_is_not_looked_up_again(mutual, slack):
    thanks(mutual, "<@UBOB> for one thing")
    thanks(mutual, "<@UBOB> for another")
    assert len(slack.calls_to("users.info")) == 1


def test_another_workspace_is_refused_with_a_bot_token(mutual, slack, db):
    """One bot token serves one workspace (its own, by auth.test): a request signed for
    another team must not open a partition the scheduler would then serve with that token."""
    slack.users["UZED"] = {**slack.users["UBOB"], "id": "UZED", "team_id": "T0002"}
    reply = mutual.post(p.command("/thanks", "<@UZED> for the help", user="UYOU", team="T0002"))
    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert "isn't installed in this workspace" in reply.json()["text"]
    assert records(db) == []
    with db.session() as s:
        assert s.scalars(select(Workspace)).all() == []


def test_thanks_refreshes_both_home_tabs(mutual, slack):
    mutual.open_home("UALICE", "UBOB")
    slack.reset()
    thanks(mutual, "<@UBOB> for the review")
    published = {c["user_id"] for c in slack.calls_to("views.publish")}
    assert published == {"UALICE", "UBOB"}


def test_a_home_tab_nobody_opened_is_not_published(mutual, slack):
    """Mutual renders someone's Home when they open it, and keeps it current from then on;
    a tab nobody has looked at costs nothing."""
    mutual.open_home("UBOB")
    slack.reset()
    thanks(mutual, "<@UBOB> for the review")
    assert [c["user_id"] for c in slack.calls_to("views.publish")] == ["UBOB"]
    mutual.open_home("UALICE")
    [alices] = [c for c in slack.calls_to("views.publish") if c["user_id"] == "UALICE"]
    assert "<@UBOB>" in json.dumps(alices), "rendered from the database when she opens it"


def test_a_burst_of_changes_publishes_each_home_at_most_once_per_burst(mutual, slack):
    mutual.open_home("UALICE", "UBOB")
    slack.reset()
    with mutual.delivery_paused():  # the burst queues up behind a busy deliverer
        for n in range(4):
            assert mutual.post(p.command("/thanks", f"<@UBOB> for thing {n}")).status == 200
    mutual.settle()
    publishes = [c["user_id"] for c in slack.calls_to("views.publish")]
    assert sorted(set(publishes)) == ["UALICE", "UBOB"]
    assert len(publishes) == 2, "queued refreshes of one Home are folded together"

"""`/mutual`, `me`, `with @a` and `summary [post]` over HTTP, as a person sees them."""

import json

from bot.services.recording import record_thanks
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.slack_double import person


def mutual_cmd(mutual, text, user="UALICE", **kw):
    reply = mutual.post(p.command("/mutual", text, user=user, **kw))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def thank(mutual, helpers, user="UALICE", note="the review"):
    reply = mutual.post(p.command("/thanks", f"{helpers} for {note}", user=user))
    assert reply.status == 200, reply.body
    mutual.settle()


def everything(body):
    """Every text a person could read in a message, joined."""
    return json.dumps(body, ensure_ascii=False)


def test_help_is_the_default_and_unknown_subcommands_get_it(mutual):
    for text in ("", "help"):
        body = mutual_cmd(mutual, text)
        assert "/mutual me" in everything(body) and "/mutual forget" in everything(body)
    unknown = mutual_cmd(mutual, "frobnicate")
    assert "I don't know `/mutual frobnicate`" in unknown["text"]


def test_me_shows_counts_relationships_and_suggestions(mutual, slack):
    thank(mutual, "<@UBOB>")  # Bob helped Alice
    thank(mutual, "<@UBOB>", note="the deploy")
    thank(mutual, "<@UALICE>", user="UCAROL")  # Alice helped Carol
    thank(mutual, "<@UERIN>")
    thank(mutual, "<@UALICE>", user="UERIN")  # Alice and Erin: two-way

    body = mutual_cmd(mutual, "me")
    assert body["response_type"] == "ephemeral"
    assert_valid_message(body)
    text = everything(body)
    assert "You helped others *twice*" not in text  # counts are written as "2 times"
    assert "You helped others *2 times* and were helped *3 times*" in text
    assert "*Two-way (1)*" in text and "<@UERIN> — you helped once, they helped once" in text
    assert "<@UBOB> helped you 2 times" in text and "return the favour" in text
    assert "You helped <@UCAROL> once" in text


def test_me_for_someone_new_explains_how_to_start(mutual):
    body = mutual_cmd(mutual, "me", user="UCAROL")
    assert "nothing recorded yet" in body["text"] and "/thanks" in everything(body)


def test_me_with_500_relationships_stays_within_slack_limits(mutual, db):
    with db.session() as s:
        ensure_workspace(s, "T0001", START)
        for i in range(500):
            record_thanks(s, "T0001", "UALICE", [f"U{i:06d}"], "", START)
    body = mutual_cmd(mutual, "me")
    assert_valid_message(body)
    assert "and 485 more" in everything(body)
    assert "were helped *500 times*" in everything(body)


def test_with_shows_the_history_between_two_people(mutual):
    thank(mutual, "<@UBOB>", note="pairing on the outage")
    thank(mutual, "<@UALICE>", user="UBOB", note="the onboarding doc")
    thank(mutual, "<@UCAROL>", note="not about Bob")

    body = mutual_cmd(mutual, "with <@UBOB|bob>")
    assert_valid_message(body)
    text = everything(body)
    assert "you helped them once, they helped you once" in text
    assert "pairing on the outage" in text and "the onboarding doc" in text
    assert "not about Bob" not in text


def test_with_refuses_kindly(mutual):
    assert "Mention one person" in mutual_cmd(mutual, "with")["text"]
    assert "That's you" in mutual_cmd(mutual, "with <@UALICE>")["text"]
    assert "couldn't tell who @bob is" in mutual_cmd(mutual, "with @bob")["text"]
    assert "No help recorded between you and <@UCAROL> yet" in mutual_cmd(mutual, "with <@UCAROL>")["text"]


def five_people_ring(slack, mutual):
    people = ["UALICE", "UBOB", "UCAROL", "UERIN", "UFRAN"]
    slack.users["UFRAN"] = person("UFRAN", "Fran")
    for i, giver in enumerate(people):
        thank(mutual, f"<@{giver}>", user=people[(i + 1) % len(people)])


def test_summary_is_ephemeral_and_keeps_the_privacy_floor(mutual, slack):
    thank(mutual, "<@UBOB>")
    thank(mutual, "<@UCAROL>")
    small = mutual_cmd(mutual, "summary")
    assert small["response_type"] == "ephemeral"
    assert "at least 5 people" in everything(small) and "*2*" not in everything(small)

    five_people_ring(slack, mutual)
    body = mutual_cmd(mutual, "summary")
    assert_valid_message(body)
    assert "*7* times people helped a colleague" in everything(body)
    assert "<@" not in everything(body), "nobody is named"
    assert all(c["channel"].startswith("U") for c in slack.calls_to("chat.postMessage")), \
        "shown to the person only, never posted"


def test_summary_post_is_for_admins_only(mutual, slack):
    five_people_ring(slack, mutual)
    before = len(slack.calls_to("chat.postMessage"))
    refused = mutual_cmd(mutual, "summary post", user="UBOB")
    assert "Only workspace admins" in refused["text"]
    assert len(slack.calls_to("chat.postMessage")) == before
    assert not slack.calls_to("files.getUploadURLExternal")


def test_admin_posts_the_summary_with_its_chart(mutual, slack, db):
    five_people_ring(slack, mutual)
    reply = mutual_cmd(mutual, "summary post", user="UERIN", channel="CTEAM")
    assert "Posting this week's summary in <#CTEAM>" in reply["text"]
    [post] = [c for c in slack.calls_to("chat.postMessage") if c["channel"] == "CTEAM"]
    assert "The week in Mutual" in post["text"]
    [complete] = slack.calls_to("files.completeUploadExternal")
    assert complete["channel_id"] == "CTEAM"
    [upload] = slack.calls_to("upload")
    assert slack.uploads[upload["file_id"]].startswith(b"\x89PNG\r\n\x1a\n")


def test_unknown_summary_word_is_explained(mutual):
    assert "I don't know `/mutual summary yesterday`" in mutual_cmd(mutual, "summary yesterday")["text"]

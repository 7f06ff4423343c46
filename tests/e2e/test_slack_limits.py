"""Slack's limits (issue 18): the Web API double refuses what Slack refuses on every surface,
and Mutual stays within them however many people, records and words there are."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import limits
from bot.blocks.kit import clip, context, section
from bot.services.parsing import PEOPLE_MAX
from tests.support import payloads as p
from tests.support.db_read import record_count

# -- the double refuses what Slack refuses -------------------------------------------------


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Mutual"},
         "blocks": [_section("hi")]}


@pytest.mark.parametrize(("method", "args", "error"), [
    ("chat.postMessage", {"channel": "C1", "text": "t", "blocks": [_section("x")] * 51},
     "invalid_blocks"),
    ("chat.postMessage", {"channel": "C1", "text": "t", "blocks": [_section("x" * 3001)]},
     "invalid_blocks"),
    ("chat.postMessage", {"channel": "C1", "text": "t", "blocks": [_section("x" * 2900)] * 5},
     "msg_blocks_too_long"),
    ("chat.postMessage", {"channel": "C1", "blocks": [_section("no fallback")]}, "no_text"),
    ("chat.update", {"channel": "C1", "ts": "1.2", "text": "t",
                     "blocks": [{"type": "header", "text": {"type": "plain_text",
                                                            "text": "h" * 151}}]},
     "invalid_blocks"),
    ("chat.postEphemeral", {"channel": "C1", "user": "UALICE", "text": "t", "blocks": [
        {"type": "actions", "elements": [{"type": "button", "action_id": "a",
                                          "text": {"type": "plain_text", "text": "b" * 76}}]}]},
     "invalid_blocks"),
    ("chat.postMessage", {"channel": "C1", "text": "t", "blocks": [
        {"type": "actions", "elements": [{"type": "button", "action_id": "a", "value": "v" * 2001,
                                          "text": {"type": "plain_text", "text": "b"}}]}]},
     "invalid_blocks"),
    ("chat.postMessage", {"channel": "C1", "text": "t", "blocks": [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}]},
     "invalid_blocks"),
    ("views.publish", {"user_id": "UALICE", "view": {"type": "home",
                                                     "blocks": [_section("x")] * 101}},
     "invalid_arguments"),
    ("views.open", {"trigger_id": "1.2", "view": {**MODAL, "title": {"type": "plain_text",
                                                                      "text": "t" * 25}}},
     "invalid_arguments"),
    ("views.open", {"trigger_id": "1.2", "view": {**MODAL, "private_metadata": "m" * 3001}},
     "invalid_arguments"),
    ("views.push", {"trigger_id": "1.2", "view": {**MODAL, "callback_id": "c" * 256}},
     "invalid_arguments"),
    ("views.update", {"view_id": "V1", "view": {**MODAL, "blocks": [
        {"type": "input", "label": {"type": "plain_text", "text": "l"},
         "element": {"type": "plain_text_input", "action_id": "a", "max_length": 10,
                     "initial_value": "eleven chars"}}], "submit": {"type": "plain_text",
                                                                   "text": "Save"}}},
     "invalid_arguments"),
    ("views.open", {"trigger_id": "1.2", "view": {**MODAL, "blocks": [
        {"type": "input", "label": {"type": "plain_text", "text": "l"},
         "element": {"type": "static_select", "action_id": "a", "options": [
             {"text": {"type": "plain_text", "text": f"o{n}"}, "value": str(n)}
             for n in range(101)]}}], "submit": {"type": "plain_text", "text": "Save"}}},
     "invalid_arguments"),
])
def test_the_double_refuses_what_slack_refuses(slack, method: str, args: dict[str, Any],
                                               error: str) -> None:
    client = WebClient(token="xoxb-test", base_url=slack.api_url)
    with pytest.raises(SlackApiError) as refused:
        client.api_call(method, json=args)
    assert refused.value.response["error"] == error
    assert slack.refused and slack.refused[-1][0] == method
    slack.refused.clear()  # refused on purpose: the fixture fails any test that leaves one


def test_a_response_url_post_past_the_limits_is_refused(slack) -> None:
    body = json.dumps({"text": "t", "blocks": [_section("x")] * 51}).encode()
    request = urllib.request.Request(slack.response_url(), data=body,
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400
    assert json.loads(refused.value.read())["error"] == "invalid_blocks"
    slack.refused.clear()


def test_what_mutual_writes_passes() -> None:
    from bot.blocks.checks import message_problems
    assert message_problems({"text": "fine", "blocks": [section("x" * 5000)]}) == []
    assert message_problems({"text": "fine", "blocks": [context("&" * 3000)]}) == []


# -- text is cut where a reader loses least ------------------------------------------------


@pytest.mark.parametrize("text", ["a" * 2996 + "&amp;&amp;", "b" * 2997 + "<@UBOB> hi",
                                  "c" * 2990 + "<https://example.com|a link>", "é" * 4000])
def test_text_is_cut_on_a_character_and_escape_boundary(text: str) -> None:
    cut = clip(text, limits.SECTION_TEXT)
    assert len(cut) <= limits.SECTION_TEXT and cut.endswith("…")
    body = cut.removesuffix("…")
    assert text.startswith(body)
    assert not re.search(r"&(?!amp;|lt;|gt;)", body)  # no half escape
    assert body.count("<") == body.count(">")  # no half mention or link


def test_a_long_mutual_with_keeps_its_offers_and_says_how_much_more(mutual, slack, db) -> None:
    for n in range(45):
        mutual.post(p.command("/thanks", f"<@UBOB> for {'&<>' * 160} #{n}", user="UALICE"),
                    settle=False)
    mutual.post(p.command("/offer", "code review & pairing", user="UBOB"))
    reply = mutual.post(p.command("/mutual", "with <@UBOB>", user="UALICE")).json()
    shown = json.dumps(reply["blocks"])
    assert "code review &amp; pairing" in shown  # their offers are never the part cut
    assert "&am…" not in shown and "&a…" not in shown


# -- a cap on people per thank-you ---------------------------------------------------------


def test_thanks_to_more_than_the_cap_is_refused_kindly_and_records_nothing(mutual, slack, db):
    people = " ".join(f"<@U{n:08d}>" for n in range(PEOPLE_MAX + 1))
    reply = mutual.post(p.command("/thanks", f"{people} for the offsite"))
    assert reply.status == 200
    text = reply.json()["text"]
    assert f"{PEOPLE_MAX + 1} people" in text and f"up to {PEOPLE_MAX}" in text
    assert "Nothing was recorded" in text
    assert record_count(db) == 0
    assert slack.calls_to("users.info") == []  # nobody looked up for a refusal


def test_the_thank_modal_past_the_cap_points_at_the_people(mutual, slack, db):
    chosen = [f"U{n:08d}" for n in range(PEOPLE_MAX + 1)]
    reply = mutual.post(p.view_submission("thank_someone", {
        "people_block": {"people_input": {"type": "multi_users_select", "selected_users": chosen}},
        "note_block": {"note_input": {"type": "plain_text_input", "value": "thanks all"}}}))
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert f"up to {PEOPLE_MAX}" in answer["errors"]["people_block"]
    assert record_count(db) == 0


def test_thanks_to_exactly_the_cap_is_recorded_with_buttons_slack_accepts(mutual, slack, db):
    people = [f"U{n:08d}" for n in range(PEOPLE_MAX)]
    for user in people:
        slack.users[user] = {**slack.users["UBOB"], "id": user, "name": user.lower()}
    reply = mutual.post(p.command("/thanks", " ".join(f"<@{u}>" for u in people) + " for it"))
    assert reply.status == 200
    assert record_count(db) == PEOPLE_MAX
    buttons = [e for b in reply.json()["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons and all(len(b.get("value", "")) <= limits.BUTTON_VALUE for b in buttons)

"""The simulated Slack's Web API, called through slack_sdk as Mutual calls it."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.fakeslack import FakeSlack
from bot.sandbox.seed import START, seeded_state
from bot.sandbox.state import BOT_USER_ID


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeSlack]:
    slack = FakeSlack(seeded_state(), lambda: START, tmp_path / "files")
    yield slack
    slack.stop()


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-sandbox", base_url=fake.api_url, timeout=5, retry_handlers=[])


def post_json(url: str, body: dict[str, object]) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return int(response.status)


def test_people(client: WebClient) -> None:
    assert client.auth_test()["user_id"] == BOT_USER_ID
    erin = client.users_info(user="UERIN")["user"]
    assert erin["tz"] == "Asia/Tokyo" and erin["tz_offset"] == 9 * 3600 and erin["is_admin"]
    assert client.users_info(user="UBOB")["user"]["tz_offset"] == -5 * 3600  # EST in November
    assert client.users_info(user="UFRANK")["user"]["deleted"]
    with pytest.raises(SlackApiError, match="user_not_found"):
        client.users_info(user="UNOBODY")
    seen, cursor = [], None
    while True:
        page = client.users_list(limit=3, cursor=cursor)
        seen += [m["name"] for m in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 7 and "deploybot" in seen


def test_messages_to_people_channels_and_group_dms(client: WebClient, fake: FakeSlack) -> None:
    dm = client.chat_postMessage(channel="UBOB", text="hi", metadata={
        "event_type": "mutual_message", "event_payload": {"key": "k1"}})
    assert dm["channel"] == "DBOB"
    assert client.conversations_open(users="UBOB")["channel"]["id"] == "DBOB"
    group = client.conversations_open(users="UBOB,UCAROL,UALICE")["channel"]["id"]
    assert client.conversations_open(users="UCAROL,UALICE,UBOB")["channel"]["id"] == group
    assert group.startswith("G") and fake.state.conversations[group].kind == "mpim"
    with pytest.raises(SlackApiError, match="too_many_users"):
        client.conversations_open(users=",".join(["UBOB"] * 9))
    client.chat_postMessage(channel=group, text="the intro", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}])
    client.chat_postMessage(channel="CGENERAL", text="to everyone")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        client.chat_postMessage(channel="CNOPE", text="x")
    with pytest.raises(SlackApiError, match="cannot_dm_bot"):
        client.chat_postMessage(channel="UDEPLOYBOT", text="x")

    client.chat_postMessage(channel="UBOB", text="second")
    history = client.conversations_history(channel="DBOB", include_all_metadata=True)["messages"]
    assert [m["text"] for m in history] == ["second", "hi"]  # newest first
    assert history[1]["metadata"]["event_payload"]["key"] == "k1"
    plain = client.conversations_history(channel="DBOB")["messages"]
    assert all("metadata" not in m for m in plain)
    with pytest.raises(SlackApiError, match="missing_scope"):
        client.conversations_history(channel="CGENERAL")  # Mutual has no channels:history


def test_update_delete_and_ephemeral(client: WebClient, fake: FakeSlack) -> None:
    sent = client.chat_postMessage(channel="UBOB", text="with buttons")
    client.chat_update(channel=sent["channel"], ts=sent["ts"], text="answered")
    msg = fake.state.message_at(sent["channel"], sent["ts"])
    assert msg is not None and msg.text == "answered" and msg.edited
    client.chat_delete(channel=sent["channel"], ts=sent["ts"])
    assert fake.state.message_at(sent["channel"], sent["ts"]) is None
    with pytest.raises(SlackApiError, match="cant_update_message"):
        client.chat_update(channel="CGENERAL", ts=fake.state.messages[0].ts, text="not mine")
    client.chat_postEphemeral(channel="CGENERAL", user="UALICE", text="just for you")
    assert fake.state.messages[-1].ephemeral_to == "UALICE"
    assert "just for you" not in [m.text for m in fake.state.history("CGENERAL")]
    kinds = [kind for kind, _ in fake.take_changes()]
    assert kinds == ["new", "updated", "deleted", "new"]


def test_views(client: WebClient, fake: FakeSlack) -> None:
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Say thanks"},
             "submit": {"type": "plain_text", "text": "Send"}, "blocks": [
                 {"type": "input", "block_id": "b", "label": {"type": "plain_text", "text": "Who"},
                  "element": {"type": "users_select", "action_id": "a"}}]}
    trigger = fake.new_trigger("UALICE")
    opened = client.views_open(trigger_id=trigger, view=modal)["view"]
    assert fake.state.modals["UALICE"].id == opened["id"]
    with pytest.raises(SlackApiError, match="invalid_trigger_id"):
        client.views_open(trigger_id=trigger, view=modal)  # a trigger is good once
    client.views_update(view_id=opened["id"], view={**modal, "title": {"type": "plain_text", "text": "Done"}})
    assert fake.state.modals["UALICE"].view["title"]["text"] == "Done"
    client.views_push(trigger_id=fake.new_trigger("UALICE"), view=modal)
    assert len(fake.state.modals["UALICE"].stack) == 1
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_open(trigger_id=fake.new_trigger("UALICE"),
                          view={**modal, "title": {"type": "plain_text", "text": "x" * 25}})
    home = {"type": "home", "blocks": []}
    client.views_publish(user_id="UBOB", view=home)
    assert fake.state.homes["UBOB"].view == home


def test_file_upload_v2_saves_the_bytes(client: WebClient, fake: FakeSlack, tmp_path: Path) -> None:
    client.files_upload_v2(channel="CGENERAL", content=b"\x89PNG chart", filename="chart.png",
                           title="The week", initial_comment="Here it is")
    msg = fake.state.messages[-1]
    assert msg.channel == "CGENERAL" and msg.text == "Here it is"
    path = Path(msg.files[0]["path"])
    assert path.parent == tmp_path / "files" and path.read_bytes() == b"\x89PNG chart"
    fake.state.conversations["CRANDOM"].members.remove(BOT_USER_ID)
    with pytest.raises(SlackApiError, match="not_in_channel"):
        client.files_upload_v2(channel="CRANDOM", content=b"x", filename="x.csv", title="x")


def test_response_urls(fake: FakeSlack) -> None:
    url = fake.new_response_url("UALICE", "CGENERAL")
    assert post_json(url, {"text": "only alice"}) == 200
    private = fake.state.messages[-1]
    assert private.ephemeral_to == "UALICE" and private.text == "only alice"
    assert post_json(url, {"text": "for all", "response_type": "in_channel"}) == 200
    assert fake.state.messages[-1].ephemeral_to is None
    pressed = fake.new_response_url("UALICE", "CGENERAL", original=private.number)
    post_json(pressed, {"text": "replaced", "replace_original": True})
    assert private.text == "replaced"
    post_json(pressed, {"delete_original": True})
    assert private.deleted


def test_unknown_methods_answer_ok_and_are_noted(client: WebClient, fake: FakeSlack) -> None:
    assert client.api_call("reactions.add", params={"name": "pray"})["ok"]
    assert "reactions.add" in fake.notes[-1]


def test_fault_injection(client: WebClient, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", "internal_error")
    with pytest.raises(SlackApiError, match="internal_error"):
        client.chat_postMessage(channel="UBOB", text="x")
    fake.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="UBOB", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    client.chat_postMessage(channel="UBOB", text="fine again")

    fake.limit("users.info", calls=2, per_seconds=60)
    client.users_info(user="UBOB")
    client.users_info(user="UBOB")
    with pytest.raises(SlackApiError, match="ratelimited"):
        client.users_info(user="UBOB")

    fake.hang("auth.test", 0.3)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.3
    assert len(fake.wait_for("auth.test", 1)) == 1
    assert len(fake.calls_to("chat.postMessage")) == 3
    fake.reset()
    assert fake.calls_to("chat.postMessage") == []
    client.users_info(user="UBOB")  # the limit went with the reset


def test_down_refuses_connections_and_up_answers_on_the_same_port(client: WebClient, fake: FakeSlack) -> None:
    port = fake.port
    fake.down()
    with pytest.raises(OSError):
        client.auth_test()
    fake.up()
    assert fake.port == port
    assert client.auth_test()["ok"]


def test_time_zone_offsets_follow_daylight_saving(fake: FakeSlack) -> None:
    london = fake.state.people["UALICE"]
    assert london.tz_offset(datetime(2026, 7, 1, tzinfo=UTC)) == 3600
    assert london.tz_offset(START) == 0


def test_what_slack_refuses_is_refused_on_every_surface(client: WebClient, fake: FakeSlack) -> None:
    """The same limits as the test suite's double (bot/blocks/checks.py): a message past 50
    blocks, an update past a section's 3,000 characters, an ephemeral without a fallback, a
    Home tab past 100 blocks, a response_url post past the limits."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}
    before = len(fake.state.messages)
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_postMessage(channel="CGENERAL", text="t", blocks=[section] * 51)
    posted = client.chat_postMessage(channel="CGENERAL", text="t", blocks=[section])
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_update(channel="CGENERAL", ts=posted["ts"], text="t", blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}])
    with pytest.raises(SlackApiError, match="msg_blocks_too_long"):
        client.chat_postMessage(channel="CGENERAL", text="t", blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}] * 5)
    with pytest.raises(SlackApiError, match="no_text"):
        client.chat_postEphemeral(channel="CGENERAL", user="UALICE", blocks=[section])
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_publish(user_id="UBOB", view={"type": "home", "blocks": [section] * 101})
    url = fake.new_response_url("UALICE", "CGENERAL")
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_json(url, {"text": "t", "blocks": [section] * 51})
    assert refused.value.code == 400
    assert [m.text for m in fake.state.messages[before:]] == ["t"]  # only the one Slack took

"""The edge middleware over the real server: typed refusals for each surface, the workspace a
request must come from, replayed trigger_ids, and text cleaned before it is stored."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.db.models import HelpRecord, Member, Workspace
from bot.db.session import Database
from tests.e2e.test_socket_mode import SocketMutual, sock, socket_mutual  # noqa: F401 - fixtures
from tests.support import payloads as p
from tests.support.db_read import landed, record_count, records
from tests.support.live import LiveMutual
from tests.support.slack_double import OTHER_TEAM, SlackDouble

WARNINGS = logging.WARNING


def refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "bot.edge" and r.levelno == WARNINGS]


# -- what the edge cannot read -------------------------------------------------------------
def test_a_reaction_without_a_channel_is_a_quiet_200_naming_the_field(
        mutual: LiveMutual, db: Database, caplog: pytest.LogCaptureFixture) -> None:
    inner = p.reaction("reaction_added", user="UALICE", author="UBOB")
    del inner["item"]["channel"]
    with caplog.at_level(logging.INFO):
        reply = mutual.post_event(p.event(inner))
    assert (reply.status, reply.body) == (200, "")
    assert record_count(db) == 0
    [line] = refusals(caplog)
    assert "event reaction_added" in line and "event.reaction_added.item" in line


@pytest.mark.parametrize("value", ["12345678901234567890", "-1", "0", "7,8", "abc", ""])
def test_a_button_value_that_is_not_a_small_id_is_refused_quietly(
        mutual: LiveMutual, slack: SlackDouble, db: Database, caplog: pytest.LogCaptureFixture,
        value: str) -> None:
    with caplog.at_level(logging.INFO):
        reply = mutual.post(p.block_action("claim_confirm", value))
    assert (reply.status, reply.body) == (200, "")
    [line] = refusals(caplog)
    assert "block_actions claim_confirm: actions.0.value" in line
    assert len(value) < 3 or value not in line, "never the value"
    assert slack.calls_to("chat.update") == []


@pytest.mark.parametrize("offset", ["abc", 10**20, 99999, 1.5, None, [3600]])
def test_a_user_change_with_a_wrong_tz_offset_changes_nothing(mutual: LiveMutual, db: Database,
                                                             offset: object) -> None:
    user = {"id": "UBOB", "team_id": "T0001", "tz_offset": offset, "deleted": True}
    reply = mutual.post_event(p.event({"type": "user_change", "user": user}))
    assert reply.status == 200
    with db.session() as s:
        assert s.scalars(select(Member)).all() == []


def test_a_command_field_named_twice_is_refused_politely(mutual: LiveMutual, db: Database) -> None:
    body = p.command("/thanks", "<@UBOB> for the review") + "&" + urlencode({"text": "<@UCAROL>"})
    reply = mutual.post(body)
    assert reply.status == 200
    assert "couldn't read that request" in reply.json()["text"]
    assert record_count(db) == 0


def test_record_help_metadata_that_mutual_did_not_write_closes_politely(
        mutual: LiveMutual, db: Database) -> None:
    for meta in ("", "{}", "[1]", '{"channel": "CGENERAL", "ts": "1.2", "author": "not a user"}',
                 "x" * 3001):
        reply = mutual.post(p.view_submission("record_help", {}, private_metadata=meta))
        assert reply.status == 200, meta
        assert reply.json()["response_action"] == "update"
        assert "couldn't read" in json.dumps(reply.json()["view"])
    assert record_count(db) == 0


def test_an_unreadable_modal_input_is_pointed_at(mutual: LiveMutual, db: Database) -> None:
    values = {"person_block": {"person_input": {"type": "users_select", "selected_user": "<!channel>"}},
              "note_block": {"note_input": {"type": "plain_text_input", "value": "the launch"}}}
    reply = mutual.post(p.view_submission("helped_submit", values))
    assert reply.status == 200
    assert reply.json() == {"response_action": "errors", "errors": {
        "person_block": "Mutual couldn't read this answer — please check it and try again."}}
    assert record_count(db) == 0


def test_what_mutual_does_not_listen_to_is_a_quiet_200(mutual: LiveMutual, db: Database,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        for body, kind in ((p.event({"type": "pin_added", "user": "UALICE"}), "application/json"),
                           (p.block_action("someone_elses_button", "1"), None),
                           (p.global_shortcut("not_ours"), None)):
            reply = mutual.post(body, content_type=kind) if kind else mutual.post(body)
            assert (reply.status, reply.body) == (200, "")
    assert refusals(caplog) == []


# -- which workspace -----------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    p.event(p.reaction("reaction_added", user="UALICE", author="UBOB"), team=OTHER_TEAM),
    p.event(p.home_opened("UALICE"), team=OTHER_TEAM),
    p.event({"type": "user_change", "user": {"id": "UBOB", "team_id": OTHER_TEAM}}, team=OTHER_TEAM),
    p.block_action("claim_confirm", "1", team=OTHER_TEAM),
    p.global_shortcut("thank_someone", team=OTHER_TEAM),
], ids=["reaction", "home", "user_change", "button", "shortcut"])
def test_another_workspace_gets_a_quiet_200_and_creates_nothing(
        mutual: LiveMutual, slack: SlackDouble, db: Database, body: str) -> None:
    content_type = "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
    reply = mutual.post(body, content_type=content_type)
    assert (reply.status, reply.body) == (200, "")
    mutual.settle()
    with db.session() as s:
        assert s.scalars(select(Workspace)).all() == [] and s.scalars(select(Member)).all() == []
    assert [c.method for c in slack.calls if c.method != "auth.test"] == []


def test_another_enterprise_is_refused(mutual: LiveMutual, db: Database) -> None:
    body = p.command("/thanks", "<@UBOB> for the review").replace("enterprise_id=&", "enterprise_id=E0666&")
    reply = mutual.post(body)
    assert "isn't installed in this workspace" in reply.json()["text"]
    assert record_count(db) == 0


def test_the_installed_workspace_is_learnt_once(mutual: LiveMutual, slack: SlackDouble) -> None:
    for note in ("one", "two", "three"):
        assert mutual.post(p.command("/thanks", f"<@UBOB> for {note}")).status == 200
    assert len(slack.calls_to("auth.test")) == 1, "Bolt's own auth.test at start-up, reused"


# -- replays -------------------------------------------------------------------------------
def test_a_replayed_command_is_acted_on_once(mutual: LiveMutual, slack: SlackDouble,
                                             db: Database) -> None:
    body = p.command("/thanks", "<@UBOB> for the review")
    first, second = mutual.post(body), mutual.post(body)
    assert "<@UBOB>" in first.json()["text"]
    assert second.json()["response_type"] == "ephemeral"
    assert second.json()["text"] == "That was already done."
    mutual.settle()
    assert record_count(db) == 1 and len(slack.dms_to("UBOB")) == 1


def test_a_replayed_button_press_is_acted_on_once(mutual: LiveMutual, slack: SlackDouble,
                                                  db: Database) -> None:
    assert mutual.post(p.command("/helped", "<@UBOB> reviewed the launch plan",
                                 user="UALICE")).status == 200
    [claim] = records(db)
    mutual.settle()
    channel, ts = landed(db, f"claim:{claim.id}")
    press = p.block_action("claim_confirm", str(claim.id), user="UBOB", channel=channel,
                           message_ts=ts)
    assert mutual.post(press).status == 200
    again = mutual.post(press)
    assert (again.status, again.body) == (200, "")
    mutual.settle()
    assert len(slack.calls_to("chat.update")) == 1
    assert records(db)[0].status == "confirmed"


# -- text is data --------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["/thanks", "/helped"])
def test_a_nul_in_a_note_is_saved_without_it(mutual: LiveMutual, db: Database, command: str) -> None:
    """PostgreSQL refuses NUL outright; the note keeps everything else, newlines included."""
    reply = mutual.post(p.command(command, "<@UBOB> for the re\x00view\x07 and\nthe\x1bdemo"))
    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    assert "went wrong" not in reply.json()["text"]
    with db.session() as s:
        [note] = s.scalars(select(HelpRecord.note)).all()
    assert note == "the review and\nthedemo"


def test_a_nul_in_a_modal_note_is_saved_without_it(mutual: LiveMutual, db: Database) -> None:
    values = {"people_block": {"people_input": {"type": "multi_users_select",
                                                "selected_users": ["UBOB"]}},
              "note_block": {"note_input": {"type": "plain_text_input", "value": "pair\x00ing"}}}
    assert mutual.post(p.view_submission("thank_someone", values)).status == 200
    assert [r.note for r in records(db)] == ["pairing"]


def test_a_nul_in_a_changed_profile_is_saved_without_it(mutual: LiveMutual, db: Database) -> None:
    user = {"id": "UBOB", "team_id": "T0001", "real_name": "Bo\x00b", "tz": "Europe/London",
            "profile": {"display_name": "Bob\x00by"}}
    assert mutual.post_event(p.event({"type": "user_change", "user": user})).status == 200
    with db.session() as s:
        assert s.scalars(select(Member.name)).all() == ["Bobby"]


# -- Socket Mode goes through the same edge ------------------------------------------------
def test_socket_mode_refuses_what_it_cannot_read(socket_mutual: SocketMutual,  # noqa: F811
                                                 db: Database) -> None:
    body = p.command("/thanks", "<@UBOB> for the review").replace("user_id=UALICE", "user_id=")
    envelope = socket_mutual.sock.send_command(body)
    reply = socket_mutual.sock.wait_for_ack(envelope)["payload"]
    assert "couldn't read that request" in reply["text"]
    other = socket_mutual.sock.send_command(p.command("/thanks", "<@UBOB> hi", team=OTHER_TEAM))
    assert "isn't installed" in socket_mutual.sock.wait_for_ack(other)["payload"]["text"]
    assert record_count(db) == 0

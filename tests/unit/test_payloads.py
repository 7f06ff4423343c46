"""The typed payload models: every surface Mutual listens to parses from the shapes Slack
sends, exposes what listeners need without dict lookups, and refuses what Mutual relies on
being right, naming the field and never its value."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot import constants as ids
from bot.payloads import (
    Handshake,
    Ignored,
    Unreadable,
    read_payload,
)
from bot.payloads.commands import SlashCommand
from bot.payloads.events import EventCallback, ReactionEvent, TokensRevokedEvent, UserChangeEvent
from bot.payloads.interactive import (
    ACTIONS,
    BlockActions,
    BlockSuggestion,
    GlobalShortcut,
    MessageShortcut,
    ViewClosed,
    ViewSubmission,
)
from bot.payloads.text import clean_text
from tests.support import payloads as p


def form(body: str) -> dict[str, Any]:
    return dict(parse_qsl(body, keep_blank_values=True))


def interactive(body: str) -> dict[str, Any]:
    return json.loads(form(body)["payload"])


def refused(body: dict[str, Any]) -> Unreadable:
    with pytest.raises(Unreadable) as caught:
        read_payload(body)
    return caught.value


# -- parsing each surface ------------------------------------------------------------------
def test_a_slash_command() -> None:
    command = read_payload(form(p.command("/thanks", "<@UBOB> for the review", channel="CGENERAL")))
    assert isinstance(command, SlashCommand)
    assert (command.user_id, command.team_id, command.channel_id, command.text) == (
        "UALICE", "T0001", "CGENERAL", "<@UBOB> for the review")
    assert command.enterprise_id is None and command.trigger_id.startswith("trigger.")


def test_each_event_mutual_listens_to() -> None:
    reaction = read_payload(json.loads(p.event(p.reaction("reaction_removed", "UALICE", None))))
    assert isinstance(reaction, EventCallback) and isinstance(reaction.event, ReactionEvent)
    assert reaction.event.item.message == ("CGENERAL", "1700000000.000100")
    assert reaction.event.item_user is None and reaction.team_id == "T0001"
    revoked = read_payload(json.loads(p.event({"type": "tokens_revoked",
                                                "tokens": {"bot": ["UMUTUAL"]}})))
    assert isinstance(revoked, EventCallback) and isinstance(revoked.event, TokensRevokedEvent)
    assert revoked.event.bot_revoked
    change = read_payload(json.loads(p.event({"type": "user_change", "user": {
        "id": "UBOB", "tz": "Asia/Kolkata", "tz_offset": 19800, "deleted": True}})))
    assert isinstance(change, EventCallback) and isinstance(change.event, UserChangeEvent)
    assert (change.event.user.tz_offset, change.event.user.deleted) == (19800, True)
    for inner in (p.home_opened(), p.mpim_message("UBOB", "GGROUP"), {"type": "app_uninstalled"}):
        assert isinstance(read_payload(json.loads(p.event(inner))), EventCallback)


def test_a_button_press() -> None:
    press = read_payload(interactive(p.block_action(ids.CLAIM_CONFIRM, "42", channel="DBOB")))
    assert isinstance(press, BlockActions)
    assert (press.user_id, press.team_id, press.action.value_int) == ("UALICE", "T0001", 42)
    assert press.where == ("DBOB", "1700000001.000100")
    share = read_payload(interactive(p.block_action(ids.THANKS_SHARE, "3,4")))
    assert isinstance(share, BlockActions) and share.action.value_ids == [3, 4]
    home = read_payload(interactive(p.home_action(ids.HOME_SNOOZE, selected="30")))
    assert isinstance(home, BlockActions) and home.action.days == 30 and home.where is None


def test_ids_as_real_slack_sends_them() -> None:
    """Slack makes up block_ids with base64 characters, and its trigger_ids run long."""
    body = interactive(p.block_action(ids.CLAIM_CONFIRM, "1"))
    body["actions"][0]["block_id"] = "a+B/="
    body["trigger_id"] = "4916855695380.4917139340884.8a8b3d4a7d3ee3d2f1d5e1a21bff07a8"
    press = read_payload(body)
    assert isinstance(press, BlockActions) and press.action.block_id == "a+B/="


def test_modal_submissions_and_their_metadata() -> None:
    meta = json.dumps({"channel": "CGENERAL", "ts": "1700000000.000100", "author": "UBOB"})
    values = {ids.NOTE_BLOCK: {ids.NOTE_INPUT: {"type": "plain_text_input", "value": " thanks\x00 "}}}
    submitted = read_payload(interactive(p.view_submission(ids.RECORD_HELP, values,
                                                           private_metadata=meta)))
    assert isinstance(submitted, ViewSubmission) and submitted.record_help_meta is not None
    assert submitted.record_help_meta.author == "UBOB"
    assert submitted.view.state.value(ids.NOTE_BLOCK, ids.NOTE_INPUT).text == "thanks"
    assert submitted.view.state.value("nope", "nope").selected_user is None
    intro = read_payload(interactive(p.view_submission(ids.INTRO_MODAL, {},
                                                       private_metadata='{"request_id": 7}')))
    assert isinstance(intro, ViewSubmission) and intro.intro_request_id == 7


def test_shortcuts_and_closed_views() -> None:
    message = {"ts": "1700000000.000100", "user": "UBOB", "text": "the fix"}
    shortcut = read_payload(interactive(p.message_shortcut(ids.RECORD_HELP, message)))
    assert isinstance(shortcut, MessageShortcut) and shortcut.message.user == "UBOB"
    assert not shortcut.message.by_an_app and shortcut.channel.id == "CGENERAL"
    assert isinstance(read_payload(interactive(p.global_shortcut(ids.THANK_SOMEONE))), GlobalShortcut)
    closed = interactive(p.view_submission(ids.THANK_SOMEONE, {}))
    closed["type"] = "view_closed"
    ignored = read_payload(closed)
    assert isinstance(ignored, Ignored) and isinstance(ignored.payload, ViewClosed)


def test_handshakes_are_left_to_bolt() -> None:
    assert isinstance(read_payload({"type": "url_verification", "challenge": "x"}), Handshake)
    assert isinstance(read_payload({"ssl_check": "1", "token": "x"}), Handshake)


def test_every_button_mutual_draws_has_a_value_rule() -> None:
    action_ids = {v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)
                  and not k.endswith(("_BLOCK", "_INPUT", "_MODAL", "_SUBMIT"))
                  and not k.startswith("CFG_")
                  and v not in (ids.RECORD_HELP, ids.THANK_SOMEONE, ids.ASK_FOR_HELP)}
    assert action_ids <= set(ACTIONS)


# -- refusals ------------------------------------------------------------------------------
@pytest.mark.parametrize(("body", "field"), [
    (form(p.command("/thanks", "hi", user="")), "user_id"),
    (form(p.command("/thanks", "hi", user="<!channel>")), "user_id"),
    (form(p.command("/thanks", "hi", team="T0001; DROP")), "team_id"),
    (form(p.command("/thanks", "x" * 40_001)), "text"),
    ({**form(p.command("/thanks", "hi")), "trigger_id": "a" * 256}, "trigger_id"),
    ({**form(p.command("/thanks", "hi")), "channel_id": "C1\n"}, "channel_id"),
    (interactive(p.block_action(ids.CLAIM_CONFIRM, "12345678901234567890")), "actions.0.value"),
    (interactive(p.block_action(ids.INTRO_ACCEPT, "2147483648")), "actions.0.value"),
    (interactive(p.block_action(ids.THANKS_SHARE, "1,,2")), "actions.0.value"),
    (interactive(p.block_action(ids.NUDGE_MUTE_PAIR, "<!here>")), "actions.0.value"),
    (interactive(p.block_action(ids.NUDGE_SNOOZE, "366")), "actions.0.value"),
    (interactive(p.home_action(ids.HOME_SNOOZE, selected="0")), "actions.0.selected_option"),
    (interactive(p.block_action(ids.CLAIM_CONFIRM, "1", user="")), "user.id"),
    ({**interactive(p.block_action(ids.THANKS_SHARE, "1")), "response_url": None}, "-"),
    (interactive(p.block_action(ids.CLAIM_CONFIRM, "1", message_ts="yesterday")),
     "container.message_ts"),
    (interactive(p.view_submission(ids.HELPED_MODAL, {}, private_metadata="{}")), "-"),
    (interactive(p.view_submission(ids.INTRO_MODAL, {}, private_metadata='{"request_id": "7"}')),
     "-"),
    (json.loads(p.event({"type": "user_change", "user": {"id": "UBOB", "tz_offset": 50401}})),
     "event.user_change.user.tz_offset"),
    (json.loads(p.event({"type": "reaction_added", "user": "UALICE", "reaction": "pray",
                         "item": {"type": "message", "ts": "1.1"}})), "event.reaction_added.item"),
    (json.loads(p.event({"type": "app_home_opened", "user": 7})), "event.app_home_opened.user"),
    ({**json.loads(p.event(p.home_opened())), "event_id": None}, "event_id"),
    ({**json.loads(p.event(p.home_opened())), "authorizations": "T0001"}, "authorizations"),
    ({**json.loads(p.event(p.home_opened())), "event": "app_home_opened"}, "event.type"),
])
def test_refused_naming_the_field(body: dict[str, Any], field: str) -> None:
    error = refused(body)
    assert error.field == field
    assert "<!" not in str(error) and "DROP" not in str(error)


def test_a_request_slack_never_sends_is_not_slacks() -> None:
    assert refused({}).field == "type"
    assert refused({"type": 7}).field == "type"


def test_what_mutual_does_not_listen_to_is_ignored() -> None:
    assert isinstance(read_payload(json.loads(p.event({"type": "pin_added"}))), Ignored)
    assert isinstance(read_payload(interactive(p.block_action("not_ours", "x"))), Ignored)
    assert isinstance(read_payload({"type": "dialog_suggestion"}), Ignored)
    assert isinstance(read_payload(interactive(p.block_suggestion("not_ours", "x"))), Ignored)
    assert isinstance(read_payload(form(p.command("/other", "hi"))), Ignored)


def test_a_select_asking_for_options_is_read_with_what_was_typed() -> None:
    found = read_payload(interactive(p.block_suggestion("cfg_timezone", "  new\x00 york ")))
    assert isinstance(found, BlockSuggestion)
    assert (found.action_id, found.query, found.user_id, found.team_id) == (
        "cfg_timezone", "new york", "UERIN", "T0001")
    assert refused({"type": "block_suggestion", "action_id": "cfg_timezone",
                    "team": {"id": "T0001"}}).field == "user"


# -- text ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "stored"), [
    ("a\x00b", "ab"), ("tab\there", "tab\there"), ("line\nbreak", "line\nbreak"),
    ("\r\n", "\n"), ("bell\x07", "bell"), ("c1\x85\x9f", "c1"), ("del\x7f", "del"),
    ("lone \ud800 surrogate", "lone  surrogate"), ("émoji 🙏 ok", "émoji 🙏 ok"),
])
def test_clean_text(raw: str, stored: str) -> None:
    assert clean_text(raw) == stored

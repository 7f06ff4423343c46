"""Request bodies as Slack sends them, and their signatures."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from slack_sdk.signature import SignatureVerifier

from tests.support.slack_double import TEAM

SECRET = "test-signing-secret"
_ids = itertools.count(1)


def signed_headers(body: str, secret: str = SECRET, timestamp: int | None = None,
                   content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature,
            "Content-Type": content_type}


def command(name: str, text: str, user: str = "UALICE", team: str = TEAM,
            channel: str = "CGENERAL", response_url: str = "http://127.0.0.1:9/respond") -> str:
    return urlencode({
        "token": "legacy", "team_id": team, "team_domain": "acme", "enterprise_id": "",
        "channel_id": channel, "channel_name": "general", "user_id": user,
        "user_name": user.lower(), "command": name, "text": text, "api_app_id": "A0001",
        "is_enterprise_install": "false", "response_url": response_url,
        "trigger_id": f"trigger.{next(_ids)}",
    })


def event(inner: dict[str, Any], team: str = TEAM, event_id: str | None = None) -> str:
    return json.dumps({
        "token": "legacy", "team_id": team, "api_app_id": "A0001", "event": inner,
        "type": "event_callback", "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": "UMUTUAL",
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    })


def reaction(kind: str, user: str, author: str | None, emoji: str = "pray",
             channel: str = "CGENERAL", ts: str = "1700000000.000100") -> dict[str, Any]:
    inner: dict[str, Any] = {"type": kind, "user": user, "reaction": emoji,
                             "item": {"type": "message", "channel": channel, "ts": ts},
                             "event_ts": f"{time.time():.6f}"}
    if author is not None:
        inner["item_user"] = author
    return inner


def interactive(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action(action_id: str, value: str, user: str = "UALICE", team: str = TEAM,
                 channel: str = "DALICE", message_ts: str = "1700000001.000100",
                 response_url: str = "http://127.0.0.1:9/respond",
                 container_type: str = "message", block_id: str = "b1") -> str:
    return interactive({
        "type": "block_actions", "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": f"trigger.{next(_ids)}",
        "container": {"type": container_type, "message_ts": message_ts, "channel_id": channel,
                      "is_ephemeral": container_type == "ephemeral"},
        "channel": {"id": channel}, "response_url": response_url,
        "message": {"ts": message_ts, "text": "…"},
        "actions": [{"type": "button", "action_id": action_id, "block_id": block_id,
                     "value": value, "action_ts": f"{time.time():.6f}"}],
    })


def view_submission(callback_id: str, values: dict[str, dict[str, dict[str, Any]]],
                    user: str = "UALICE", team: str = TEAM, private_metadata: str = "") -> str:
    return interactive({
        "type": "view_submission", "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": f"trigger.{next(_ids)}",
        "view": {"id": "V1", "type": "modal", "callback_id": callback_id,
                 "private_metadata": private_metadata, "state": {"values": values},
                 "hash": "h1", "team_id": team},
    })


def message_shortcut(callback_id: str, message: dict[str, Any], user: str = "UALICE",
                     team: str = TEAM, channel: str = "CGENERAL") -> str:
    return interactive({
        "type": "message_action", "callback_id": callback_id,
        "team": {"id": team, "domain": "acme"}, "user": {"id": user, "team_id": team},
        "channel": {"id": channel, "name": "general"}, "message": message,
        "message_ts": message.get("ts"), "trigger_id": f"trigger.{next(_ids)}",
        "response_url": "http://127.0.0.1:9/respond", "token": "legacy",
    })


def global_shortcut(callback_id: str, user: str = "UALICE", team: str = TEAM) -> str:
    return interactive({
        "type": "shortcut", "callback_id": callback_id, "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "team_id": team}, "trigger_id": f"trigger.{next(_ids)}",
        "token": "legacy", "action_ts": f"{time.time():.6f}",
    })


def home_opened(user: str = "UALICE", tab: str = "home") -> dict[str, Any]:
    """The inner `app_home_opened` event (wrap it with `event`)."""
    return {"type": "app_home_opened", "user": user, "channel": f"D{user[1:]}", "tab": tab,
            "event_ts": f"{time.time():.6f}"}


def home_action(action_id: str, value: str | None = None, selected: str | None = None,
                user: str = "UALICE", team: str = TEAM) -> str:
    """A button (or, with `selected`, a static_select choice) pressed on the App Home tab."""
    action: dict[str, Any] = {"action_id": action_id, "block_id": "b1",
                              "action_ts": f"{time.time():.6f}"}
    if selected is not None:
        action.update(type="static_select", selected_option={
            "text": {"type": "plain_text", "text": selected}, "value": selected})
    else:
        action.update(type="button", value=value or "")
    return interactive({
        "type": "block_actions", "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": f"trigger.{next(_ids)}",
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home", "callback_id": "", "private_metadata": "",
                 "state": {"values": {}}, "hash": "h1", "team_id": team},
        "actions": [action],
    })


def mpim_message(user: str | None, channel: str, text: str = "Hello both!", **extra: Any) -> dict[str, Any]:
    """A `message` event in a group DM (`channel_type` mpim), as `message.mpim` delivers it."""
    ts = f"{time.time():.6f}"
    inner: dict[str, Any] = {"type": "message", "channel": channel, "channel_type": "mpim",
                             "text": text, "ts": ts, "event_ts": ts}
    if user is not None:
        inner["user"] = user
    inner.update(extra)
    return inner


def typed_action(action_id: str, value: str, typed: dict[str, dict[str, str | None]],
                 user: str = "UALICE", team: str = TEAM, channel: str = "DALICE",
                 message_ts: str = "1700000001.000100",
                 response_url: str = "http://127.0.0.1:9/respond", block_id: str = "b1") -> str:
    """A button pressed on a message that has input blocks: Slack sends what was typed in them
    as `state.values` ({block_id: {action_id: text}} here)."""
    payload = json.loads(dict(parse_qsl(block_action(
        action_id, value, user=user, team=team, channel=channel, message_ts=message_ts,
        response_url=response_url, block_id=block_id)))["payload"])
    payload["state"] = {"values": {
        block: {action: {"type": "plain_text_input", "value": text} for action, text in inputs.items()}
        for block, inputs in typed.items()}}
    return interactive(payload)


def modal_action(action_id: str, value: str, view_id: str = "VMODAL", user: str = "UALICE",
                 team: str = TEAM) -> str:
    """A button pressed inside an open modal (e.g. a closing view's): no response_url."""
    return interactive({
        "type": "block_actions", "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": f"trigger.{next(_ids)}",
        "container": {"type": "view", "view_id": view_id},
        "view": {"id": view_id, "type": "modal", "callback_id": "", "private_metadata": "",
                 "state": {"values": {}}, "hash": "h1", "team_id": team},
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                     "action_ts": f"{time.time():.6f}"}],
    })


def block_suggestion(action_id: str, value: str, user: str = "UERIN", team: str = TEAM,
                     view_id: str = "VMODAL", callback_id: str = "config_submit") -> str:
    """An external_select asking for options as someone types `value` in it, in a modal."""
    return interactive({
        "type": "block_suggestion", "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "container": {"type": "view", "view_id": view_id}, "api_app_id": "A0001",
        "token": "legacy", "action_id": action_id, "block_id": action_id, "value": value,
        "view": {"id": view_id, "type": "modal", "callback_id": callback_id,
                 "private_metadata": "", "state": {"values": {}}, "hash": "h1", "team_id": team},
    })

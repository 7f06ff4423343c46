"""Request bodies exactly as Slack sends them to `/slack/events`, and Slack's signature.

Slash commands are form bodies; events are JSON envelopes; interactivity (buttons, modals,
shortcuts) is a form body with one `payload=` field holding JSON."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.sandbox.state import APP_ID, BOT_USER_ID, TEAM_ID, Conversation, Message, Person, View

DOMAIN = "sandbox"
_events = itertools.count(1)


def signed_headers(secret: str, body: str, content_type: str) -> dict[str, str]:
    """Slack's v0 signature over the real time (Bolt refuses anything five minutes off)."""
    ts = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "Content-Type": content_type,
            "X-Slack-Signature": signature or ""}


def _user(person: Person) -> dict[str, Any]:
    return {"id": person.id, "username": person.name, "name": person.name, "team_id": TEAM_ID}


def _team() -> dict[str, Any]:
    return {"id": TEAM_ID, "domain": DOMAIN}


def _channel_name(conv: Conversation) -> str:
    if conv.kind == "channel":
        return conv.name
    return "directmessage" if conv.kind == "im" else "mpdm"


def command(person: Person, conv: Conversation, name: str, text: str, response_url: str,
            trigger_id: str) -> str:
    return urlencode({
        "token": "sandbox", "team_id": TEAM_ID, "team_domain": DOMAIN, "enterprise_id": "",
        "channel_id": conv.id, "channel_name": _channel_name(conv), "user_id": person.id,
        "user_name": person.name, "command": name, "text": text, "api_app_id": APP_ID,
        "is_enterprise_install": "false", "response_url": response_url, "trigger_id": trigger_id,
    })


def event(inner: dict[str, Any]) -> str:
    return json.dumps({
        "token": "sandbox", "team_id": TEAM_ID, "api_app_id": APP_ID, "event": inner,
        "type": "event_callback", "event_id": f"Ev{int(time.time())}{next(_events):06d}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False, "event_context": f"sandbox-{next(_events)}",
    })


def reaction(kind: str, person: Person, emoji: str, msg: Message) -> dict[str, Any]:
    return {"type": kind, "user": person.id, "reaction": emoji, "item_user": msg.user,
            "item": {"type": "message", "channel": msg.channel, "ts": msg.ts},
            "event_ts": f"{time.time():.6f}"}


def message_event(msg: Message, conv: Conversation) -> dict[str, Any]:
    return {"type": "message", "channel": msg.channel, "user": msg.user, "text": msg.text,
            "ts": msg.ts, "event_ts": msg.ts, "channel_type": "channel" if conv.kind == "channel" else conv.kind,
            "team": TEAM_ID}


def mention_event(msg: Message) -> dict[str, Any]:
    return {"type": "app_mention", "channel": msg.channel, "user": msg.user, "text": msg.text,
            "ts": msg.ts, "event_ts": msg.ts, "team": TEAM_ID}


def home_opened(person: Person, dm: Conversation, home: View | None) -> dict[str, Any]:
    inner: dict[str, Any] = {"type": "app_home_opened", "user": person.id, "channel": dm.id,
                             "tab": "home", "event_ts": f"{time.time():.6f}"}
    if home is not None:
        inner["view"] = {**home.view, "id": home.id, "hash": home.hash}
    return inner


def interactive(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def _base(kind: str, person: Person, trigger_id: str) -> dict[str, Any]:
    return {"type": kind, "team": _team(), "user": _user(person), "api_app_id": APP_ID,
            "token": "sandbox", "trigger_id": trigger_id, "is_enterprise_install": False,
            "enterprise": None}


def message_action(person: Person, msg: Message, conv: Conversation, action: dict[str, Any],
                   trigger_id: str, response_url: str,
                   state: dict[str, Any] | None = None) -> str:
    """block_actions for a button or select pressed on a message (with what was typed in its
    input blocks, if it has any)."""
    payload = _base("block_actions", person, trigger_id)
    payload.update(
        container={"type": "message", "message_ts": msg.ts, "channel_id": msg.channel,
                   "is_ephemeral": msg.ephemeral_to is not None},
        channel={"id": conv.id, "name": _channel_name(conv)}, response_url=response_url,
        actions=[action], state=state or {"values": {}},
    )
    if msg.ephemeral_to is None:
        payload["message"] = msg.as_slack()
    return interactive(payload)


def view_action(person: Person, view: View, action: dict[str, Any], trigger_id: str) -> str:
    """block_actions for a button or select pressed on the Home tab or in a modal."""
    payload = _base("block_actions", person, trigger_id)
    payload.update(container={"type": "view", "view_id": view.id},
                   view=view_payload(view), actions=[action])
    return interactive(payload)


def view_payload(view: View) -> dict[str, Any]:
    body = view.view
    return {"id": view.id, "team_id": TEAM_ID, "type": body.get("type", "modal"),
            "callback_id": body.get("callback_id", ""), "private_metadata": body.get("private_metadata", ""),
            "external_id": body.get("external_id", ""), "title": body.get("title"),
            "blocks": body.get("blocks", []), "state": {"values": view.values}, "hash": view.hash,
            "app_id": APP_ID, "root_view_id": view.id, "previous_view_id": None}


def block_suggestion(person: Person, view: View, block_id: str, action_id: str, typed: str) -> str:
    """An external_select in a modal asking the app for options as someone types (no trigger)."""
    payload = _base("block_suggestion", person, "")
    payload.pop("trigger_id")
    payload.update(container={"type": "view", "view_id": view.id}, view=view_payload(view),
                   action_id=action_id, block_id=block_id, value=typed)
    return interactive(payload)


def view_submission(person: Person, view: View, trigger_id: str) -> str:
    payload = _base("view_submission", person, trigger_id)
    payload.update(view=view_payload(view), response_urls=[])
    return interactive(payload)


def view_closed(person: Person, view: View) -> str:
    payload = _base("view_closed", person, "")
    payload.pop("trigger_id")
    payload.update(view=view_payload(view), is_cleared=False)
    return interactive(payload)


def shortcut_on_message(person: Person, callback_id: str, msg: Message, conv: Conversation,
                        trigger_id: str, response_url: str) -> str:
    payload = _base("message_action", person, trigger_id)
    payload.update(callback_id=callback_id, channel={"id": conv.id, "name": _channel_name(conv)},
                   message=msg.as_slack(), message_ts=msg.ts, response_url=response_url,
                   action_ts=f"{time.time():.6f}")
    return interactive(payload)


def global_shortcut(person: Person, callback_id: str, trigger_id: str) -> str:
    payload = _base("shortcut", person, trigger_id)
    payload.update(callback_id=callback_id, action_ts=f"{time.time():.6f}")
    return interactive(payload)

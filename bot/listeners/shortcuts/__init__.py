"""Shortcuts: `record_help` on a message, `thank_someone` from anywhere."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.recording import (
    build_modal_done,
    build_record_help_modal,
    build_thank_someone_modal,
)
from bot.listeners.deps import Deps


def register(app: App, deps: Deps) -> None:
    @app.shortcut(ids.RECORD_HELP)
    def record_help(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        ack()
        message = shortcut.get("message") or {}
        author = message.get("user")
        invoker = shortcut["user"]["id"]
        if not author or message.get("bot_id") or message.get("subtype") == "bot_message":
            view = build_modal_done("That message was posted by an app, so there's no one to "
                                    "thank for it. Nothing was saved.")
        elif author == invoker:
            view = build_modal_done("That's your own message — help only counts between two "
                                    "people. Nothing was saved.")
        else:
            meta = json.dumps({"channel": shortcut["channel"]["id"], "ts": message["ts"],
                               "author": author})
            view = build_record_help_modal(author, meta)
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)

    @app.shortcut(ids.THANK_SOMEONE)
    def thank_someone(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=shortcut["trigger_id"], view=build_thank_someone_modal())

"""Shortcuts: `record_help` on a message, `thank_someone` and `ask_for_help` from anywhere."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.asks import build_ask_modal
from bot.blocks.recording import (
    FORM_BUSY,
    build_busy,
    build_modal_done,
    build_record_help_modal,
    build_thank_someone_modal,
)
from bot.listeners.deps import Deps, team_of
from bot.listeners.interaction import reply
from bot.services import outbox
from bot.services.workspaces import ensure_workspace
from bot.slack.modals import open_modal


def register(app: App, deps: Deps) -> None:
    def form(shortcut: dict[str, Any], view: dict[str, Any], client: WebClient, team_id: str) -> None:
        if open_modal(client, str(shortcut.get("trigger_id", "")), view):
            return
        now = deps.clock()
        with deps.db.session() as session:
            # A message shortcut can answer in the channel, privately; a global one by DM.
            if reply(session, team_id, shortcut, build_busy(FORM_BUSY), now, "busy") is None:
                ensure_workspace(session, team_id, now)
                outbox.message(session, team_id, f"form_busy:{shortcut.get('trigger_id')}",
                               shortcut["user"]["id"], build_busy(FORM_BUSY), now)

    @app.shortcut(ids.RECORD_HELP)
    def record_help(ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext) -> None:
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
        form(shortcut, view, client, team_of(context, shortcut))

    @app.shortcut(ids.THANK_SOMEONE)
    def thank_someone(ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        form(shortcut, build_thank_someone_modal(), client, team_of(context, shortcut))

    @app.shortcut(ids.ASK_FOR_HELP)
    def ask_for_help(ack: Ack, shortcut: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        form(shortcut, build_ask_modal(), client, team_of(context, shortcut))

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
from bot.listeners.deps import Deps, actor, payload, typed
from bot.listeners.interaction import reply
from bot.payloads.interactive import GlobalShortcut, MessageShortcut
from bot.services import outbox
from bot.services.workspaces import ensure_workspace
from bot.slack.modals import open_modal


def register(app: App, deps: Deps) -> None:
    def form(view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        shortcut = payload(context)
        if not isinstance(shortcut, MessageShortcut | GlobalShortcut):
            raise TypeError(f"a shortcut expected, got {type(shortcut).__name__}")
        if open_modal(client, shortcut.trigger_id, view):
            return
        (user_id, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            # A message shortcut can answer in the channel, privately; a global one by DM.
            if reply(session, team_id, shortcut, build_busy(FORM_BUSY), now, "busy") is None:
                ensure_workspace(session, team_id, now)
                outbox.message(session, team_id, f"form_busy:{shortcut.trigger_id}",
                               user_id, build_busy(FORM_BUSY), now)

    @app.shortcut(ids.RECORD_HELP)
    def record_help(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        shortcut = typed(context, MessageShortcut)
        message = shortcut.message
        author = message.user
        invoker = shortcut.user_id
        if not author or message.bot_id or message.subtype == "bot_message":
            view = build_modal_done("That message was posted by an app, so there's no one to "
                                    "thank for it. Nothing was saved.")
        elif author == invoker:
            view = build_modal_done("That's your own message — help only counts between two "
                                    "people. Nothing was saved.")
        else:
            meta = json.dumps({"channel": shortcut.channel.id, "ts": message.ts,
                               "author": author})
            view = build_record_help_modal(author, meta)
        form(view, client, context)

    @app.shortcut(ids.THANK_SOMEONE)
    def thank_someone(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        form(build_thank_someone_modal(), client, context)

    @app.shortcut(ids.ASK_FOR_HELP)
    def ask_for_help(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        form(build_ask_modal(), client, context)

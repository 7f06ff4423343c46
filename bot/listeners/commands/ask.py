"""`/ask <what you need>`: posts the request in this channel, with "I can help" for everyone
and "Mark solved" for the asker. The `ask_for_help` shortcut does the same from anywhere."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.asks import ASK_USAGE, build_ask_receipt
from bot.blocks.recording import build_error
from bot.listeners.deps import Deps, team, typed
from bot.payloads.commands import SlashCommand
from bot.services.ask_posts import queue_post
from bot.services.asks import ASK_MAX, AskView, create_ask
from bot.services.forget import welcome_back
from bot.services.parsing import unescape
from bot.services.workspaces import ensure_workspace

IN_A_DM = ("Asks go to a channel, where people can offer to help. Try `/ask` in a channel, "
           "or the *Ask for help* shortcut to pick one. Nothing was posted.")


def register(app: App, deps: Deps) -> None:
    @app.command("/ask")
    def ask(ack: Ack, client: WebClient, context: BoltContext) -> None:
        command = typed(context, SlashCommand)
        ack(**handle_ask(deps, team(context), command))


def ask_problem(text: str, channel_id: str | None) -> str | None:
    """Why this cannot be posted, in the asker's words (shared with the modal)."""
    if not text:
        return "What do you need? Add a few words, so people know whether they can help."
    if len(text) > ASK_MAX:
        return (f"That's {len(text):,} characters; an ask can be up to {ASK_MAX}. Could you "
                "shorten it? Nothing was posted.")
    if not channel_id or channel_id.startswith("D"):
        return IN_A_DM
    return None


def handle_ask(deps: Deps, team_id: str, command: SlashCommand) -> dict[str, Any]:
    text = unescape(command.text).strip()
    channel = (command.channel_id or "")
    problem = ask_problem(text, channel)
    if problem:
        return build_error(problem, ASK_USAGE)
    ask = post_ask(deps, team_id, command.user_id, text, channel, "command")
    return build_ask_receipt(ask)


def post_ask(deps: Deps, team_id: str, asker_id: str, text: str, channel_id: str,
             source: str) -> AskView:
    """Store the ask and queue its post in the channel, in one transaction."""
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        welcome_back(session, team_id, asker_id)
        ask = create_ask(session, team_id, asker_id, text, channel_id, now, source)
        queue_post(session, ask, now)
    return ask

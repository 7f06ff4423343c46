"""`/offer <what you can help with>` adds to your "ask me about" list (at most five);
`/offer` on its own lists yours, each with a Remove button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.offers import added_words, build_offer_list
from bot.listeners.deps import Deps, team, typed
from bot.payloads.commands import SlashCommand
from bot.services.forget import welcome_back
from bot.services.offers import add_offer, offers_of
from bot.services.parsing import unescape
from bot.services.workspaces import ensure_workspace


def register(app: App, deps: Deps) -> None:
    @app.command("/offer")
    def offer(ack: Ack, client: WebClient, context: BoltContext) -> None:
        command = typed(context, SlashCommand)
        ack(**handle_offer(deps, team(context), command))


def handle_offer(deps: Deps, team_id: str, command: SlashCommand) -> dict[str, Any]:
    user, now = command.user_id, deps.clock()
    text = unescape(command.text).strip()
    with deps.db.session() as session:
        if not text:
            return build_offer_list(offers_of(session, team_id, user))
        ensure_workspace(session, team_id, now)
        welcome_back(session, team_id, user)
        outcome, entries = add_offer(session, team_id, user, text, now)
    return build_offer_list(entries, added_words(outcome, len(text)))

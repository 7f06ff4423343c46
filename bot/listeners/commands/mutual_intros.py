"""`/mutual intros`: your introductions under way and where each stands, and the ones you
asked for that are still waiting (each with a button to withdraw it)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks.intros import build_intro_list
from bot.listeners.deps import Deps
from bot.payloads.commands import SlashCommand
from bot.services.intros import open_intros_for
from bot.services.withdraw import open_requests_by


def intros(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> dict[str, Any]:
    user = command.user_id
    with deps.db.session() as session:
        mine = open_intros_for(session, team_id, user)
        asked = open_requests_by(session, team_id, user)
    return build_intro_list(mine, user, asked)

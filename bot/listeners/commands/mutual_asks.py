"""`/mutual asks`: your open asks (newest first) and the offers you made that still stand."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks.asks_more import build_asks_list
from bot.listeners.deps import Deps
from bot.payloads.commands import SlashCommand
from bot.services.ask_queries import offers_on, open_asks_of, open_offers_of
from bot.services.asks import ASKER_SEES


def asks(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> dict[str, Any]:
    user = command.user_id
    with deps.db.session() as session:
        mine = open_asks_of(session, team_id, user)
        counts = {a.id: len(offers_on(session, team_id, a.id, ASKER_SEES)) for a in mine}
        offered = open_offers_of(session, team_id, user)
    return build_asks_list(mine, offered, counts)

"""Options Slack loads from Mutual as someone types in a select (`block_suggestion`): the
settings modal's time zones."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext

from bot import constants as ids
from bot.blocks.config import build_zone_options
from bot.listeners.deps import Deps, team, typed
from bot.payloads.interactive import BlockSuggestion
from bot.services.zones import matching_zones, zones_first


def register(app: App, deps: Deps) -> None:
    @app.options(ids.CFG_TIMEZONE)
    def timezones(ack: Ack, context: BoltContext) -> None:
        query = typed(context, BlockSuggestion).query
        now = deps.clock()
        with deps.db.session() as session:
            first = zones_first(session, team(context))
        ack(options=build_zone_options(matching_zones(query, now, first)))

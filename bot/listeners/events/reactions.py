"""Thank-you reactions: the message's author helped the person reacting."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.listeners.deps import Deps, team_of
from bot.listeners.events.home import refresh_homes
from bot.services.people import problem_with
from bot.services.recording import ReactionResult, reaction_added, reaction_removed
from bot.services.workspaces import ensure_workspace, first_delivery


def register(app: App, deps: Deps) -> None:
    @app.event("reaction_added")
    def on_added(body: dict[str, Any], event: dict[str, Any], client: WebClient,
                 context: BoltContext) -> None:
        item, author, reactor = event.get("item") or {}, event.get("item_user"), event.get("user")
        if item.get("type") != "message" or not author or not reactor or author == reactor:
            return
        team_id = team_of(context, body)
        # Both must be people of this workspace: a bot's message, or a bot's reaction,
        # thanks nobody.
        for person, other in ((author, reactor), (reactor, author)):
            if problem_with(deps.directory.get(client, team_id, person), other, team_id,
                            context.enterprise_id):
                return
        if deps.directory.is_forgotten(team_id, author):
            return
        now = deps.clock()
        result = ReactionResult.IGNORED
        with deps.db.session() as session:
            workspace = ensure_workspace(session, team_id, now, context.enterprise_id)
            if first_delivery(session, team_id, body.get("event_id"), now):
                result, _ = reaction_added(session, workspace, reactor, author,
                                           event.get("reaction", ""), item["channel"], item["ts"], now)
        if result is ReactionResult.RECORDED:
            deps.directory.welcome_back(team_id, reactor)
            refresh_homes(deps, client, team_id, reactor, author)

    @app.event("reaction_removed")
    def on_removed(body: dict[str, Any], event: dict[str, Any], client: WebClient,
                   context: BoltContext) -> None:
        item, reactor = event.get("item") or {}, event.get("user")
        if item.get("type") != "message" or not reactor:
            return
        team_id = team_of(context, body)
        now = deps.clock()
        with deps.db.session() as session:
            workspace = ensure_workspace(session, team_id, now, context.enterprise_id)
            removed = first_delivery(session, team_id, body.get("event_id"), now) and reaction_removed(
                session, workspace, reactor, event.get("reaction", ""), item["channel"], item["ts"], now)
        if removed is ReactionResult.RETRACTED:
            refresh_homes(deps, client, team_id, reactor)

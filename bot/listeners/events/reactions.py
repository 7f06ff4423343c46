"""Thank-you reactions: the message's author helped the person reacting."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.listeners.deps import Deps, team, typed
from bot.payloads.events import EventCallback
from bot.services import outbox
from bot.services.reactions import Reaction, reaction_problem, record_reaction, retract_reaction
from bot.services.workspaces import ensure_workspace, first_delivery
from bot.slack.budget import Budget, SlackBusy


def _reaction(event: dict[str, Any], team_id: str, enterprise_id: str | None) -> Reaction | None:
    item, author, reactor = event.get("item") or {}, event.get("item_user"), event.get("user")
    if item.get("type") != "message" or not reactor or not item.get("channel") or not item.get("ts"):
        return None
    return Reaction(team_id=team_id, enterprise_id=enterprise_id, reactor_id=str(reactor),
                    author_id=str(author) if author else None, emoji=str(event.get("reaction", "")),
                    channel_id=str(item["channel"]), message_ts=str(item["ts"]))


def register(app: App, deps: Deps) -> None:
    @app.event("reaction_added")
    def on_added(event: dict[str, Any], client: WebClient,
                 context: BoltContext) -> None:
        reaction = _reaction(event, team(context), context.enterprise_id)
        if reaction is None or reaction.author_id is None or reaction.author_id == reaction.reactor_id:
            return
        now = deps.clock()
        try:
            people = deps.directory.lookup(client, reaction.team_id,
                                           [reaction.author_id, reaction.reactor_id], Budget())
        except SlackBusy:
            # Slack can't tell us who they are just now: the deliverer asks again later and
            # records it then (the event id is claimed now, so Slack's retries count once).
            with deps.db.session() as session:
                ensure_workspace(session, reaction.team_id, now, reaction.enterprise_id)
                if first_delivery(session, reaction.team_id, typed(context, EventCallback).event_id, now):
                    outbox.enqueue(session, reaction.team_id, reaction.key, outbox.CHECK_REACTION,
                                   reaction.reactor_id, reaction.payload(), now, now,
                                   priority=outbox.NOW)
            return
        if reaction_problem(reaction, people.profiles, people.forgotten, people.guests_off):
            return
        with deps.db.session() as session:
            workspace = ensure_workspace(session, reaction.team_id, now, reaction.enterprise_id)
            if first_delivery(session, reaction.team_id, typed(context, EventCallback).event_id, now):
                record_reaction(session, workspace, reaction, now)

    @app.event("reaction_removed")
    def on_removed(event: dict[str, Any], context: BoltContext) -> None:
        reaction = _reaction(event, team(context), context.enterprise_id)
        if reaction is None:
            return
        now = deps.clock()
        with deps.db.session() as session:
            workspace = ensure_workspace(session, reaction.team_id, now, reaction.enterprise_id)
            if first_delivery(session, reaction.team_id, typed(context, EventCallback).event_id, now):
                retract_reaction(session, workspace, reaction, now)

"""Thank-you reactions: the message's author helped the person reacting."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.listeners.deps import Deps, team, typed
from bot.payloads.events import EventCallback
from bot.services import outbox
from bot.services.reactions import (
    Reaction,
    is_thank_you,
    reaction_problem,
    record_reaction,
    retract_reaction,
)
from bot.services.workspaces import (
    DEFAULT_SET,
    THANK_EMOJI_OF,
    emoji_set,
    ensure_workspace,
    first_delivery,
)
from bot.slack.budget import Budget, SlackBusy


def _reaction(event: dict[str, Any], team_id: str, enterprise_id: str | None) -> Reaction | None:
    item, author, reactor = event.get("item") or {}, event.get("item_user"), event.get("user")
    if item.get("type") != "message" or not reactor or not item.get("channel") or not item.get("ts"):
        return None
    return Reaction(team_id=team_id, enterprise_id=enterprise_id, reactor_id=str(reactor),
                    author_id=str(author) if author else None, emoji=str(event.get("reaction", "")),
                    channel_id=str(item["channel"]), message_ts=str(item["ts"]))


def _may_thank(deps: Deps, reaction: Reaction) -> bool:
    """Whether this emoji may be one of the workspace's thank-you emoji. One of the default
    ones is checked again inside the transaction that records it (no read here); any other
    costs one primary-key read of the workspace's setting, never a write — nothing is kept in
    memory, so every replica sees a settings change at once."""
    if is_thank_you(reaction.emoji, DEFAULT_SET):
        return True
    with deps.db.reading() as conn:
        setting = conn.execute(THANK_EMOJI_OF, {"team": reaction.team_id}).scalar()
    return setting is not None and is_thank_you(reaction.emoji, emoji_set(setting))


def register(app: App, deps: Deps) -> None:
    @app.event("reaction_added")
    def on_added(event: dict[str, Any], client: WebClient,
                 context: BoltContext) -> None:
        reaction = _reaction(event, team(context), context.enterprise_id)
        if reaction is None or reaction.author_id is None or reaction.author_id == reaction.reactor_id:
            return
        if not _may_thank(deps, reaction):
            return  # most reactions: dropped before any write, at most one read
        now = deps.clock()
        # The common case in one transaction: the workspace, both cached profiles, the event
        # claim and the record.
        with deps.db.session() as session:
            workspace = ensure_workspace(session, reaction.team_id, now, reaction.enterprise_id)
            if not is_thank_you(reaction.emoji, workspace.thank_emoji_set):
                return
            known = deps.directory.cached(session, workspace,
                                          [reaction.author_id, reaction.reactor_id], now)
            if known is not None:
                if reaction_problem(reaction, known.profiles, known.forgotten, known.guests_off):
                    return
                if first_delivery(session, reaction.team_id,
                                  typed(context, EventCallback).event_id, now):
                    record_reaction(session, workspace, reaction, now,
                                    was_forgotten=reaction.reactor_id in known.forgotten)
                return
        # Someone Mutual has no fresh profile of: Slack is asked outside any transaction.
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
        if reaction is None or not _may_thank(deps, reaction):
            return
        now = deps.clock()
        with deps.db.session() as session:
            workspace = ensure_workspace(session, reaction.team_id, now, reaction.enterprise_id)
            if first_delivery(session, reaction.team_id, typed(context, EventCallback).event_id, now):
                retract_reaction(session, workspace, reaction, now)

"""`/thanks @a [@b …] [for] <note>`: each mentioned person helped the invoker."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.edge import ALREADY_DONE, build_command_refusal
from bot.blocks.recording import (
    THANKS_USAGE,
    build_error,
    build_note_too_long,
    build_refused,
    build_thanks_receipt,
    too_many_people,
    unknown_handle,
)
from bot.listeners.deps import Deps, team, typed
from bot.listeners.people import refuse_people
from bot.listeners.thanking import give_thanks, thanks_in
from bot.listeners.welcome import welcome_if_admin
from bot.observe.requests import mark
from bot.payloads.commands import SlashCommand
from bot.services.parsing import NOTE_MAX, PEOPLE_MAX, Mentions, split_mentions
from bot.services.setup import welcome_known_admin
from bot.services.workspaces import claim_trigger, ensure_workspace


def register(app: App, deps: Deps) -> None:
    @app.command("/thanks")
    def thanks(ack: Ack, client: WebClient, context: BoltContext) -> None:
        command = typed(context, SlashCommand)
        reply = handle_thanks(deps, client, team(context), command)
        if reply is REPLAYED:
            mark(context, "refused")  # as bot.edge counts the replays it answers itself
            reply = build_command_refusal(ALREADY_DONE)
        ack(**reply)


def _mistake(parsed: Mentions) -> dict[str, Any] | None:
    if parsed.bare_handles:
        return build_error(unknown_handle(parsed.bare_handles[0]), THANKS_USAGE)
    if not parsed.user_ids:
        return build_error("Who would you like to thank? Mention them with @.", THANKS_USAGE)
    if len(parsed.user_ids) > PEOPLE_MAX:
        return build_error(too_many_people(len(parsed.user_ids)), THANKS_USAGE)
    if len(parsed.rest) > NOTE_MAX:
        return build_note_too_long(len(parsed.rest), THANKS_USAGE)
    return None


# What `handle_thanks` returns for a trigger_id acted on before.
REPLAYED: dict[str, Any] = {}


def handle_thanks(deps: Deps, client: WebClient, team_id: str, command: SlashCommand) -> dict[str, Any]:
    invoker = command.user_id
    parsed = split_mentions(command.text)
    mistake = _mistake(parsed)
    if mistake is not None:
        welcome_if_admin(deps, team_id, invoker)  # as for any other command
        return mistake
    # The common case in one transaction: the replay claim, the workspace, everyone's cached
    # profile, the records, the DM and the Homes (bot.edge leaves this trigger_id to us).
    now = deps.clock()
    with deps.db.session() as session:
        if not claim_trigger(session, team_id, command.trigger_id, now):
            return REPLAYED
        workspace = ensure_workspace(session, team_id, now, command.enterprise_id)
        known = deps.directory.cached(session, workspace, [*parsed.user_ids, invoker], now)
        if known is not None:
            welcome_known_admin(session, workspace, known.profiles.get(invoker), now)
            why_not, _ = refuse_people(deps, client, team_id, invoker, parsed.user_ids,
                                       command.enterprise_id, known=known)
            if why_not:
                return build_refused(why_not)
            given = thanks_in(session, team_id, invoker, parsed.user_ids, parsed.rest,
                              command.channel_id, now, was_forgotten=invoker in known.forgotten)
            return build_thanks_receipt(parsed.user_ids, parsed.rest, given.ids, given.hint)
    # Someone Mutual has no fresh profile of: Slack is asked outside any transaction (the
    # claim above is kept; bot.edge releases it if what follows fails).
    welcome_if_admin(deps, team_id, invoker)
    why_not, _ = refuse_people(deps, client, team_id, invoker, parsed.user_ids,
                               command.enterprise_id)
    if why_not:
        return build_refused(why_not)
    given = give_thanks(deps, team_id, invoker, parsed.user_ids, parsed.rest,
                        command.channel_id)
    return build_thanks_receipt(parsed.user_ids, parsed.rest, given.ids, given.hint)

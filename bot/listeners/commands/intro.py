"""`/intro @a @b <why>` and `/intro request @connector @target <why>`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.intros import (
    INTRO_USAGE,
    REQUEST_USAGE,
    build_intro_error,
    build_intro_receipt,
    build_intro_refused,
    build_request_receipt,
    build_request_refused,
    intro_problem_text,
)
from bot.blocks.recording import SLACK_BUSY, build_busy, unknown_handle
from bot.listeners.deps import Deps, team, typed
from bot.listeners.intro_notices import ask_connector, ask_parties
from bot.listeners.people import check_people
from bot.payloads.commands import SlashCommand
from bot.services import intros
from bot.services.forget import welcome_back
from bot.services.intros import Proposed, RequestRefused, check_people_and_reason, check_request
from bot.services.parsing import first_word, split_mentions
from bot.services.workspaces import ensure_workspace


def register(app: App, deps: Deps) -> None:
    @app.command("/intro")
    def intro(ack: Ack, client: WebClient, context: BoltContext) -> None:
        command = typed(context, SlashCommand)
        ack(**handle_intro(deps, client, team(context), command))


def handle_intro(deps: Deps, client: WebClient, team_id: str, command: SlashCommand) -> dict[str, Any]:
    word, rest = first_word(command.text)
    if word == "request":
        return handle_request(deps, client, team_id, command, rest)
    if word == "help":
        return build_intro_error("Introduce two people who should know each other; both are "
                                 "asked privately first.", INTRO_USAGE)
    invoker = command.user_id
    people, reason, problem = parse_two(command.text)
    if problem:
        return build_intro_error(problem + " Nothing was sent.")
    a, b = people
    refused = check_people_and_reason(invoker, a, b, reason)
    if refused is not None:
        return build_intro_refused(refused, len(reason))
    assert a and b
    why_not = people_problem(deps, client, team_id, invoker, people, command.enterprise_id)
    if why_not:
        return build_busy() if why_not == SLACK_BUSY else build_intro_error(
            why_not + " Nothing was sent.", None)
    result = start_intro(deps, team_id, invoker, a, b, reason)
    if result.intro is None:
        assert result.refused is not None
        return build_intro_refused(result.refused, len(reason), result.existing, invoker)
    return build_intro_receipt(result.intro.a_id, result.intro.b_id, result.intro.reason)


def parse_two(text: str) -> tuple[list[str | None], str, str | None]:
    """([first, second], reason, a problem worded for the person) from the command text."""
    parsed = split_mentions(text, want=2)
    ids: list[str | None] = [*parsed.user_ids[:2], None, None][:2]
    if parsed.bare_handles:
        return ids, parsed.rest, unknown_handle(parsed.bare_handles[0])
    if len(split_mentions(text).user_ids) > 2:
        return ids, parsed.rest, "Two people at a time, please — mention exactly two, then why."
    if len(parsed.user_ids) < 2 and len(parsed.typed) >= 2:
        return ids, parsed.rest, ("That's the same person twice — an introduction needs two "
                                  "different people.")
    return ids, parsed.rest, None


def people_problem(deps: Deps, client: WebClient, team_id: str, invoker: str,
                   people: list[str | None], enterprise_id: str | None = None,
                   who: str | None = None) -> str | None:
    """Why one of these people cannot be introduced, in an introducer's words."""
    checked = check_people(deps, client, team_id, invoker, [p for p in people if p], enterprise_id)
    if checked.busy:
        return SLACK_BUSY
    if checked.refusal is None:
        return None
    return intro_problem_text(checked.refusal.user_id, checked.refusal.problem, who)


def start_intro(deps: Deps, team_id: str, introducer: str, a_id: str, b_id: str, reason: str,
                request_id: int | None = None) -> Proposed:
    """Store the intro and ask both people (shared by /intro and the intro modal)."""
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        welcome_back(session, team_id, introducer)
        result = intros.propose_intro(session, team_id, introducer, a_id, b_id, reason, now,
                                      request_id)
        if result.intro is not None:
            ask_parties(session, result.intro, result.request, now)
    return result


def handle_request(deps: Deps, client: WebClient, team_id: str, command: SlashCommand,
                   text: str) -> dict[str, Any]:
    invoker = command.user_id
    people, reason, problem = parse_two(text)
    if problem:
        return build_intro_error(problem + " Nothing was sent.", REQUEST_USAGE)
    connector, target = people
    refused = check_request(invoker, connector, target, reason)
    if refused is not None:
        return build_request_refused(refused, len(reason))
    assert connector and target
    why_not = people_problem(deps, client, team_id, invoker, [connector, target],
                             command.enterprise_id)
    if why_not:
        return build_busy() if why_not == SLACK_BUSY else build_intro_error(
            why_not + " Nothing was sent.", None)
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        welcome_back(session, team_id, invoker)
        result = intros.request_intro(session, team_id, invoker, connector, target, reason, now)
        if result.refused is None and result.request is not None:
            ask_connector(session, result.request, now)
    if result.refused is not None or result.request is None:
        return build_request_refused(result.refused or RequestRefused.DUPLICATE, len(reason),
                                     result.existing_intro, result.request)
    return build_request_receipt(connector, target, result.request.id)

"""`/intro @a @b <why>` and `/intro request @connector @target <why>`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.intros import (
    INTRO_USAGE,
    REQUEST_USAGE,
    build_consent_request,
    build_intro_error,
    build_intro_receipt,
    build_intro_refused,
    build_request_dm,
    build_request_made_notice,
    build_request_receipt,
    build_request_refused,
    intro_problem_text,
)
from bot.listeners.deps import Deps, team_of
from bot.listeners.events.home import refresh_homes
from bot.listeners.people import refuse_people
from bot.listeners.thanking import send_dm
from bot.services import intros
from bot.services.intros import (
    IntroView,
    Proposed,
    RequestRefused,
    check_people_and_reason,
    check_request,
)
from bot.services.parsing import LEADING, MENTION, first_word, split_mentions
from bot.services.people import problem_with
from bot.services.workspaces import ensure_workspace


def register(app: App, deps: Deps) -> None:
    @app.command("/intro")
    def intro(ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack(**handle_intro(deps, client, team_of(context, command), command))


def handle_intro(deps: Deps, client: WebClient, team_id: str, command: dict[str, Any]) -> dict[str, Any]:
    word, rest = first_word(command.get("text", ""))
    if word == "request":
        return handle_request(deps, client, team_id, command, rest)
    if word == "help":
        return build_intro_error("Introduce two people who should know each other; both are "
                                 "asked privately first.", INTRO_USAGE)
    invoker = command["user_id"]
    people, reason, problem = parse_two(command.get("text", ""))
    if problem:
        return build_intro_error(problem + " Nothing was sent.")
    a, b = people
    refused = check_people_and_reason(invoker, a, b, reason)
    if refused is not None:
        return build_intro_refused(refused, len(reason))
    assert a and b
    why_not = people_problem(deps, client, team_id, invoker, people, command.get("enterprise_id") or None)
    if why_not:
        return build_intro_error(why_not + " Nothing was sent.")
    result = start_intro(deps, client, team_id, invoker, a, b, reason)
    if result.intro is None:
        assert result.refused is not None
        return build_intro_refused(result.refused, len(reason), result.existing, invoker)
    return build_intro_receipt(result.intro.a_id, result.intro.b_id, result.intro.reason)


def parse_two(text: str) -> tuple[list[str | None], str, str | None]:
    """([first, second], reason, a problem worded for the person) from the command text."""
    parsed = split_mentions(text)
    lead = LEADING.match((text or "").strip())
    typed = MENTION.findall(lead.group(0)) if lead else []
    ids: list[str | None] = [*parsed.user_ids[:2], None, None][:2]
    if len(parsed.user_ids) > 2:
        return ids, parsed.rest, "Two people at a time, please — mention exactly two, then why."
    if len(parsed.user_ids) < 2:
        if len(typed) >= 2:
            return ids, parsed.rest, ("That's the same person twice — an introduction needs two "
                                      "different people.")
        handles = parsed.bare_handles or [w for w in parsed.rest.split()[:2] if w.startswith("@")]
        if handles:
            return ids, parsed.rest, (f"I couldn't tell who {handles[0]} is. Pick people from the "
                                      "list Slack shows as you type @, so names turn into mentions.")
    return ids, parsed.rest, None


def people_problem(deps: Deps, client: WebClient, team_id: str, invoker: str,
                   people: list[str | None], enterprise_id: str | None = None,
                   who: str | None = None) -> str | None:
    """Why one of these people cannot be introduced, in an introducer's words."""
    wanted = [p for p in people if p]
    why_not, ok = refuse_people(deps, client, team_id, invoker, wanted, enterprise_id)
    if not why_not:
        return None
    culprit = next(p for p in wanted if p not in ok)
    problem = problem_with(deps.directory.get(client, team_id, culprit), invoker, team_id, enterprise_id)
    if problem is None:  # changed between the two looks; keep the shared wording
        return why_not
    return intro_problem_text(culprit, problem, who)


def start_intro(deps: Deps, client: WebClient, team_id: str, introducer: str, a_id: str,
                b_id: str, reason: str, request_id: int | None = None) -> Proposed:
    """Store the intro and ask both people (shared by /intro and the intro modal)."""
    deps.directory.welcome_back(team_id, introducer)
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        result = intros.propose_intro(session, team_id, introducer, a_id, b_id, reason, now,
                                      request_id)
    intro = result.intro
    if intro is None:
        return result
    requester = result.request.requester_id if result.request else None
    refresh_homes(deps, client, team_id, introducer, *intro.parties)
    for party in intro.parties:
        deps.notifier.submit(send_consent, deps, client, intro, party, party == requester)
    if result.request is not None and requester not in intro.parties:
        deps.notifier.submit(send_dm, client, result.request.requester_id,
                             build_request_made_notice(introducer, result.request.target_id, False))
    return result


def send_consent(deps: Deps, client: WebClient, intro: IntroView, party: str, asked: bool) -> None:
    reply = client.chat_postMessage(channel=party, **build_consent_request(
        intro.introducer_id, intro.other(party), intro.reason, intro.id, asked))
    with deps.db.session() as session:
        intros.record_consent_dm(session, intro.team_id, intro.id, party, reply["channel"], reply["ts"])


def handle_request(deps: Deps, client: WebClient, team_id: str, command: dict[str, Any],
                   text: str) -> dict[str, Any]:
    invoker = command["user_id"]
    people, reason, problem = parse_two(text)
    if problem:
        return build_intro_error(problem + " Nothing was sent.", REQUEST_USAGE)
    connector, target = people
    refused = check_request(invoker, connector, target, reason)
    if refused is not None:
        return build_request_refused(refused, len(reason))
    assert connector and target
    why_not = people_problem(deps, client, team_id, invoker, [connector, target],
                             command.get("enterprise_id") or None)
    if why_not:
        return build_intro_error(why_not + " Nothing was sent.", REQUEST_USAGE)
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        result = intros.request_intro(session, team_id, invoker, connector, target, reason, now)
    if result.refused is not None or result.request is None:
        return build_request_refused(result.refused or RequestRefused.DUPLICATE, len(reason),
                                     result.existing_intro, result.request)
    deps.notifier.submit(send_request, deps, client, result.request.id, team_id, invoker, connector,
                         target, result.request.reason)
    return build_request_receipt(connector, target)


def send_request(deps: Deps, client: WebClient, request_id: int, team_id: str, requester: str,
                 connector: str, target: str, reason: str) -> None:
    reply = client.chat_postMessage(channel=connector,
                                    **build_request_dm(requester, target, reason, request_id))
    with deps.db.session() as session:
        intros.record_request_dm(session, team_id, request_id, reply["channel"], reply["ts"])

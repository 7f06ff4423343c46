"""Intro buttons: `intro_accept` / `intro_decline` (consent DMs), `intro_connected` (group DM),
`intro_request_make` / `intro_request_decline` (the connector's request DM)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.intros import (
    build_cant_go_ahead,
    build_connected_notice,
    build_consent_answered,
    build_group_connected,
    build_group_intro,
    build_intro_declined_notice,
    build_intro_modal,
    build_intro_opened_notice,
    build_not_a_party,
    build_not_for_introducer,
    build_other_declined_notice,
    build_request_answered,
    build_request_declined_notice,
)
from bot.listeners.deps import Deps, team_of
from bot.listeners.events.home import refresh_homes
from bot.listeners.thanking import send_dm
from bot.services import intros
from bot.services.intros import Answer, Connect, IntroView, RequestAnswer


def container_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The message the pressed button sits on."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("message_ts") or (body.get("message") or {}).get("ts")


def id_of(action: dict[str, Any]) -> int | None:
    value = str(action.get("value", ""))
    return int(value) if value.isdigit() else None


def register(app: App, deps: Deps) -> None:
    def answer(accept: bool, body: dict[str, Any], action: dict[str, Any], client: WebClient,
               respond: Respond, context: BoltContext) -> None:
        intro_id = id_of(action)
        if intro_id is None:
            return
        user, team_id = body["user"]["id"], team_of(context, body)
        with deps.db.session() as session:
            result = intros.answer_intro(session, team_id, intro_id, user, accept, deps.clock())
        if result.outcome is Answer.NOT_A_PARTY:
            respond(**build_not_a_party())
            return
        intro = result.intro
        if intro is None:
            return
        shown = (build_cant_go_ahead() if result.outcome is Answer.CANT_GO_AHEAD
                 else build_consent_answered(intro, user, expired=result.outcome is Answer.EXPIRED))
        here = container_of(body)
        # Replace the pressed message and, if the press came from a reminder, the first DM too.
        for channel, ts in {here, intro.dm_of(user) or here}:
            if channel and ts:
                client.chat_update(channel=channel, ts=ts, **shown)
        if result.outcome is Answer.DECLINED:
            deps.notifier.submit(tell_declined, client, intro, user, result.inactive)
        elif result.outcome is Answer.OPENED:
            deps.notifier.submit(open_group, deps, client, intro, user, result.inactive)
        refresh_homes(deps, client, team_id, *intro.parties, intro.introducer_id)

    @app.action(ids.INTRO_ACCEPT)
    def accept(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
               respond: Respond, context: BoltContext) -> None:
        ack()
        answer(True, body, action, client, respond, context)

    @app.action(ids.INTRO_DECLINE)
    def decline(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                respond: Respond, context: BoltContext) -> None:
        ack()
        answer(False, body, action, client, respond, context)

    @app.action(ids.INTRO_CONNECTED)
    def connected(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                  respond: Respond, context: BoltContext) -> None:
        ack()
        intro_id = id_of(action)
        if intro_id is None:
            return
        user = body["user"]["id"]
        with deps.db.session() as session:
            result = intros.mark_connected(session, team_of(context, body), intro_id, user, deps.clock())
        intro = result.intro
        if intro is None:
            return
        if result.outcome is Connect.NOT_A_PARTY:
            respond(**(build_not_for_introducer(intro.a_id, intro.b_id)
                       if user == intro.introducer_id else build_not_a_party()))
            return
        if result.outcome is Connect.NOT_OPEN:
            return
        channel, ts = container_of(body)
        if channel and ts:
            client.chat_update(channel=channel, ts=ts, **build_group_connected(
                intro.introducer_id, intro.a_id, intro.b_id, intro.reason))
        if result.outcome is Connect.CONNECTED:
            deps.notifier.submit(tell_connected, client, intro, result.inactive)
            refresh_homes(deps, client, intro.team_id, *intro.parties, intro.introducer_id)

    @app.action(ids.INTRO_REQUEST_MAKE)
    def make(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
             respond: Respond, context: BoltContext) -> None:
        ack()
        request_id = id_of(action)
        if request_id is None:
            return
        with deps.db.session() as session:
            result = intros.request_to_make(session, team_of(context, body), request_id,
                                            body["user"]["id"])
        request = result.request
        if result.outcome is RequestAnswer.NOT_YOURS:
            respond(**build_not_a_party())
        elif result.outcome is RequestAnswer.OK and request is not None:
            client.views_open(trigger_id=body["trigger_id"], view=build_intro_modal(
                request.requester_id, request.target_id, request.reason, request.id))
        elif request is not None:
            update_here(client, body, build_request_answered(request))

    @app.action(ids.INTRO_REQUEST_DECLINE)
    def decline_request(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        respond: Respond, context: BoltContext) -> None:
        ack()
        request_id = id_of(action)
        if request_id is None:
            return
        with deps.db.session() as session:
            result = intros.decline_request(session, team_of(context, body), request_id,
                                            body["user"]["id"], deps.clock())
        request = result.request
        if result.outcome is RequestAnswer.NOT_YOURS:
            respond(**build_not_a_party())
            return
        if request is None:
            return
        update_here(client, body, build_request_answered(request))
        if result.outcome is RequestAnswer.DECLINED:
            deps.notifier.submit(send_dm, client, request.requester_id,
                                 build_request_declined_notice(request.connector_id, request.target_id))


def update_here(client: WebClient, body: dict[str, Any], msg: dict[str, Any]) -> None:
    channel, ts = container_of(body)
    if channel and ts:
        client.chat_update(channel=channel, ts=ts, **msg)


def tell_declined(client: WebClient, intro: IntroView, decliner: str, inactive: frozenset[str]) -> None:
    """The introducer hears only that it won't go ahead; the other party, kindly, not who."""
    other = intro.other(decliner)
    if intro.introducer_id not in inactive:
        send_dm(client, intro.introducer_id, build_intro_declined_notice(intro.a_id, intro.b_id))
    if other in inactive:
        return
    dm = intro.dm_of(other)
    if dm is not None:
        client.chat_update(channel=dm[0], ts=dm[1], **build_consent_answered(intro, other))
    send_dm(client, other, build_other_declined_notice(intro.introducer_id, decliner))


def open_group(deps: Deps, client: WebClient, intro: IntroView, last: str,
               inactive: frozenset[str]) -> None:
    """Both said yes: one group DM of the three, the introduction there, the introducer told."""
    with_introducer = intro.introducer_id not in inactive
    members = ([intro.introducer_id] if with_introducer else []) + [intro.a_id, intro.b_id]
    channel = client.conversations_open(users=",".join(members))["channel"]["id"]
    with deps.db.session() as session:
        intros.set_group(session, intro.team_id, intro.id, channel)
    client.chat_postMessage(channel=channel, **build_group_intro(
        intro.introducer_id, intro.a_id, intro.b_id, intro.reason, intro.id))
    first = intro.other(last)
    dm = intro.dm_of(first)
    if dm is not None:
        client.chat_update(channel=dm[0], ts=dm[1], **build_consent_answered(intro, first))
    if with_introducer:
        send_dm(client, intro.introducer_id, build_intro_opened_notice(intro.a_id, intro.b_id))


def tell_connected(client: WebClient, intro: IntroView, inactive: frozenset[str]) -> None:
    if intro.introducer_id not in inactive:
        send_dm(client, intro.introducer_id, build_connected_notice(intro.a_id, intro.b_id))

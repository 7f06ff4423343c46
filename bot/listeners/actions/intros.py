"""Intro buttons: `intro_accept` / `intro_decline` (consent DMs and reminders),
`intro_connected` (group DM, the nudge to say hello), `intro_request_make` /
`intro_request_decline` (the connector's request DM). Neither "not now" is passed on."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.intros import (
    build_consent_answered,
    build_group_connected,
    build_intro_modal,
    build_not_a_party,
    build_not_for_introducer,
    build_request_answered,
)
from bot.blocks.recording import FORM_BUSY, build_busy
from bot.listeners.deps import Deps, team, typed
from bot.listeners.interaction import press_of, replace_here, replace_untracked, reply
from bot.listeners.intro_notices import open_group, post_key, tell_connected
from bot.payloads.interactive import BlockActions
from bot.services import closing, intros, outbox
from bot.services.intros import Answer, Connect, RequestAnswer
from bot.slack.modals import open_modal


def register(app: App, deps: Deps) -> None:
    def answer(accept: bool, context: BoltContext) -> None:
        pressed = typed(context, BlockActions)
        press = press_of(pressed, team(context))
        if press is None:
            return
        user, team_id, now = press.user_id, press.team_id, deps.clock()
        with deps.db.session() as session:
            result = intros.answer_intro(session, team_id, press.item_id, user, accept, now)
            intro = result.intro
            if result.outcome is Answer.NOT_A_PARTY:
                reply(session, team_id, pressed, build_not_a_party(), now, "not_a_party")
                return
            if intro is None:
                return
            replace_untracked(session, team_id, pressed, build_consent_answered(
                intro, user, expired=result.outcome is Answer.EXPIRED), now)
            if result.outcome is Answer.OPENED:
                # "I've started a group chat" waits until there is one.
                open_group(session, intro, result.inactive, now)
            # Every message about it (the consent DM, a reminder, a questions DM) now shows
            # this person's answer, without buttons; the other one's stay as they are. A "not
            # now" is told to nobody else: it closes the intro only when it lapses.
            both = result.outcome in (Answer.OPENED, Answer.CANT_GO_AHEAD)
            closing.ended(session, team_id, closing.INTRO, intro.id, now, only=closing.ASKING,
                          after=post_key(intro.id) if result.outcome is Answer.OPENED else None,
                          to=None if both else user)
            outbox.refresh_home(session, team_id, *intro.parties, intro.introducer_id, now=now)

    @app.action(ids.INTRO_ACCEPT)
    def accept(ack: Ack, context: BoltContext) -> None:
        ack()
        answer(True, context)

    @app.action(ids.INTRO_DECLINE)
    def decline(ack: Ack, context: BoltContext) -> None:
        ack()
        answer(False, context)

    @app.action(ids.INTRO_CONNECTED)
    def connected(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        press = press_of(pressed, team(context))
        if press is None:
            return
        user, team_id, now = press.user_id, press.team_id, deps.clock()
        with deps.db.session() as session:
            result = intros.mark_connected(session, team_id, press.item_id, user, now)
            intro = result.intro
            if intro is None or result.outcome is Connect.NOT_OPEN:
                return
            if result.outcome is Connect.NOT_A_PARTY:
                reply(session, team_id, pressed, build_not_for_introducer(intro.a_id, intro.b_id)
                      if user == intro.introducer_id else build_not_a_party(), now, "not_a_party")
                return
            if result.outcome is Connect.CONNECTED:
                tell_connected(session, intro, result.inactive, now)
            else:  # pressed again: the message shows it, button gone
                replace_here(session, team_id, pressed, build_group_connected(
                    intro.introducer_id, intro.a_id, intro.b_id, intro.reason), now)

    @app.action(ids.INTRO_REQUEST_MAKE)
    def make(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        press = press_of(pressed, team(context))
        if press is None:
            return
        team_id, now = press.team_id, deps.clock()
        with deps.db.session() as session:
            result = intros.request_to_make(session, team_id, press.item_id, press.user_id)
        request = result.request
        if result.outcome is RequestAnswer.OK and request is not None:
            modal = build_intro_modal(request.requester_id, request.target_id, request.reason, request.id)
            if open_modal(client, pressed.trigger_id, modal):
                return
        with deps.db.session() as session:
            if result.outcome is RequestAnswer.NOT_YOURS:
                reply(session, team_id, pressed, build_not_a_party(), now, "not_yours")
            elif result.outcome is RequestAnswer.OK:
                reply(session, team_id, pressed, build_busy(FORM_BUSY), now, "busy")
            elif request is not None:
                replace_here(session, team_id, pressed, build_request_answered(request), now)

    @app.action(ids.INTRO_REQUEST_DECLINE)
    def decline_request(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        press = press_of(pressed, team(context))
        if press is None:
            return
        team_id, now = press.team_id, deps.clock()
        with deps.db.session() as session:
            result = intros.decline_request(session, team_id, press.item_id, press.user_id, now)
            request = result.request
            if result.outcome is RequestAnswer.NOT_YOURS:
                reply(session, team_id, pressed, build_not_a_party(), now, "not_yours")
                return
            if request is None:
                return
            # The request DM loses its buttons; the requester hears nothing until the request
            # would have lapsed unanswered (`close_requests`), and then only that it closed.
            closing.ended(session, team_id, closing.REQUEST, request.id, now)

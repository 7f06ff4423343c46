"""Ask buttons: `ask_offer` ("I can help", on the channel post), `ask_accept` (the asker's
offer DM), `ask_solved` (the asker only: opens "who helped?"), `ask_withdraw`, and a helper's
`offer_done` / `offer_cannot` (the reminder, `/mutual asks`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import constants as ids
from bot.blocks.asks import (
    build_ask_closed,
    build_offer_cannot_reply,
    build_offer_done_dm,
    build_offer_done_reply,
    build_offer_gone,
    build_offered_reply,
    build_only_asker,
    build_own_ask,
    build_solved_modal,
    build_withdrawn,
)
from bot.blocks.offers import build_not_yours
from bot.blocks.recording import FORM_BUSY, build_busy
from bot.listeners.ask_notices import answer_here, open_group, tell_closed, tell_offer
from bot.listeners.deps import Deps, actor, typed
from bot.listeners.interaction import replace_untracked, reply
from bot.payloads.interactive import BlockActions
from bot.services import ask_queries, asks, closing, outbox
from bot.services.ask_posts import refresh_post
from bot.services.asks import Accepted, Closed, Finished, Offered
from bot.services.forget import welcome_back
from bot.services.workspaces import ensure_workspace
from bot.slack.modals import open_modal


def offer_answered(session: Session, team_id: str, pressed: BlockActions, offer_id: int,
                   msg: dict[str, Any], now: datetime, what: str) -> None:
    """The helper answered about their offer: where they pressed it — a reply to a command
    (`/mutual asks`), or the reminder, which may share a questions DM with other questions
    (closed in place, bot.services.closing)."""
    if pressed.container is not None and pressed.container.is_ephemeral:
        answer_here(session, team_id, pressed, msg, now, what)
        return
    closing.ended(session, team_id, closing.OFFER, offer_id, now)
    replace_untracked(session, team_id, pressed, {"text": msg["text"], "blocks": msg["blocks"]}, now)


def register(app: App, deps: Deps) -> None:
    @app.action(ids.ASK_OFFER)
    def offer(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        parsed = asks.parse_offer_value(pressed.action.value or "")
        if parsed is None:
            return
        ask_id, via = parsed
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            ensure_workspace(session, team_id, now)
            result = asks.offer_help(session, team_id, ask_id, user, now, via)
            ask, offered = result.ask, result.offer
            if result.outcome is Offered.NOT_FOUND or ask is None:
                return
            if result.outcome is Offered.OWN_ASK:
                reply(session, team_id, pressed, build_own_ask(), now, "own_ask")
                return
            if result.outcome is Offered.CLOSED:
                reply(session, team_id, pressed, build_ask_closed(ask), now, "closed")
                return
            welcome_back(session, team_id, user)
            if result.outcome is Offered.NEW and offered is not None:
                tell_offer(session, ask, offered, now)
            if result.outcome is Offered.RENEWED:
                refresh_post(session, team_id, ask.id, now)
            reply(session, team_id, pressed, build_offered_reply(
                ask.asker_id, again=result.outcome is Offered.AGAIN,
                renewed=result.outcome is Offered.RENEWED), now, "offered")

    @app.action(ids.ASK_ACCEPT)
    def accept(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        offer_id = pressed.action.value_int
        if offer_id is None:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            outcome, ask, offered = asks.accept_offer(session, team_id, offer_id, user, now)
            if outcome is Accepted.NOT_YOURS:
                reply(session, team_id, pressed, build_not_yours(), now, "not_yours")
            elif outcome is Accepted.CLOSED:
                reply(session, team_id, pressed, build_ask_closed(ask), now, "closed")
            elif outcome is Accepted.GONE and ask is not None:
                reply(session, team_id, pressed, build_offer_gone(ask), now, "gone")
            elif outcome is Accepted.ACCEPTED and ask is not None and offered is not None:
                open_group(session, ask, offered, now)

    @app.action(ids.ASK_SOLVED)
    def solved(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        ask_id = pressed.action.value_int
        if ask_id is None:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            ask = asks.get_ask(session, team_id, ask_id)
            if ask is None:
                return
            refusal = (build_only_asker(ask.asker_id) if ask.asker_id != user
                       else None if ask.is_open else build_ask_closed(ask))
            if refusal is not None:
                reply(session, team_id, pressed, refusal, now, "solved_refused")
                return
            offerers = ask_queries.offers_on(session, team_id, ask.id, asks.ASKER_SEES)
        if open_modal(client, pressed.trigger_id, build_solved_modal(ask, offerers)):
            return
        with deps.db.session() as session:
            if reply(session, team_id, pressed, build_busy(FORM_BUSY), now, "busy") is None:
                ensure_workspace(session, team_id, now)
                outbox.message(session, team_id, f"form_busy:{pressed.trigger_id}", user,
                               build_busy(FORM_BUSY), now)

    @app.action(ids.ASK_WITHDRAW)
    def withdraw(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        ask_id = pressed.action.value_int
        if ask_id is None:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            result = asks.withdraw_ask(session, team_id, ask_id, user, now)
            if result.outcome is Closed.NOT_YOURS:
                reply(session, team_id, pressed, build_not_yours(), now, "not_yours")
            elif result.outcome is Closed.ALREADY:
                reply(session, team_id, pressed, build_ask_closed(result.ask), now, "closed")
            elif result.outcome is Closed.CLOSED and result.ask is not None:
                tell_closed(session, result, now)
                answer_here(session, team_id, pressed, build_withdrawn(result.ask), now, "withdrawn")

    def finish(done: bool, context: BoltContext) -> None:
        pressed = typed(context, BlockActions)
        offer_id = pressed.action.value_int
        if offer_id is None:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            result = asks.finish_offer(session, team_id, offer_id, user, done, now)
            ask, offered = result.ask, result.offer
            if result.outcome is Finished.NOT_YOURS:
                reply(session, team_id, pressed, build_not_yours(), now, "not_yours")
                return
            if ask is None or offered is None:
                return
            if result.outcome in (Finished.CLOSED, Finished.ALREADY):
                offer_answered(session, team_id, pressed, offered.id, build_ask_closed(ask)
                               if not ask.is_open else build_offer_done_reply(ask.asker_id)
                               if offered.status == "done" else build_offer_cannot_reply(),
                               now, "finished")
                return
            if result.outcome is Finished.DONE:
                offer_answered(session, team_id, pressed, offered.id,
                               build_offer_done_reply(ask.asker_id), now, "done")
                outbox.message(session, team_id, f"offer_done:{offered.id}", ask.asker_id,
                               build_offer_done_dm(offered.helper_id, ask), now, subject=str(ask.id))
                return
            # The asker hears nothing now: only when the offer would have lapsed, that the ask
            # is open again (bot/jobs/asks.py, lapse_offers).
            offer_answered(session, team_id, pressed, offered.id, build_offer_cannot_reply(), now,
                           "cannot")

    @app.action(ids.OFFER_DONE)
    def offer_done(ack: Ack, context: BoltContext) -> None:
        ack()
        finish(True, context)

    @app.action(ids.OFFER_CANNOT)
    def offer_cannot(ack: Ack, context: BoltContext) -> None:
        ack()
        finish(False, context)

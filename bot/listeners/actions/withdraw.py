"""`intro_request_withdraw`: the requester no longer needs the introduction. Before the
connector acts, their request DM loses its buttons and says so; an intro already made and
still being asked about is called off — its maker hears it once, and no consent DM is left
waiting for an answer."""

from __future__ import annotations

from datetime import datetime

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot import constants as ids
from bot.blocks.requests import build_request_withdrawn_notice, build_withdraw_reply
from bot.listeners.deps import Deps, actor, typed
from bot.listeners.interaction import reply
from bot.listeners.intro_notices import consent_key, request_key
from bot.payloads.interactive import BlockActions
from bot.services import closing, outbox
from bot.services.intros import IntroView, RequestView
from bot.services.nudges import INTRO_REMINDER
from bot.services.withdraw import Withdraw, withdraw_request

WHY = "intro request withdrawn"


def register(app: App, deps: Deps) -> None:
    @app.action(ids.INTRO_REQUEST_WITHDRAW)
    def withdraw(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        request_id = pressed.action.value_int
        if request_id is None:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            result = withdraw_request(session, team_id, request_id, user, now)
            if result.outcome is Withdraw.NOT_FOUND:
                return
            reply(session, team_id, pressed, build_withdraw_reply(result.outcome, result.request),
                  now, "withdraw")
            request = result.request
            if request is None or result.outcome not in (Withdraw.WITHDRAWN, Withdraw.CALLED_OFF):
                return
            made = result.outcome is Withdraw.CALLED_OFF and result.intro is not None
            tell_connector(session, request, made, now)
            if made and result.intro is not None:
                call_off(session, result.intro, request.requester_id, now)
            outbox.refresh_home(session, team_id, request.requester_id, request.connector_id,
                                request.target_id, now=now)


def tell_connector(session: Session, request: RequestView, intro_made: bool, now: datetime) -> None:
    """Before the connector acted, the request DM is simply never sent, or loses its buttons
    and says it is no longer needed — one message, no second one saying the same. A connector
    who made the intro, now called off, hears it once."""
    if not intro_made:
        if not outbox.cancel_unsent(session, request.team_id, request_key(request.id), WHY):
            closing.ended(session, request.team_id, closing.REQUEST, request.id, now)
        return
    if request.connector_id:
        outbox.message(session, request.team_id, f"intro_request_withdrawn:{request.id}",
                       request.connector_id, build_request_withdrawn_notice(request, intro_made),
                       now)


def call_off(session: Session, intro: IntroView, requester_id: str, now: datetime) -> None:
    """Both consent DMs: unsent ones never go; sent ones (and any reminder) are closed, buttons
    and all, saying it won't go ahead — no one blamed."""
    for party in intro.parties:
        if party:
            outbox.cancel_unsent(session, intro.team_id, consent_key(intro.id, party), WHY)
    closing.ended(session, intro.team_id, closing.INTRO, intro.id, now, only=closing.ASKING)
    outbox.cancel_pending(session, intro.team_id, None, WHY, kind=INTRO_REMINDER,
                          subject=str(intro.id))

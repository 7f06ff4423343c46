"""What an ask tells whom, written to the outbox in the transaction that changes it. Shared by
`/ask`, the ask modal, the buttons on the post and in DMs, and the "who helped?" modal.

Keys name each message once (`ask_offer:<ask>:<helper>` …), so pressing twice, or a retried
request, sends nothing twice. Accepting an offer opens the group DM of the two, then posts into
it, then updates the asker's offer DM — each step waiting for the one before."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.asks import (
    build_group_post,
    build_helped_dm,
    build_offer_accepted,
    build_offer_closed_dm,
    build_offer_dm,
)
from bot.listeners.interaction import replace_here, reply
from bot.payloads.interactive import BlockActions
from bot.services import closing, outbox
from bot.services.ask_posts import (
    ASK_GROUP,
    group_key,
    group_post_key,
    offer_key,
    refresh_post,
)
from bot.services.asks import AskView, CloseResult, OfferView


def tell_offer(session: Session, ask: AskView, offer: OfferView, now: datetime) -> None:
    """The asker hears, privately, who can help."""
    outbox.message(session, ask.team_id, offer_key(ask.id, offer.helper_id), ask.asker_id,
                   build_offer_dm(offer.helper_id, ask, offer.id), now, subject=str(ask.id))


def open_group(session: Session, ask: AskView, offer: OfferView, now: datetime) -> None:
    """The asker took up an offer: a group DM of the two, the ask posted in it, and the
    offer DM updated once that is done; the channel post shows someone is on it."""
    outbox.enqueue(session, ask.team_id, group_key(offer.id), ASK_GROUP, None,
                   {"offer_id": offer.id}, now, now, subject=str(offer.id), priority=outbox.NOW)
    outbox.message_into(session, ask.team_id, group_post_key(offer.id), group_key(offer.id),
                        build_group_post(ask.asker_id, offer.helper_id, ask), now,
                        subject=str(offer.id))
    outbox.update_sent(session, ask.team_id, offer_key(ask.id, offer.helper_id),
                       build_offer_accepted(offer.helper_id, ask), now,
                       after=group_post_key(offer.id))
    refresh_post(session, ask.team_id, ask.id, now)


def tell_closed(session: Session, result: CloseResult, now: datetime) -> None:
    """Solved or withdrawn: the people who helped are thanked, the others who offered are
    thanked for offering, and the channel post shows it closed."""
    ask = result.ask
    assert ask is not None
    for helper in result.helpers:
        outbox.message(session, ask.team_id, f"ask_helped:{ask.id}:{helper}", helper,
                       build_helped_dm(ask.asker_id, ask), now, subject=str(ask.id))
    for offer in result.offers:
        outbox.message(session, ask.team_id, f"ask_closed:{ask.id}:{offer.helper_id}",
                       offer.helper_id, build_offer_closed_dm(ask.asker_id, ask), now,
                       subject=str(ask.id))
    refresh_post(session, ask.team_id, ask.id, now)
    closing.ask_ended(session, ask.team_id, ask.id, now)
    outbox.refresh_home(session, ask.team_id, ask.asker_id, *result.helpers, now=now)


def answer_here(session: Session, team_id: str, press: BlockActions, msg: dict[str, Any],
                now: datetime, what: str) -> None:
    """Replace the message the pressed button sits on: an ephemeral one (a command's reply)
    through its response_url, a DM by chat.update."""
    if press.container is not None and press.container.is_ephemeral:
        reply(session, team_id, press, {**msg, "response_type": "ephemeral",
                                       "replace_original": True}, now, what)
    else:
        replace_here(session, team_id, press, {"text": msg["text"], "blocks": msg["blocks"]}, now)

"""Following asks through, and noticing the over-giver (PRODUCT.md §4b). Planning only writes
outbox rows with unique keys; each kind renders from the database when it goes out, in the
recipient's working hours (they are private nudges: nudges off, a snooze or a deactivation
stop them too).

- one reminder to a helper whose accepted offer has gone quiet (`offer_reminder:<offer>`);
- one private suggestion to an asker nobody has offered to help (`ask_suggestion:<ask>`),
  looked for once;
- asks left open for `ask_expiry_days` close, their post says so and the asker is told;
- at most one note a quarter to someone who helps many and hears back from few."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.asks import build_offer_reminder, build_open_again
from bot.blocks.asks_more import build_ask_expired, build_ask_suggestion
from bot.blocks.offers import build_protect_time
from bot.db.models import OutboxItem, Workspace
from bot.db.session import Database
from bot.db.upsert import insert_ignore
from bot.delivery.kinds import Call, Kind, Rendering, Skip, from_payload, register_kind
from bot.services import ask_queries, asks, closing, questions
from bot.services.ask_match import suggest_helpers
from bot.services.ask_posts import (
    ASK_EXPIRED,
    ASK_SUGGESTION,
    OFFER_REMINDER,
    refresh_post,
)
from bot.services.delivery import Outgoing
from bot.services.giving import PROTECT_TIME, asks_paused_until, over_givers
from bot.services.nudges import active_workspaces
from bot.services.outbox import CANCELLED, PLANNED, enqueue, message


def plan_offer_reminders(db: Database, now: datetime) -> int:
    planned = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            for offer in ask_queries.offers_to_remind(session, workspace, now):
                planned += questions.ask(session, workspace, offer.helper_id,
                                         f"{OFFER_REMINDER}:{offer.id}", OFFER_REMINDER,
                                         str(offer.id), now)
    return planned


def plan_ask_suggestions(db: Database, now: datetime) -> int:
    """One look per ask: a suggestion where there is someone to suggest; otherwise the key is
    taken anyway (cancelled, "nobody to suggest"), so the ask is not searched again."""
    planned = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            for ask in ask_queries.asks_without_offers(session, workspace, now):
                key = f"{ASK_SUGGESTION}:{ask.id}"
                if _taken(session, ask.team_id, key):
                    continue
                if not suggest_helpers(session, ask.team_id, ask.asker_id, ask.text, now):
                    insert_ignore(session, OutboxItem, {
                        "team_id": ask.team_id, "key": key, "kind": ASK_SUGGESTION,
                        "recipient_id": ask.asker_id, "subject": str(ask.id), "payload": "{}",
                        "status": CANCELLED, "priority": PLANNED, "due_at": now, "attempts": 0,
                        "requeue": False, "created_at": now, "last_error": "nobody to suggest"})
                    continue
                planned += enqueue(session, ask.team_id, key, ASK_SUGGESTION, ask.asker_id,
                                   {"ask_id": ask.id}, now, now, subject=str(ask.id))
    return planned


def lapse_offers(db: Database, now: datetime) -> int:
    """An accepted offer the helper couldn't follow through ("Can't after all") is told when
    it would have lapsed, never at the time (PRODUCT.md §4c): the asker hears only that the ask
    is open again — the words used whenever nobody is on it any more — and the post shows it."""
    told = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            for lapsed in asks.lapse_cannot_offers(session, workspace, now):
                ask = lapsed.ask
                if not lapsed.reopened or not ask.asker_id:
                    continue
                # Never who, never why (nor, in its key, which offer).
                told += message(session, ask.team_id,
                                f"ask_open_again:{ask.id}:{now:%Y%m%dT%H%M%S%f}", ask.asker_id,
                                build_open_again(ask), now, subject=str(ask.id),
                                priority=PLANNED)
                refresh_post(session, ask.team_id, ask.id, now)
    return told


def expire_asks(db: Database, now: datetime) -> int:
    """Close asks open for `ask_expiry_days`: the post shows it, the asker hears it."""
    expired = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            for due in ask_queries.asks_to_expire(session, workspace, now):
                ask = asks.expire_ask(session, workspace.team_id, due.id, now)
                if ask is None:
                    continue
                expired += 1
                refresh_post(session, ask.team_id, ask.id, now)
                closing.ask_ended(session, ask.team_id, ask.id, now)
                if ask.asker_id:
                    enqueue(session, ask.team_id, f"{ASK_EXPIRED}:{ask.id}", ASK_EXPIRED,
                            ask.asker_id, {"ask_id": ask.id, "days": workspace.ask_expiry_days},
                            now, now, subject=str(ask.id))
    return expired


def plan_protect_time(db: Database, now: datetime) -> int:
    planned = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            for giver in over_givers(session, workspace, now):
                planned += enqueue(session, workspace.team_id,
                                   f"{PROTECT_TIME}:{giver.user_id}:{now:%Y-%m-%d}", PROTECT_TIME,
                                   giver.user_id, {"window_days": workspace.window_days},
                                   now, now)
    return planned


def _taken(session: Session, team_id: str, key: str) -> bool:
    return session.scalar(select(OutboxItem.id).where(OutboxItem.team_id == team_id,
                                                      OutboxItem.key == key)) is not None


# -- rendering and last checks --------------------------------------------------------------

def _offer_and_ask(session: Session, row: Outgoing) -> tuple[asks.OfferView, asks.AskView] | None:
    offer = asks.get_offer(session, row.team_id, int(row.payload.get("offer_id") or 0))
    ask = asks.get_ask(session, row.team_id, offer.ask_id) if offer is not None else None
    return (offer, ask) if offer is not None and ask is not None else None


def _reminder(r: Rendering) -> Call:
    found = _offer_and_ask(r.session, r.row)
    if found is None:
        raise Skip("the offer is gone")
    offer, ask = found
    return build_offer_reminder(ask.asker_id, ask, offer.id)


def _reminder_wanted(session: Session, workspace: Workspace, row: Outgoing,
                     now: datetime) -> str | None:
    found = _offer_and_ask(session, row)
    if found is None or not found[1].is_open or not found[1].asker_id:
        return "the ask is closed"
    return None if found[0].status == "accepted" else "already followed up"


def _ask_of(session: Session, row: Outgoing) -> asks.AskView | None:
    return asks.get_ask(session, row.team_id, int(row.payload.get("ask_id") or 0))


def _suggestion(r: Rendering) -> Call:
    ask = _ask_of(r.session, r.row)
    if ask is None:
        raise Skip("the ask is gone")
    # Chosen again now: someone may have paused incoming asks since it was planned.
    people = suggest_helpers(r.session, ask.team_id, ask.asker_id, ask.text, r.now)
    if not people:
        raise Skip("nobody to suggest any more")
    return build_ask_suggestion(ask, people)


def _suggestion_wanted(session: Session, workspace: Workspace, row: Outgoing,
                       now: datetime) -> str | None:
    ask = _ask_of(session, row)
    if ask is None or not ask.is_open:
        return "the ask is closed"
    return "someone offered" if ask_queries.has_offers(session, ask.team_id, ask.id) else None


def _expired(r: Rendering) -> Call:
    ask = _ask_of(r.session, r.row)
    if ask is None or not ask.asker_id:
        raise Skip("the ask is gone")
    return build_ask_expired(ask, int(r.payload.get("days") or 0))


def _protect(p: dict[str, Any]) -> Call:
    return build_protect_time(int(p["window_days"]))


def _protect_wanted(session: Session, workspace: Workspace, row: Outgoing,
                    now: datetime) -> str | None:
    paused = asks_paused_until(session, row.team_id, row.recipient_id, now)
    return "incoming asks already paused" if paused else None


register_kind(Kind(OFFER_REMINDER, _reminder, nudge=True, still_wanted=_reminder_wanted))
register_kind(Kind(ASK_SUGGESTION, _suggestion, nudge=True, still_wanted=_suggestion_wanted))
register_kind(Kind(ASK_EXPIRED, _expired, nudge=True))
register_kind(Kind(PROTECT_TIME, from_payload(_protect), nudge=True, still_wanted=_protect_wanted))

"""The outbox side of asks: the kinds of message, their keys, and queueing the channel post
and its refreshes. A post and every refresh of it are rendered from the database when they go
out (bot/delivery/asks.py), so the channel always shows the ask as it stands then, and no
outbox payload carries what the asker typed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.services import outbox
from bot.services.asks import AskView

# Outbox kinds.
ASK_POST = "ask_post"  # the ask in its channel
ASK_REFRESH = "ask_refresh"  # chat.update of that post: open, someone on it, solved, closed
ASK_GROUP = "ask_group"  # conversations.open of the asker and a helper whose offer was accepted
OFFER_REMINDER = "offer_reminder"  # one private reminder about an accepted offer gone quiet
ASK_SUGGESTION = "ask_suggestion"  # to the asker: people who might help, nobody having offered
ASK_EXPIRED = "ask_expired"  # to the asker: the ask closed after a long while


def post_key(ask_id: int) -> str:
    return f"ask:{ask_id}"


def offer_key(ask_id: int, helper_id: str) -> str:
    """The asker's DM about one person's offer (one per person and ask, however often pressed)."""
    return f"ask_offer:{ask_id}:{helper_id}"


def group_key(offer_id: int) -> str:
    return f"{ASK_GROUP}:{offer_id}"


def group_post_key(offer_id: int) -> str:
    return f"ask_group_post:{offer_id}"


def queue_post(session: Session, ask: AskView, now: datetime) -> None:
    """The ask's post in its channel, sent at once."""
    outbox.enqueue(session, ask.team_id, post_key(ask.id), ASK_POST, ask.channel_id,
                   {"ask_id": ask.id}, now, now, subject=str(ask.id), priority=outbox.NOW)


def refresh_post(session: Session, team_id: str, ask_id: int, now: datetime) -> None:
    """Show the ask as it now stands in its channel, once the post is out (a burst of changes
    costs one update)."""
    outbox.coalesce(session, team_id, f"update:{post_key(ask_id)}", ASK_REFRESH, "",
                    {"ask_id": ask_id}, now, subject=str(ask_id), after=post_key(ask_id))

"""Closing what ended (PRODUCT.md §4c): once a thing has ended — expired, withdrawn, taken
back, answered — every message about it that still shows buttons is updated to say so,
without buttons. `ended()` is the one call each ending makes; it finds the messages by what
they are about, so a new message about an intro or a claim is closed with the others as soon
as its key's family is listed here (and its closed form in bot/delivery/closing.py).

Each such message gets a `close` row, sent right after the message itself has gone out and
rendered from the database then — as the thing stands, for its reader (a reader still being
asked keeps their buttons) — with chat.update. A question gathered into someone's questions
DM is closed by re-rendering that whole DM (bot/services/questions.py); one still waiting to
be asked is simply not asked (it renders as no longer wanted)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.models import AskOffer, OutboxItem, Question
from bot.services import outbox
from bot.services.outbox import PENDING, SENDING, SENT

INTRO, CLAIM, REQUEST, HELP, OFFER, ASK = "intro", "claim", "request", "help", "offer", "ask"
# What each kind of thing's messages are called (the prefix of their outbox key, or of a
# gathered question's key); every one of them may show buttons while the thing is open.
FAMILIES: dict[str, tuple[str, ...]] = {
    INTRO: ("consent", "intro_reminder", "intro_silent", "intro_post", "intro_followup"),
    CLAIM: ("claim", "claim_reminder"),
    REQUEST: ("intro_request",),
    HELP: ("followup",),
    OFFER: ("offer_reminder",),
    ASK: ("ask_offer", "ask_open_again", "ask_suggestion"),
}
CLOSE = "close"  # outbox kind: a sent message rendered again as its thing now stands


def family_of(key: str) -> str:
    """`consent` for `consent:12:U1`."""
    return key.split(":", 1)[0]


ASKING = ("consent", "intro_reminder")  # the messages asking the two for their answer
SAYING_HELLO = ("intro_silent", "intro_post")  # the messages with "We've connected"


def ended(session: Session, team_id: str, about: str, subject_id: int | str,
          now: datetime, after: str | None = None, only: tuple[str, ...] | None = None,
          to: str | None = None) -> int:
    """`about` #`subject_id` has ended (or someone answered it): close every message about it
    — those still asking someone who has not answered are left as they are. With `after`, the
    updates wait for that message (an intro's group chat, before "I've started a group
    chat"). `only` narrows it to the families that this change can touch (an intro's answers
    do not change its "was it worth it?"), `to` to the messages one person has (their own
    answer changes nothing the other one reads). Returns how many messages will be updated."""
    families = tuple(f for f in FAMILIES[about] if only is None or f in only)
    subject = str(subject_id)
    like = [OutboxItem.key.like(f"{family}:%") for family in families]
    mine = [OutboxItem.recipient_id == to] if to is not None else []
    rows = session.execute(select(OutboxItem.key, OutboxItem.status, OutboxItem.recipient_id)
                           .where(OutboxItem.team_id == team_id, OutboxItem.subject == subject,
                                  or_(*like), *mine)).all()
    closing = 0
    for key, status, recipient in rows:
        if family_of(key) in families and status in (PENDING, SENDING, SENT):
            # One still to go out is closed right after it (or skipped, if still asking).
            refresh(session, team_id, key, recipient, subject, now, after)
            closing += 1
    theirs = [Question.user_id == to] if to is not None else []
    asked = session.execute(select(Question.asked_in, Question.user_id).where(
        Question.team_id == team_id, Question.subject == subject, Question.kind.in_(families),
        Question.asked_in.is_not(None), *theirs).distinct()).all()
    for asked_in, user_id in asked:
        refresh(session, team_id, str(asked_in), user_id, subject, now, after)
        closing += 1
    return closing


def refresh(session: Session, team_id: str, key: str, recipient: str | None, subject: str,
            now: datetime, after: str | None = None) -> None:
    """Render the message keyed `key` again, from the database, once it has gone out."""
    outbox.coalesce(session, team_id, f"{CLOSE}:{key}", CLOSE, recipient or "", {"of": key}, now,
                    subject=subject, after=after or key)


def ask_ended(session: Session, team_id: str, ask_id: int, now: datetime) -> int:
    """An ask closed (solved, withdrawn, lapsed): its asker's DMs about offers and suggestions,
    and every helper's reminder about their offer, lose their buttons."""
    closing = ended(session, team_id, ASK, ask_id, now)
    offers = session.scalars(select(AskOffer.id).where(AskOffer.team_id == team_id,
                                                       AskOffer.ask_id == ask_id)).all()
    for offer_id in offers:
        closing += ended(session, team_id, OFFER, offer_id, now)
    return closing

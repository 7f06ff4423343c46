"""`/mutual forget` for asks and offers: the person's asks lose their text and their name (an
open one is withdrawn), offers they made lose their name (a standing one is withdrawn), their
"ask me about" list is deleted, and every channel post that showed them is refreshed so it no
longer does. Called by bot/services/forget.py before records are blanked, so the asks they
were thanked for can still be found."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.db.models import Ask, AskMeAbout, AskOffer, HelpRecord, OutboxItem
from bot.services.ask_posts import group_key, group_post_key, offer_key, refresh_post
from bot.services.asks import STANDING


def ask_texts(session: Session, team_id: str, user_id: str) -> set[str]:
    """What the person typed into asks and their list, to find it in unsent messages."""
    texts = set(session.scalars(select(Ask.text).where(Ask.team_id == team_id,
                                                       Ask.asker_id == user_id)))
    texts.update(session.scalars(select(AskMeAbout.text).where(
        AskMeAbout.team_id == team_id, AskMeAbout.user_id == user_id)))
    return {t for t in texts if t}


def forget_asks(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    own = list(session.scalars(select(Ask.id).where(Ask.team_id == team_id, Ask.asker_id == user_id)))
    offered = set(session.scalars(select(AskOffer.ask_id).where(
        AskOffer.team_id == team_id, AskOffer.helper_id == user_id)))
    thanked = {int(key.split(":")[1]) for key in session.scalars(select(HelpRecord.dedupe_key).where(
        HelpRecord.team_id == team_id, HelpRecord.source == "ask", HelpRecord.helper_id == user_id,
        HelpRecord.dedupe_key.startswith("ask:"))) if key and key.split(":")[1].isdigit()}
    _scrub(session, team_id, _private_keys(session, team_id, user_id, own))
    mine = (Ask.team_id == team_id, Ask.asker_id == user_id)
    session.execute(update(Ask).where(*mine, Ask.status == "open")
                    .values(status="withdrawn", closed_at=now))
    session.execute(update(Ask).where(*mine).values(text="", asker_id=None, updated_at=now))
    theirs = (AskOffer.team_id == team_id, AskOffer.helper_id == user_id)
    session.execute(update(AskOffer).where(*theirs, AskOffer.status.in_(STANDING))
                    .values(status="withdrawn"))
    session.execute(update(AskOffer).where(*theirs).values(helper_id=None, updated_at=now))
    session.execute(delete(AskMeAbout).where(AskMeAbout.team_id == team_id,
                                             AskMeAbout.user_id == user_id))
    for ask_id in sorted({*own, *offered, *thanked}):
        refresh_post(session, team_id, ask_id, now)
    return len(own)


def _private_keys(session: Session, team_id: str, user_id: str, own: list[int]) -> list[str]:
    """Keys of the messages between an asker and a helper that a person was one of: once
    sent, such a row still says where it landed (their DM, the group DM of the two)."""
    rows = session.execute(select(AskOffer.id, AskOffer.ask_id, AskOffer.helper_id).where(
        AskOffer.team_id == team_id,
        (AskOffer.helper_id == user_id) | AskOffer.ask_id.in_(own or [-1]))).all()
    keys = []
    for offer_id, ask_id, helper in rows:
        keys += [group_key(offer_id), group_post_key(offer_id), f"offer_done:{offer_id}"]
        if helper:
            keys += [offer_key(ask_id, helper), f"update:{offer_key(ask_id, helper)}"]
    return keys


def _scrub(session: Session, team_id: str, keys: list[str]) -> None:
    """As bot/services/forget.py does for rows naming the person: cancelled if not sent, and
    nothing left that points back to them."""
    for item in session.scalars(select(OutboxItem).where(OutboxItem.team_id == team_id,
                                                         OutboxItem.key.in_(keys))):
        if item.status in ("pending", "sending", "failed"):
            item.status = "cancelled"
        item.key = f"forgotten:{item.id}"
        item.payload = "{}"
        item.recipient_id = item.after_key = item.last_error = None
        item.sent_channel = item.sent_ts = None

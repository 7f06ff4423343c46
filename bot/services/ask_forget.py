"""`/mutual forget` for asks and offers: the person's asks lose their text and their name (an
open one is withdrawn), offers they made lose their name (a standing one is withdrawn), their
"ask me about" list is deleted, and every channel post that showed them is refreshed so it no
longer does. Called by bot/services/forget.py before records are blanked, so the asks they
were thanked for can still be found."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.db.models import Ask, AskMeAbout, AskOffer, HelpRecord
from bot.services.ask_posts import refresh_post
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

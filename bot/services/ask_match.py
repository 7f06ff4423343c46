"""Who might help with an ask nobody has offered on: people whose confirmed help, or whose
"ask me about" list (`/offer`), shares words with it. Simple on purpose: words, minus common
ones, with plurals folded. Only ever shown privately to the asker; nobody is ranked in public.

People who paused incoming asks, deactivated people, bots, people who asked Mutual to forget
them and the asker are never suggested."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import AskMeAbout, HelpRecord, Member
from bot.services.parsing import MENTION, unescape

SUGGEST_MAX = 3
LOOK_BACK = timedelta(days=365)
NOTES_READ = 5000  # the most recent notes read for one ask
ABOUT_WEIGHT = 2  # a word someone offered counts more than one that came up in their help
WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.'-][a-z0-9+#]+)*")
_COMMON = """
a about above after again against all almost also am an and any anyone anything are around as
at be because been before being below best between both but by can could did do does doing done
down during each easy else etc even ever every few find for from further get gets getting give
go going good got had has have having he help helped helping helps her here hers him his how
however i if in into is it its itself just know knows let like looking lot make me more most
much must my need needed needs new no nor not now of off on once one only or other our out over
own please quick quickly really same see she should so some somebody someone something soon
still such sure than thank thanks that the their them then there these they thing things this
those through tips to today too try trying under until up us use using very want wants was way
we well were what when where which while who whom why will with without would yet you your
yours
"""
STOP_WORDS = frozenset(_COMMON.split())


def tokens(text: str) -> set[str]:
    """The words of a text that say what it is about: lower case, no mentions or common
    words, plurals folded ("migrations" → "migration")."""
    return set(words_of(text))


def words_of(text: str) -> dict[str, str]:
    """Each folded word of `tokens`, with the word as it was written (to show it)."""
    plain = MENTION.sub(" ", unescape(text or "")).lower()
    found: dict[str, str] = {}
    for word in WORD.findall(plain):
        if len(word) < 3 or word in STOP_WORDS or word.isdigit():
            continue
        found.setdefault(_fold(word), word)
    return found


def _fold(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass
class Suggestion:
    """Someone who might help, and why: the ask's words their help shared, and their own
    offers as they wrote them."""

    user_id: str
    score: int = 0
    words: set[str] = field(default_factory=set)
    offers: list[str] = field(default_factory=list)
    last: datetime | None = None


def suggest_helpers(session: Session, team_id: str, asker_id: str, text: str, now: datetime,
                    limit: int = SUGGEST_MAX, exclude: Iterable[str] = ()) -> list[Suggestion]:
    """Up to `limit` people who helped with similar things before, best match first."""
    wanted = words_of(text)
    if not wanted:
        return []
    found: dict[str, Suggestion] = {}
    rows = session.execute(select(HelpRecord.helper_id, HelpRecord.note, HelpRecord.created_at).where(
        HelpRecord.team_id == team_id, HelpRecord.status == "confirmed",
        HelpRecord.helper_id.is_not(None), HelpRecord.note != "",
        HelpRecord.created_at >= now - LOOK_BACK)
        .order_by(HelpRecord.created_at.desc(), HelpRecord.id.desc()).limit(NOTES_READ)).all()
    for helper, note, at in rows:
        shared = wanted.keys() & tokens(note)
        if helper and shared:
            match = found.setdefault(helper, Suggestion(helper))
            match.words |= {wanted[w] for w in shared}
            match.last = max(match.last or at, at)
    for about in session.scalars(select(AskMeAbout).where(AskMeAbout.team_id == team_id)
                                 .order_by(AskMeAbout.id)):
        shared = wanted.keys() & tokens(about.text)
        if shared:
            match = found.setdefault(about.user_id, Suggestion(about.user_id))
            match.offers.append(about.text)
            match.score += ABOUT_WEIGHT * len(shared)
    left_out = {asker_id, *exclude} | unavailable(session, team_id, list(found), now)
    ranked = [s for s in found.values() if s.user_id not in left_out]
    for s in ranked:
        s.score += len(s.words)
    oldest = datetime.min.replace(tzinfo=now.tzinfo)
    ranked.sort(key=lambda s: (-s.score, -(s.last or oldest).timestamp(), s.user_id))
    return ranked[:limit]


def unavailable(session: Session, team_id: str, user_ids: list[str], now: datetime) -> set[str]:
    """Those of `user_ids` who must not be suggested to an asker now: deactivated, bots, or
    pausing incoming asks."""
    if not user_ids:
        return set()
    return set(session.scalars(select(Member.user_id).where(
        Member.team_id == team_id, Member.user_id.in_(user_ids),
        (Member.deleted.is_(True)) | (Member.is_bot.is_(True)) | (Member.asks_paused_until > now))))

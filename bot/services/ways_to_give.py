"""Concrete ways to give back, for a one-sided suggestion (PRODUCT.md §4): the helper's own
open asks; open asks of other people the reader already has a tie with ("pass it on"); and
whether any of the help came in without the reader thanking for it themselves.

Thanking records help received; it does not give back. So the suggestion offers a thank-you
only for help the reader has not thanked for in their own words: a `/helped` claim the helper
made that the reader merely confirmed, or an ask marked solved — never for help the reader
recorded with `/thanks`, a reaction or a shortcut."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, Intro
from bot.services.ask_queries import open_asks_by
from bot.services.asks import AskView
from bot.services.counts import partners
from bot.services.intros import deactivated

ASKS_SHOWN = 3
# Records the reader made themselves, in their own words: a thank-you.
THANKED_BY_READER = ("command", "reaction", "shortcut")
# Records the reader did not write as a thank-you: the helper's `/helped` they confirmed, an
# ask they marked solved.
NOT_THANKED = ("claim", "ask")
TIED_INTROS = ("open", "connected")
TIES_MAX = 500  # people looked at for "pass it on": plenty for a suggestion of three asks


@dataclass(frozen=True)
class WaysToGive:
    helper_asks: list[AskView] = field(default_factory=list)  # newest first, at most three
    pass_on: list[AskView] = field(default_factory=list)  # others' asks, newest first, ≤ 3
    unthanked: int = 0  # help from the helper the reader has not thanked for themselves

    @property
    def anything(self) -> bool:
        return bool(self.helper_asks or self.pass_on or self.unthanked)


def ways_to_give(session: Session, team_id: str, reader_id: str, helper_id: str,
                 since: datetime, now: datetime) -> WaysToGive:
    """What the reader could do now: asks they have not offered on yet (nobody who left is
    suggested), and help from `since` they have not thanked for."""
    others = [p for p in tied_people(session, team_id, reader_id) if p not in (helper_id, reader_id)]
    gone = deactivated(session, team_id, [helper_id, *others])
    helper_asks = ([] if helper_id in gone else
                   open_asks_by(session, team_id, [helper_id], ASKS_SHOWN, not_offered_by=reader_id))
    others = [p for p in others if p not in gone]
    pass_on = open_asks_by(session, team_id, others, ASKS_SHOWN, not_offered_by=reader_id)
    return WaysToGive(helper_asks, pass_on,
                      unthanked(session, team_id, reader_id, helper_id, since, now))


def tied_people(session: Session, team_id: str, user_id: str) -> list[str]:
    """People `user_id` helped or was helped by (confirmed), or was introduced to or by."""
    people = partners(session, team_id, user_id, TIES_MAX)
    for a, b, introducer in session.execute(select(Intro.a_id, Intro.b_id, Intro.introducer_id).where(
            Intro.team_id == team_id, Intro.status.in_(TIED_INTROS),
            or_(Intro.a_id == user_id, Intro.b_id == user_id)).limit(TIES_MAX)):
        people.update(p for p in (a, b, introducer) if p)
    people.discard(user_id)
    return sorted(p for p in people if p)


def unthanked(session: Session, team_id: str, reader_id: str, helper_id: str,
              since: datetime, now: datetime) -> int:
    """Help from `helper_id` to `reader_id` since `since` that the reader did not record as a
    thank-you, and has not thanked the helper for since it was recorded."""
    hr = HelpRecord
    pair = [hr.team_id == team_id, hr.helper_id == helper_id, hr.receiver_id == reader_id,
            hr.status == "confirmed", hr.created_at >= since, hr.created_at <= now]
    last_thanks = session.scalar(select(func.max(hr.created_at)).where(
        *pair, hr.source.in_(THANKED_BY_READER)))
    query = select(func.count()).select_from(hr).where(*pair, hr.source.in_(NOT_THANKED))
    if last_thanks is not None:
        query = query.where(hr.created_at > last_thanks)
    return int(session.scalar(query) or 0)


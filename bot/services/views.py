"""A person's own view of their relationships: `/mutual me`, `/mutual with @a`, App Home."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, union_all
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, Member, Workspace
from bot.services.counts import between_all_time, window_params, window_rows
from bot.services.followups import IntroWorth, intro_worth
from bot.services.intros import IntroView, open_intros_for
from bot.services.offers import offers_of
from bot.services.open_things import OpenThings, open_things
from bot.services.recording import Recorded, pending_claims_for
from bot.services.undo import UNDOABLE, recent_thanks_given

THANKS_GIVEN_SHOWN = 5


@dataclass(frozen=True)
class Pair:
    """One relationship as seen by the viewer: help given to `other_id` and received from them."""

    other_id: str
    given: int
    received: int

    @property
    def two_way(self) -> bool:
        return self.given > 0 and self.received > 0


@dataclass(frozen=True)
class PassingOn:
    """Someone who helped the viewer often, with nothing given back to them, while the viewer
    helped others: paying it forward, so no suggestion to give back (see balance.py)."""

    other_id: str
    received: int
    others_helped: int  # people the viewer helped over the window (named ones)
    times_helped: int  # how often, counting help to people since forgotten


@dataclass(frozen=True)
class PersonalView:
    user_id: str
    window_days: int
    one_sided_min: int
    given: int
    received: int
    two_way: list[Pair]
    # They helped you, you haven't helped them back yet — the most help first.
    received_only: list[Pair]
    # You helped them, they haven't had the chance to return it yet.
    given_only: list[Pair]
    open_intros: list[IntroView]
    claims_awaiting: list[Recorded]
    nudges_enabled: bool = True
    snoozed_until: datetime | None = None
    passing_on: list[PassingOn] = field(default_factory=list)
    intro_worth: IntroWorth | None = None  # about the viewer's own intros, from the floor up
    # The thank-yous they gave lately (newest first): the Home offers to take each back.
    thanks_given: list[HistoryItem] = field(default_factory=list)
    # What they started that is still open (claims, asks, offers, "ask me about").
    open_things: OpenThings | None = None

    @property
    def empty(self) -> bool:
        return not (self.given or self.received or self.open_intros or self.claims_awaiting
                    or self.intro_worth)


@dataclass(frozen=True)
class HistoryItem:
    helper_id: str
    receiver_id: str
    note: str
    source: str
    created_at: datetime
    record_id: int = 0

    def takeable_by(self, user_id: str) -> bool:
        """A thank-you `user_id` gave, which they may take back (bot.services.undo)."""
        return self.receiver_id == user_id and self.source in UNDOABLE and self.record_id > 0


@dataclass(frozen=True)
class History:
    user_id: str
    other_id: str
    window_days: int
    given_window: int
    received_window: int
    given_all: int
    received_all: int
    recent: list[HistoryItem] = field(default_factory=list)
    their_offers: list[str] = field(default_factory=list)  # what `other` can be asked about
    # Help can still be recorded with them (not deactivated, not a bot, as Mutual last saw).
    recordable: bool = True


def personal_view(session: Session, workspace: Workspace, user_id: str, now: datetime) -> PersonalView:
    """Counts over the workspace's window (90 days by default), from confirmed records only."""
    team_id = workspace.team_id
    since = now - timedelta(days=workspace.window_days)
    rows = _pairs_of(session, team_id, user_id, since, now)
    given = received = 0
    per_other: dict[str, list[int]] = {}
    gone: set[str] = set()
    for helper, receiver, count, left in rows:
        if helper == receiver:
            continue
        mine_given = helper == user_id
        other = receiver if mine_given else helper
        if mine_given:
            given += count
        else:
            received += count
        # Someone who asked Mutual to forget them still counts for you, but is never named.
        if other is None:
            continue
        slot = per_other.setdefault(other, [0, 0])
        slot[0 if mine_given else 1] += count
        if left:
            gone.add(other)
    pairs = [Pair(o, g, r) for o, (g, r) in per_other.items() if o not in gone]
    member = session.get(Member, (team_id, user_id))
    received_only = sorted((p for p in pairs if p.received and not p.given),
                           key=lambda p: (-p.received, p.other_id))
    return PersonalView(
        user_id=user_id,
        window_days=workspace.window_days,
        one_sided_min=workspace.one_sided_min,
        given=given,
        received=received,
        two_way=sorted((p for p in pairs if p.two_way),
                       key=lambda p: (-(p.given + p.received), p.other_id)),
        received_only=received_only,
        given_only=sorted((p for p in pairs if p.given and not p.received),
                          key=lambda p: (-p.given, p.other_id)),
        open_intros=open_intros_for(session, team_id, user_id),
        claims_awaiting=pending_claims_for(session, team_id, user_id),
        nudges_enabled=member.nudges_enabled if member is not None else True,
        snoozed_until=member.snoozed_until if member is not None and member.snoozed_until
        and member.snoozed_until > now else None,
        passing_on=_passing_on(workspace, received_only, pairs, given),
        intro_worth=intro_worth(session, team_id, user_id, since),
        thanks_given=[HistoryItem(r.helper_id or "", user_id, r.note, r.source, r.created_at, r.id)
                      for r in recent_thanks_given(session, team_id, user_id, since,
                                                   THANKS_GIVEN_SHOWN)],
        open_things=open_things(session, team_id, user_id, now),
    )


def _pairs_query() -> Any:
    def side(w: Any) -> Any:
        # The other person's member row says whether they have left (a primary-key lookup
        # per pair, in the same statement).
        mine_given = w.c.helper_id == bindparam("user")
        other = case((mine_given, w.c.receiver_id), else_=w.c.helper_id)
        left = select(Member.deleted).where(Member.team_id == bindparam("w_team"),
                                            Member.user_id == other).scalar_subquery()
        return (select(w.c.helper_id, w.c.receiver_id, func.sum(w.c.n), left)
                .group_by(w.c.helper_id, w.c.receiver_id))

    # The kept counts of the window, one half per side, each read along its (team, person,
    # day) index — a single OR of the two sides made the database walk the whole workspace.
    return union_all(side(window_rows("gave", helper=bindparam("user"))),
                     side(window_rows("got", receiver=bindparam("user"),
                                      not_helper=bindparam("user"))))


# Built once: every Home and `/mutual me` runs it, and building it cost more than running it.
_PAIRS = _pairs_query()


def _pairs_of(session: Session, team_id: str, user_id: str, since: datetime,
              now: datetime) -> list[tuple[str | None, str | None, int, bool]]:
    """(helper, receiver, count, whether the other person has left) of this person's
    confirmed help in the window, from the kept counts."""
    rows = session.execute(_PAIRS, {**window_params(team_id, since, now), "user": user_id})
    return [(h, r, int(c), bool(gone)) for h, r, c, gone in rows]


def _passing_on(workspace: Workspace, received_only: list[Pair], pairs: list[Pair],
                given: int) -> list[PassingOn]:
    """The one-sided relationships (by the workspace's threshold) of someone who passes help
    on. All their giving went to others: none went to these helpers."""
    if given < workspace.forward_min:
        return []
    others = sum(1 for p in pairs if p.given)
    return [PassingOn(p.other_id, p.received, others, given) for p in received_only
            if p.received >= workspace.one_sided_min]


def _recordable(session: Session, team_id: str, user_id: str) -> bool:
    member = session.get(Member, (team_id, user_id))
    return member is None or not (member.deleted or member.is_bot)


_BETWEEN_WINDOW = window_rows("between")


def history_with(session: Session, workspace: Workspace, user_id: str, other_id: str,
                 now: datetime, recent: int = 10) -> History:
    """Everything confirmed between two people, both directions; the latest few in full."""
    team_id = workspace.team_id
    since = now - timedelta(days=workspace.window_days)
    between = (
        HelpRecord.team_id == team_id, HelpRecord.status == "confirmed",
        or_((HelpRecord.helper_id == user_id) & (HelpRecord.receiver_id == other_id),
            (HelpRecord.helper_id == other_id) & (HelpRecord.receiver_id == user_id)),
    )
    w = _BETWEEN_WINDOW
    in_window = dict(session.execute(
        select(w.c.helper_id, func.sum(w.c.n)).where(
            or_(and_(w.c.helper_id == user_id, w.c.receiver_id == other_id),
                and_(w.c.helper_id == other_id, w.c.receiver_id == user_id)))
        .group_by(w.c.helper_id), window_params(team_id, since, now)).all())
    total = between_all_time(session, team_id, user_id, other_id)
    by_helper = {h: (total.get(h, 0), int(in_window.get(h) or 0)) for h in (user_id, other_id)}
    latest = session.scalars(
        select(HelpRecord).where(*between)
        .order_by(HelpRecord.created_at.desc(), HelpRecord.id.desc()).limit(recent)
    ).all()
    return History(
        user_id=user_id,
        other_id=other_id,
        window_days=workspace.window_days,
        given_window=by_helper.get(user_id, (0, 0))[1],
        received_window=by_helper.get(other_id, (0, 0))[1],
        given_all=by_helper.get(user_id, (0, 0))[0],
        received_all=by_helper.get(other_id, (0, 0))[0],
        recent=[HistoryItem(r.helper_id or "", r.receiver_id or "", r.note, r.source, r.created_at,
                            r.id) for r in latest],
        their_offers=[o.text for o in offers_of(session, team_id, other_id)],
        recordable=_recordable(session, team_id, other_id),
    )

"""One-sided relationships: `h` helped `r` at least `one_sided_min` times over the window and
`r` helped `h` not once — unless `r` is passing it on: over the same window `r` helped other
people at least `forward_min` times (help is often repaid forward, to someone else, rather
than back). A suggestion also waits for its time (`_timely`): help spread over days, and
none between the two just now. Found with one set-based query per workspace.

The records are folded onto unordered pairs (the smaller id first) and both directions are
counted in the same pass, so the cost is one GROUP BY over the window, like a hand-written
report's: no self-join, and no Python loop over records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Exists,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from bot.db.models import GUESTS_FULL, HelpRecord, Member, MutedPair, OutboxItem, Workspace
from bot.services.counts import window_params, window_rows
from bot.services.nudges import ONE_SIDED
from bot.services.outbox import LIVE

AGGREGATION_WORK_MEM = "64MB"  # PostgreSQL only, per detection transaction


@dataclass(frozen=True)
class OneSided:
    team_id: str
    helper_id: str
    receiver_id: str
    count: int
    last_at: datetime
    # Help the receiver gave other people over the window (fewer than `forward_min`).
    passed_on: int = 0


def window_start(workspace: Workspace, now: datetime) -> datetime:
    """Records at or after this instant are "over the last `window_days` days"."""
    return now - timedelta(days=workspace.window_days)


def one_sided_pairs(session: Session, workspace: Workspace, now: datetime,
                    *, apply_cooldowns: bool = True,
                    among: set[str] | None = None) -> list[OneSided]:
    """Every one-sided pair in the workspace that may be nudged now, at most one per receiver
    (the strongest: most help, then most recent). Only `confirmed` records count; deactivated
    people, muted pairs, receivers with nudges off or snoozed, and guests (unless the
    workspace treats them like everyone) are left out; with
    `apply_cooldowns`, so are receivers nudged within `person_cooldown_days` and pairs within
    `pair_cooldown_days`. A receiver who helped others at least `forward_min` times over the
    window is passing it on and is left out too. `among`: only pairs with one of these people
    in them (bot.services.planning: those whose situation changed since the last run)."""
    team = workspace.team_id
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        _tune_for_aggregation(session)
    # The window's help, from the kept counts (whole days) and the records (its edge days).
    people = sorted(among) if among is not None else None
    hr = window_rows("help", among=people)
    # Each bucket lands on its unordered pair (smaller id first); both directions are counted
    # in the same pass. Any consistent order will do, so PostgreSQL compares bytes ("C").
    ordered = (hr.c.helper_id.collate("C") < hr.c.receiver_id.collate("C") if postgres
               else hr.c.helper_id < hr.c.receiver_id)
    low = case((ordered, hr.c.helper_id), else_=hr.c.receiver_id)
    high = case((ordered, hr.c.receiver_id), else_=hr.c.helper_id)
    low_gave = func.sum(case((ordered, hr.c.n), else_=0))
    high_gave = func.sum(case((ordered, 0), else_=hr.c.n))
    minimum = workspace.one_sided_min
    pairs = (
        select(low.label("low"), high.label("high"), low_gave.label("low_gave"),
               high_gave.label("high_gave"), func.max(hr.c.last_at).label("last_at"),
               func.min(hr.c.first_at).label("first_at"))
        .where(hr.c.helper_id.is_not(None), hr.c.receiver_id.is_not(None),
               hr.c.helper_id != hr.c.receiver_id)
        .group_by(low, high)
        .having(or_(and_(low_gave >= minimum, high_gave == 0),
                    and_(high_gave >= minimum, low_gave == 0)))
        .subquery("pairs")
    )
    # Everything each person gave over the window. A receiver of a one-sided pair gave its
    # helper nothing, so all of it went to other people: that is what they passed on.
    given = window_rows("given", among=people)
    gave = (select(given.c.helper_id.label("giver"), func.sum(given.c.n).label("given"))
            .where(given.c.helper_id.is_not(None), _not_self(given))
            .group_by(given.c.helper_id).subquery("gave"))
    low_is_helper = pairs.c.low_gave > 0
    helper = case((low_is_helper, pairs.c.low), else_=pairs.c.high).label("helper")
    receiver = case((low_is_helper, pairs.c.high), else_=pairs.c.low).label("receiver")
    count = (pairs.c.low_gave + pairs.c.high_gave).label("n")
    passed_on = func.coalesce(gave.c.given, 0).label("passed_on")
    not_nudged = [Member.deleted.is_(True), Member.is_bot.is_(True),
                  Member.nudges_enabled.is_(False), Member.snoozed_until > now]
    if workspace.guests != GUESTS_FULL:  # guests are never nudged unless treated like everyone
        not_nudged.append(Member.is_guest.is_(True))
    conditions = [
        *_timely(pairs.c.first_at, pairs.c.last_at, workspace, now, postgres),
        passed_on < workspace.forward_min,
        ~_member_where(team, receiver, or_(*not_nudged)),
        ~_member_where(team, helper, or_(Member.deleted.is_(True), Member.is_bot.is_(True))),
        ~exists().where(MutedPair.team_id == team, MutedPair.user_id == receiver,
                        MutedPair.other_id == helper),
    ]
    if apply_cooldowns:
        conditions += [
            ~_nudged_since(team, receiver, None, now - timedelta(days=workspace.person_cooldown_days)),
            ~_nudged_since(team, receiver, helper,
                           now - timedelta(days=workspace.pair_cooldown_days)),
        ]
    rank = func.row_number().over(partition_by=receiver, order_by=(count.desc(),
                                                                   pairs.c.last_at.desc(),
                                                                   helper))
    ranked = (select(helper, receiver, count, pairs.c.last_at, passed_on, rank.label("rank"))
              .select_from(pairs.outerjoin(gave, gave.c.giver == receiver))
              .where(*conditions).subquery("ranked"))
    rows = session.execute(
        select(ranked.c.helper, ranked.c.receiver, ranked.c.n, ranked.c.last_at,
               ranked.c.passed_on)
        .where(ranked.c.rank == 1).order_by(ranked.c.receiver),
        window_params(team, window_start(workspace, now), now)).all()
    return [OneSided(team, h, r, int(n), _aware(last), int(given))
            for h, r, n, last, given in rows]


# -- when a suggestion may come (PRODUCT.md §4, §4c) --------------------------------------------
# Not hard on the heels of help: the latest help between the two (either way) at least
# `one_sided_quiet_days` ago; and not for a burst: the help spread over at least
# `one_sided_spread_days` (so never help given on a single day). It doesn't have to be now.

def _timely(first_at: ColumnElement[Any], last_at: ColumnElement[Any], workspace: Workspace,
            now: datetime, postgres: bool) -> list[ColumnElement[bool]]:
    """The timing clause of a one-sided pair, on its first and latest help between the two."""
    quiet_since = now - timedelta(days=workspace.one_sided_quiet_days)
    return [last_at <= quiet_since,
            _days_between(first_at, last_at, postgres) >= max(1, workspace.one_sided_spread_days)]


def _days_between(first: ColumnElement[Any], last: ColumnElement[Any],
                  postgres: bool) -> ColumnElement[Any]:
    if postgres:
        return func.extract("epoch", last - first) / 86400.0
    return func.julianday(last) - func.julianday(first)


def timely(workspace: Workspace, first_at: datetime, last_at: datetime, now: datetime) -> bool:
    """The same clause in Python, checked again just before a suggestion goes out."""
    spread = timedelta(days=max(1, workspace.one_sided_spread_days))
    return (last_at <= now - timedelta(days=workspace.one_sided_quiet_days)
            and last_at - first_at >= spread)


def _not_self(rows: Any) -> ColumnElement[bool]:
    # Help given to someone later forgotten (receiver blanked) was still given.
    return or_(rows.c.receiver_id.is_(None), rows.c.receiver_id != rows.c.helper_id)


def _tune_for_aggregation(session: Session) -> None:
    """For this transaction only: room to aggregate a large window in memory rather than
    spilling to disk, and no JIT (compiling this plan costs more than it saves)."""
    session.execute(text(f"SET LOCAL work_mem = '{AGGREGATION_WORK_MEM}'"))
    session.execute(text("SET LOCAL jit = off"))


def _member_where(team: str, user_column: ColumnElement[Any],
                  condition: ColumnElement[bool]) -> Exists:
    return exists().where(Member.team_id == team, Member.user_id == user_column, condition)


def _nudged_since(team: str, recipient: ColumnElement[Any], subject: ColumnElement[Any] | None,
                  since: datetime) -> Exists:
    """A one-sided nudge to `recipient` (about `subject`, if given) that is still to go out, or
    went out after `since` (exactly a cooldown ago is long enough)."""
    conditions = [OutboxItem.team_id == team, OutboxItem.kind == ONE_SIDED, OutboxItem.recipient_id == recipient,
                  or_(OutboxItem.status.in_(LIVE), and_(OutboxItem.status == "sent", OutboxItem.sent_at > since))]
    if subject is not None:
        conditions.append(OutboxItem.subject == subject)
    return exists().where(*conditions)


def still_one_sided(session: Session, workspace: Workspace, helper_id: str, receiver_id: str,
                    now: datetime) -> bool:
    """Checked again just before a nudge goes out: the receiver may have given back since, the
    help may have been taken back, or the helper may have helped again just now."""
    params = window_params(workspace.team_id, window_start(workspace, now), now)
    back = _GAVE_BACK
    gave_back = session.scalar(select(literal(1)).select_from(back).where(
        back.c.helper_id == receiver_id, back.c.receiver_id == helper_id).limit(1), params)
    if gave_back:
        return False
    pair = _PAIR
    received, first_at, last_at = session.execute(select(
        func.sum(pair.c.n), func.min(pair.c.first_at), func.max(pair.c.last_at)).where(
        pair.c.helper_id == helper_id, pair.c.receiver_id == receiver_id), params).one()
    if (received or 0) < workspace.one_sided_min or first_at is None or last_at is None:
        return False
    if not timely(workspace, _aware(first_at), _aware(last_at), now):
        return False
    return passed_on(session, workspace, receiver_id, now) < workspace.forward_min


_GAVE_BACK, _PAIR = window_rows("back"), window_rows("pair")
_PASSED = window_rows("passed", helper=bindparam("user"))


def passed_on(session: Session, workspace: Workspace, user_id: str, now: datetime) -> int:
    """How often `user_id` helped anyone over the window (called for a receiver who gave
    their helper nothing, so it is all help passed on to others)."""
    w = _PASSED
    return int(session.scalar(select(func.sum(w.c.n)).where(_not_self(w)), {
        **window_params(workspace.team_id, window_start(workspace, now), now),
        "user": user_id}) or 0)


def recent_notes(session: Session, team_id: str, helper_id: str, receiver_id: str,
                 since: datetime, limit: int = 3) -> list[str]:
    """The latest non-empty notes of help `helper` gave `receiver`, newest first."""
    hr = HelpRecord
    return list(session.scalars(
        select(hr.note).where(hr.team_id == team_id, hr.helper_id == helper_id,
                              hr.receiver_id == receiver_id, hr.status == "confirmed",
                              hr.created_at >= since, hr.note != "")
        .order_by(hr.created_at.desc(), hr.id.desc()).limit(limit)
    ))


def _aware(value: datetime | str) -> datetime:
    # Through a subquery the driver may hand back SQLite's naive UTC text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

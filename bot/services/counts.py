"""Kept counts (`help_counts`): confirmed help per (helper, receiver, UTC day, source).

bot.services.recording — the only writer of help records — keeps them in the same transaction
as every change to a record: a new confirmed record adds one with a single upsert; anything
that takes one away (retracted, taken back, a reaction removed, a person forgotten) recounts
the buckets it touched from their records, which is bounded by one pair's help on one day.
`recount` rebuilds them all (`mutual db recount`).

Readers sum a window from `window_rows`: whole days from the kept counts, and the two partial
days at its edges from the records themselves, so a window edge stays exact to the second
however long the history is."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy import (
    cast as sql_cast,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db.models import HelpCount, HelpRecord

_COUNTS = cast(Table, HelpCount.__table__)
_RECORDS = cast(Table, HelpRecord.__table__)
CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Bucket:
    team_id: str
    helper_id: str  # "" for a forgotten person
    receiver_id: str
    day: date
    source: str


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def bucket_of(team_id: str, helper_id: str | None, receiver_id: str | None, source: str,
              created_at: datetime) -> Bucket:
    return Bucket(team_id, helper_id or "", receiver_id or "", day_of(created_at), source)


# -- writing -------------------------------------------------------------------------------


@functools.cache
def _add_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO UPDATE n = n + 1: one statement per new confirmed record."""
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_COUNTS)
    least, greatest = (func.least, func.greatest) if dialect == "postgresql" else (func.min, func.max)
    return stmt.on_conflict_do_update(
        index_elements=["team_id", "helper_id", "receiver_id", "day", "source"],
        set_={"n": _COUNTS.c.n + stmt.excluded.n,
              # An emptied bucket (kept at zero) starts again from this record.
              "first_at": case((_COUNTS.c.n == 0, stmt.excluded.first_at),
                               else_=least(_COUNTS.c.first_at, stmt.excluded.first_at)),
              "last_at": case((_COUNTS.c.n == 0, stmt.excluded.last_at),
                              else_=greatest(_COUNTS.c.last_at, stmt.excluded.last_at)),
              "changed_at": stmt.excluded.changed_at})


def added(session: Session, team_id: str, helper_id: str | None, receiver_id: str | None,
          source: str, created_at: datetime, now: datetime, n: int = 1) -> None:
    """`n` records of this bucket became confirmed (new, or brought back)."""
    session.execute(_add_statement(session.get_bind().dialect.name), {
        "team_id": team_id, "helper_id": helper_id or "", "receiver_id": receiver_id or "",
        "day": day_of(created_at), "source": source, "n": n, "first_at": created_at,
        "last_at": created_at, "changed_at": now})


def _day_expr(dialect: str, column: Any) -> Any:
    if dialect == "postgresql":
        return sql_cast(func.timezone("UTC", column), Date)
    return func.date(column)


def _side(column: Any, value: str) -> ColumnElement[bool]:
    return column.is_(None) if value == "" else column == value


_DELETE_BUCKET = delete(_COUNTS).where(
    _COUNTS.c.team_id == bindparam("team_id"), _COUNTS.c.helper_id == bindparam("helper_id"),
    _COUNTS.c.receiver_id == bindparam("receiver_id"), _COUNTS.c.day == bindparam("day"),
    _COUNTS.c.source == bindparam("source"))


def refresh(session: Session, buckets: Iterable[Bucket], now: datetime) -> None:
    """Recount these buckets from their records (after a record stopped counting)."""
    hr = _RECORDS.c
    for b in dict.fromkeys(buckets):
        start = literal(midnight(b.day), HelpCount.first_at.type)
        session.execute(_DELETE_BUCKET, {"team_id": b.team_id, "helper_id": b.helper_id,
                                         "receiver_id": b.receiver_id, "day": b.day,
                                         "source": b.source})
        # An emptied bucket stays, at zero, so the planning sees that it changed.
        source = (select(literal(b.team_id), literal(b.helper_id), literal(b.receiver_id),
                         literal(b.day, Date), literal(b.source), func.count(),
                         func.coalesce(func.min(hr.created_at), start),
                         func.coalesce(func.max(hr.created_at), start),
                         literal(now, HelpCount.changed_at.type))
                  .where(hr.team_id == b.team_id, _side(hr.helper_id, b.helper_id),
                         _side(hr.receiver_id, b.receiver_id), hr.source == b.source,
                         hr.status == CONFIRMED, hr.created_at >= start,
                         hr.created_at < midnight(b.day + timedelta(days=1))))
        session.execute(insert(_COUNTS).from_select(_COLUMNS, source))


_COLUMNS = ["team_id", "helper_id", "receiver_id", "day", "source", "n", "first_at", "last_at",
            "changed_at"]


def _recounted(dialect: str, team_id: str | None, now: datetime,
               *where: ColumnElement[bool]) -> Select[Any]:
    hr = _RECORDS.c
    day = _day_expr(dialect, hr.created_at)
    helper, receiver = func.coalesce(hr.helper_id, ""), func.coalesce(hr.receiver_id, "")
    conditions = [hr.status == CONFIRMED, *where]
    if team_id is not None:
        conditions.append(hr.team_id == team_id)
    return (select(hr.team_id, helper, receiver, day, hr.source, func.count(),
                   func.min(hr.created_at), func.max(hr.created_at),
                   literal(now, HelpCount.changed_at.type))
            .where(*conditions).group_by(hr.team_id, helper, receiver, day, hr.source))


def recount(session: Session, now: datetime, team_id: str | None = None) -> int:
    """Rebuild the kept counts from the records (one workspace, or all). Returns the buckets."""
    dialect = session.get_bind().dialect.name
    gone = delete(_COUNTS)
    if team_id is not None:
        gone = gone.where(_COUNTS.c.team_id == team_id)
    session.execute(gone)
    session.execute(insert(_COUNTS).from_select(_COLUMNS, _recounted(dialect, team_id, now)))
    return int(session.scalar(select(func.count()).select_from(_COUNTS).where(
        *([_COUNTS.c.team_id == team_id] if team_id is not None else []))) or 0)


def forgotten(session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """After a person's records were blanked: their buckets, and every bucket of a forgotten
    side in the workspace, recounted from the records that now hold NULL."""
    c = _COUNTS.c
    session.execute(delete(_COUNTS).where(
        c.team_id == team_id, or_(c.helper_id.in_((user_id, "")), c.receiver_id.in_((user_id, "")))))
    hr = _RECORDS.c
    session.execute(insert(_COUNTS).from_select(_COLUMNS, _recounted(
        session.get_bind().dialect.name, team_id, now,
        or_(hr.helper_id.is_(None), hr.receiver_id.is_(None)))))


def kept(session: Session, team_id: str | None = None) -> set[tuple[Any, ...]]:
    """The kept counts as plain tuples (what a recount must reproduce)."""
    c = _COUNTS.c
    query = select(c.team_id, c.helper_id, c.receiver_id, c.day, c.source, c.n, c.first_at,
                   c.last_at).where(c.n > 0)  # an emptied bucket is kept at zero
    if team_id is not None:
        query = query.where(c.team_id == team_id)
    return {tuple(row) for row in session.execute(query)}


def expected(session: Session, team_id: str | None = None) -> set[tuple[Any, ...]]:
    """What a recount would keep, without writing it."""
    dialect = session.get_bind().dialect.name
    sub = _recounted(dialect, team_id, datetime.now(UTC)).subquery()
    rows = session.execute(select(*list(sub.c)[:8])).all()
    return {(t, h, r, d if isinstance(d, date) else date.fromisoformat(d), s, int(n),
             _aware(f), _aware(last)) for t, h, r, d, s, n, f, last in rows}


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# -- reading a window ----------------------------------------------------------------------


def window_params(team_id: str, start: datetime, now: datetime) -> dict[str, Any]:
    """The parameters of `window_rows` for the window [start, now]."""
    start_day, now_day = day_of(start), day_of(now)
    return {"w_team": team_id, "w_start": start, "w_now": now, "w_start_day": start_day,
            "w_now_day": now_day, "w_start_next": midnight(start_day + timedelta(days=1)),
            "w_now_floor": midnight(now_day)}


def window_rows(name: str = "w", helper: Any = None, receiver: Any = None,
                not_helper: Any = None, end_open: bool = False,
                among: list[str] | None = None) -> Any:
    """A subquery of (helper_id, receiver_id, source, n, first_at, last_at) for the confirmed
    help of a window (`window_params`): whole days inside it from the kept counts, the days at
    its two edges from the records (`end_open`: up to but not including its end). A forgotten
    side reads NULL, as in the records. `helper`,
    `receiver` (a value or bind parameter) narrow both halves; `not_helper` keeps rows whose
    helper is blank or differs; `among` keeps the pairs with one of these people in them."""
    c, hr = _COUNTS.c, _RECORDS.c
    kept_rows = select(func.nullif(c.helper_id, "").label("helper_id"),
                       func.nullif(c.receiver_id, "").label("receiver_id"), c.source,
                       c.n.label("n"), c.first_at.label("first_at"), c.last_at.label("last_at")
                       ).where(c.team_id == bindparam("w_team"), c.n > 0,
                               c.day > bindparam("w_start_day", type_=Date),
                               c.day < bindparam("w_now_day", type_=Date))
    edge_rows = select(hr.helper_id, hr.receiver_id, hr.source, literal(1).label("n"),
                       hr.created_at.label("first_at"), hr.created_at.label("last_at")
                       ).where(hr.team_id == bindparam("w_team"), hr.status == CONFIRMED,
                               hr.created_at >= bindparam("w_start", type_=HelpRecord.created_at.type),
                               _before(hr.created_at, bindparam("w_now", type_=HelpRecord.created_at.type),
                                       end_open),
                               or_(hr.created_at < bindparam("w_start_next",
                                                             type_=HelpRecord.created_at.type),
                                   hr.created_at >= bindparam("w_now_floor",
                                                              type_=HelpRecord.created_at.type)))
    if helper is not None:
        kept_rows = kept_rows.where(c.helper_id == helper)
        edge_rows = edge_rows.where(hr.helper_id == helper)
    if receiver is not None:
        kept_rows = kept_rows.where(c.receiver_id == receiver)
        edge_rows = edge_rows.where(hr.receiver_id == receiver)
    if among is not None:  # only pairs with one of these people in them
        kept_rows = kept_rows.where(or_(c.helper_id.in_(among), c.receiver_id.in_(among)))
        edge_rows = edge_rows.where(or_(hr.helper_id.in_(among), hr.receiver_id.in_(among)))
    if not_helper is not None:
        kept_rows = kept_rows.where(c.helper_id != not_helper)
        edge_rows = edge_rows.where(or_(hr.helper_id.is_(None), hr.helper_id != not_helper))
    return union_all(kept_rows, edge_rows).subquery(name)


def _before(column: Any, end: Any, end_open: bool) -> ColumnElement[bool]:
    return column < end if end_open else column <= end


def between_all_time(session: Session, team_id: str, a: str, b: str) -> dict[str, int]:
    """All confirmed help ever between two people, by helper (from the kept counts)."""
    c = _COUNTS.c
    rows = session.execute(select(c.helper_id, func.sum(c.n)).where(
        c.team_id == team_id, or_(and_(c.helper_id == a, c.receiver_id == b),
                                  and_(c.helper_id == b, c.receiver_id == a)))
        .group_by(c.helper_id)).all()
    return {h: int(n or 0) for h, n in rows}


def partners(session: Session, team_id: str, user_id: str, limit: int) -> set[str]:
    """Everyone `user_id` ever helped or was helped by (confirmed, named), from the kept counts."""
    c = _COUNTS.c
    other = case((c.helper_id == user_id, c.receiver_id), else_=c.helper_id)
    return {p for p in session.scalars(select(other).where(
        c.team_id == team_id, or_(c.helper_id == user_id, c.receiver_id == user_id),
        c.helper_id != "", c.receiver_id != "", c.n > 0).distinct().limit(limit)) if p}

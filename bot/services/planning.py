"""Incremental one-sided planning: which people the daily run must look at again.

A run looks only at the pairs of people whose situation may have changed since the last run
(kept in `planning_marks`): whose kept counts changed; whose help crossed the window's edge or
the quiet days' edge; who were suggested something lately (a cooldown may have lapsed, or
that suggestion was called off); whose snooze ended. Anything else that can make a pair due —
a workspace's settings saved, suggestions turned back on — forgets the mark, so the next run
looks at everyone, as does a run once a week whatever happened."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db.models import HelpCount, Member, OutboxItem, PlanningMark, Workspace
from bot.services.counts import day_of

ONE_SIDED_RUN, ONE_SIDED_FULL = "one_sided", "one_sided_full"
FULL_EVERY = timedelta(days=7)
MOST = 0.5


def people_to_plan(session: Session, workspace: Workspace, now: datetime,
                   kind: str = "one_sided") -> set[str] | None:
    """The people whose pairs this run must look at; None: everyone (no usable mark)."""
    team = workspace.team_id
    marks = dict(session.execute(select(PlanningMark.kind, PlanningMark.ran_at).where(
        PlanningMark.team_id == team)).all())
    ran, full = marks.get(ONE_SIDED_RUN), marks.get(ONE_SIDED_FULL)
    if ran is None or full is None or ran > now or now - full >= FULL_EVERY:
        return None
    c = HelpCount
    quiet, window = (timedelta(days=workspace.one_sided_quiet_days),
                     timedelta(days=workspace.window_days))
    cooldown = timedelta(days=max(workspace.person_cooldown_days, workspace.pair_cooldown_days))
    buckets = [
        c.changed_at > ran,  # counts changed
        c.day.between(day_of(ran - window), day_of(now - window)),  # left the window
        c.day.between(day_of(ran - quiet), day_of(now - quiet)),  # their quiet days ended
    ]
    found: set[str] = set()
    for condition in buckets:
        for helper, receiver in session.execute(select(c.helper_id, c.receiver_id).where(
                c.team_id == team, condition).distinct()):
            found.update(p for p in (helper, receiver) if p)
    lately = union(
        select(OutboxItem.recipient_id).where(
            OutboxItem.team_id == team, OutboxItem.kind == kind,
            OutboxItem.created_at > ran - cooldown - timedelta(days=1)),
        select(Member.user_id).where(Member.team_id == team, Member.snoozed_until > ran,
                                     Member.snoozed_until <= now))
    found.update(p for p in session.scalars(lately) if p)
    # Most of the workspace: one pass over everyone costs less than filtering by a long list.
    everyone = session.scalar(select(func.count()).select_from(Member).where(
        Member.team_id == team)) or 0
    return None if everyone and len(found) > MOST * everyone else found


def planned(session: Session, team_id: str, now: datetime, everyone: bool) -> None:
    """This run is done: the next one looks at what changed since `now`."""
    kinds = [ONE_SIDED_RUN, ONE_SIDED_FULL] if everyone else [ONE_SIDED_RUN]
    # An upsert: two runs at once (replicas, the scheduler and `mutual jobs run`) both land.
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(PlanningMark)
    session.execute(stmt.on_conflict_do_update(index_elements=["team_id", "kind"],
                                               set_={"ran_at": stmt.excluded.ran_at}),
                    [{"team_id": team_id, "kind": k, "ran_at": now} for k in kinds])


def look_at_everyone(session: Session, team_id: str) -> None:
    """Something no mark can see changed (settings, suggestions back on): the next run looks
    at every pair."""
    session.execute(delete(PlanningMark).where(PlanningMark.team_id == team_id))

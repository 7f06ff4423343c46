"""When the scheduler next has something to do: the earliest moment after `after` (and not
past `until`) at which a planning job's condition may first hold — a threshold passed, the
week's summary or digest moment come — or a message held in the outbox falls due.

Over-inclusive on purpose: waking when nothing turns out to be due costs one run of the jobs;
waking late would send things in the wrong order or at the wrong hour. `mutual run` runs the
jobs every few minutes and needs none of this; a simulated clock that jumps days at once steps
through these moments so that what a real clock would have sent on the way is sent when it
would have been. A job added to `bot.jobs.scheduler.JOBS` whose timing is not known
here still runs at every moment stepped through, and at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.db.models import (
    Ask,
    AskOffer,
    HelpRecord,
    Intro,
    IntroRequest,
    Member,
    OutboxItem,
    ProcessedEvent,
    Workspace,
)
from bot.jobs.prune import EVENT_IDS_KEPT
from bot.jobs.summary import DIGEST_HOUR, DIGEST_WEEKDAY
from bot.services.asks import CANNOT
from bot.services.delivery import KEEP_ANSWERS, KEEP_PLANNED
from bot.services.giving import PROTECT_TIME, QUARTER
from bot.services.nudges import ONE_SIDED, active_workspaces
from bot.services.outbox import DONE, NOW, PENDING, SENT
from bot.services.summary import zone
from bot.services.workspaces import UNINSTALL_GRACE

Candidates = Callable[[Session, Workspace, datetime, datetime], Iterator[datetime | None]]


def next_moment(session: Session, after: datetime, until: datetime) -> datetime | None:
    """The earliest moment in (after, until] at which a held message falls due or a job may
    have something new to do; None when there is none before `until`."""
    found = [_held(session, after, until)]
    for workspace in active_workspaces(session):
        for candidates in WAKES:
            found.extend(candidates(session, workspace, after, until))
    for workspace in session.scalars(select(Workspace).where(Workspace.uninstalled_at.is_not(None))):
        found.append(_in_range((workspace.uninstalled_at or after) + UNINSTALL_GRACE, after, until))
    moments = [m for m in found if m is not None]
    return min(moments) if moments else None


def _held(session: Session, after: datetime, until: datetime) -> datetime | None:
    return session.scalar(select(func.min(OutboxItem.due_at)).where(
        OutboxItem.status == PENDING, OutboxItem.due_at > after, OutboxItem.due_at <= until))


def _in_range(moment: datetime, after: datetime, until: datetime) -> datetime | None:
    return moment if after < moment <= until else None


def _first_past(session: Session, column: InstrumentedAttribute[datetime | None] | InstrumentedAttribute[datetime],
                days: int, after: datetime, until: datetime,
                *where: ColumnElement[bool]) -> datetime | None:
    """The first `column + days` that falls in (after, until], among rows matching `where`."""
    wait = timedelta(days=days)
    first = session.scalar(select(func.min(column)).where(
        *where, column > after - wait, column <= until - wait))
    return first + wait if first is not None else None


def _weekly(workspace: Workspace, weekday: int, hour: int, after: datetime,
            until: datetime) -> datetime | None:
    """The next `weekday` at `hour`, in the workspace's time zone, after `after`."""
    tz = zone(workspace.timezone)
    local = after.astimezone(tz)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    for week in (0, 7):
        moment = datetime.combine(day + timedelta(days=week), time(hour), tzinfo=tz)
        if moment.astimezone(after.tzinfo) > after:
            return _in_range(moment.astimezone(after.tzinfo), after, until)
    return None


# -- each job's thresholds ----------------------------------------------------------------

def _claims(session: Session, w: Workspace, after: datetime, until: datetime) -> Iterator[datetime | None]:
    pending = (HelpRecord.team_id == w.team_id, HelpRecord.status == "pending")
    yield _first_past(session, HelpRecord.created_at, w.claim_reminder_days, after, until, *pending)
    yield _first_past(session, HelpRecord.expires_at, 0, after, until, *pending)


def _intros(session: Session, w: Workspace, after: datetime, until: datetime) -> Iterator[datetime | None]:
    team = Intro.team_id == w.team_id
    for days in (w.intro_reminder_days, w.intro_expiry_days):
        yield _first_past(session, Intro.created_at, days, after, until, team, Intro.status == "proposed")
    yield _first_past(session, IntroRequest.created_at, w.intro_expiry_days, after, until,
                      IntroRequest.team_id == w.team_id, IntroRequest.status == "pending")
    yield _first_past(session, Intro.opened_at, w.intro_silent_days, after, until, team, Intro.status == "open")
    yield _first_past(session, Intro.connected_at, w.intro_followup_days, after, until, team,
                      Intro.status == "connected")


def _help(session: Session, w: Workspace, after: datetime, until: datetime) -> Iterator[datetime | None]:
    confirmed = (HelpRecord.team_id == w.team_id, HelpRecord.status == "confirmed")
    yield _first_past(session, HelpRecord.created_at, w.followup_days, after, until, *confirmed,
                      HelpRecord.note != "")
    # A one-sided suggestion waits a while after the latest help between the two.
    yield _first_past(session, HelpRecord.created_at, w.one_sided_quiet_days, after, until, *confirmed)
    sent = (OutboxItem.team_id == w.team_id, OutboxItem.kind == ONE_SIDED, OutboxItem.status == SENT)
    for days in (w.person_cooldown_days, w.pair_cooldown_days):
        yield _first_past(session, OutboxItem.sent_at, days, after, until, *sent)
    yield _first_past(session, Member.snoozed_until, 0, after, until, Member.team_id == w.team_id)


def _asks(session: Session, w: Workspace, after: datetime, until: datetime) -> Iterator[datetime | None]:
    team, open_ = Ask.team_id == w.team_id, Ask.status == "open"
    for days in (w.ask_suggest_days, w.ask_expiry_days):
        yield _first_past(session, Ask.created_at, days, after, until, team, open_)
    yield _first_past(session, AskOffer.accepted_at, w.offer_reminder_days, after, until,
                      AskOffer.team_id == w.team_id, AskOffer.status == "accepted")
    # "Can't after all" is told when the accepted offer would have lapsed (lapse_offers).
    yield _first_past(session, AskOffer.accepted_at, w.intro_expiry_days, after, until,
                      AskOffer.team_id == w.team_id, AskOffer.status == CANNOT)


def _weekly_posts(session: Session, w: Workspace, after: datetime, until: datetime) -> Iterator[datetime | None]:
    if w.nudge_channel:
        yield _weekly(w, w.summary_weekday, w.summary_hour, after, until)
        if w.digest_enabled:
            yield _weekly(w, DIGEST_WEEKDAY, DIGEST_HOUR, after, until)


def _protect_time(session: Session, w: Workspace, after: datetime,
                  until: datetime) -> Iterator[datetime | None]:
    """Someone may become an over-giver when help back to them leaves the window, or be told
    again once a quarter has passed since the last note (bot.services.giving)."""
    confirmed = (HelpRecord.team_id == w.team_id, HelpRecord.status == "confirmed")
    yield _first_past(session, HelpRecord.created_at, w.window_days, after, until, *confirmed)
    yield _first_past(session, OutboxItem.sent_at, QUARTER.days, after, until,
                      OutboxItem.team_id == w.team_id, OutboxItem.kind == PROTECT_TIME,
                      OutboxItem.status == SENT)


def _prune(session: Session, w: Workspace, after: datetime, until: datetime) -> Iterator[datetime | None]:
    """Bookkeeping that has served its purpose (bot.jobs.prune) falls due for deletion."""
    yield _first_past(session, ProcessedEvent.received_at, EVENT_IDS_KEPT.days, after, until,
                      ProcessedEvent.team_id == w.team_id)
    done = (OutboxItem.team_id == w.team_id, OutboxItem.status.in_(DONE))
    yield _first_past(session, OutboxItem.created_at, KEEP_ANSWERS.days, after, until, *done,
                      OutboxItem.priority == NOW)
    yield _first_past(session, OutboxItem.created_at, KEEP_PLANNED.days, after, until, *done,
                      OutboxItem.priority != NOW)


WAKES: tuple[Candidates, ...] = (_claims, _intros, _help, _asks, _weekly_posts, _protect_time,
                                 _prune)

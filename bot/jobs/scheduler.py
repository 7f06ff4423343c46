"""Every scheduled job, registered in one place with explicit ids.

Jobs in `JOBS` plan: they take the database and one instant ("now", from the app's single
clock) and write outbox rows or change states; they never call Slack. The deliverer every
`mutual run` keeps going (bot/delivery/worker.py) sends what they write as it falls due;
`mutual jobs run` delivers once itself (`deliver_nudges`). Each job runs under a database lock
named after it, so across replicas one runs it at a time; the outbox's unique keys make a
second runner harmless even so."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock import Clock
from bot.config import Settings
from bot.db.models import Workspace
from bot.db.session import Database
from bot.delivery.run import Timer
from bot.delivery.worker import deliver_due
from bot.jobs.asks import (
    expire_asks,
    lapse_offers,
    plan_ask_suggestions,
    plan_offer_reminders,
    plan_protect_time,
)
from bot.jobs.claims import expire_stale_claims
from bot.jobs.followups import plan_followups, plan_intro_followups
from bot.jobs.intros import close_requests, expire_intros, plan_intro_reminders, plan_silent_nudges
from bot.jobs.lease import job_lock
from bot.jobs.nudges import plan_claim_reminders, plan_one_sided
from bot.jobs.prune import prune_bookkeeping
from bot.jobs.purge import purge_workspaces
from bot.jobs.runner import runner_id
from bot.jobs.summary import queue_channel_digests, queue_team_summaries
from bot.observe.jobs import job_ran
from bot.observe.metrics import job_lock_held
from bot.slack.sender import ClientForTeam, clients_for

logger = logging.getLogger(__name__)

Job = Callable[[Database, datetime], object]

JOBS: dict[str, Job] = {
    "expire_claims": expire_stale_claims,
    "claim_reminders": plan_claim_reminders,
    "one_sided_nudges": plan_one_sided,
    "intro_reminders": plan_intro_reminders,
    "expire_intros": expire_intros,
    "close_requests": close_requests,
    "silent_intros": plan_silent_nudges,
    "team_summary": queue_team_summaries,
    "channel_digest": queue_channel_digests,
    "purge_uninstalled": purge_workspaces,
    "prune": prune_bookkeeping,
    "followups": plan_followups,
    "intro_followups": plan_intro_followups,
    "offer_reminders": plan_offer_reminders,
    "ask_suggestions": plan_ask_suggestions,
    "expire_asks": expire_asks,
    "lapse_offers": lapse_offers,
    "protect_time": plan_protect_time,
}
DELIVER = "deliver_nudges"
PLAN_EVERY = timedelta(minutes=10)
SKIPPED = "skipped: another runner holds the lock"
FAILED = "failed: "


def scheduler_clients(settings: Settings, db: Database) -> ClientForTeam | None:
    """How the scheduler reaches each workspace: the bot token (one workspace), or each
    workspace's bot token from the OAuth installation store (many)."""
    store = None
    if not settings.bot_token and settings.client_id:
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

        store = SQLAlchemyInstallationStore(client_id=settings.client_id, engine=db.engine)
    return clients_for(settings.api_url, settings.bot_token, store,
                       lambda team_id: enterprise_of(db, team_id))


def enterprise_of(db: Database, team_id: str) -> str | None:
    with db.session() as session:
        workspace = session.get(Workspace, team_id)
        return workspace.enterprise_id if workspace is not None else None


def run_locked(db: Database, name: str, runner: str, now: datetime,
               work: Callable[[], object]) -> object:
    """`work()` under the lock `name`, or SKIPPED when another runner holds it; each run is
    counted, timed and logged (bot.observe)."""
    started = time.perf_counter()
    outcome: str = "failed"
    result: object = None
    try:
        with job_lock(db, name, runner, now) as held:
            if not held:
                outcome, result = "skipped", SKIPPED
                return SKIPPED
            result = work()
            outcome = "failed" if str(result).startswith(FAILED) else "ok"
            return result
    finally:
        job_ran(name, outcome, time.perf_counter() - started, result)


def _guarded(name: str, work: Callable[[], object]) -> object:
    """One job's failure is logged and reported; the other jobs still run."""
    try:
        return work()
    except Exception as e:
        logger.exception("job %s failed", name)
        return f"{FAILED}{type(e).__name__}: {e}".splitlines()[0][:300]


def run_all(db: Database, now: datetime, clients: ClientForTeam | None = None, *,
            runner: str | None = None, timer: Timer | None = None) -> dict[str, object]:
    """Every job once as of `now`, then delivery of what is due (`mutual jobs run`).
    Without `clients` nothing is sent; the planned messages wait for the next run. A job that
    fails reports "failed: …" and the others still run."""
    runner = runner or runner_id()
    results: dict[str, object] = {}
    work: dict[str, Job] = dict(JOBS)
    if clients is not None:
        work[DELIVER] = lambda db_, now_: deliver_due(db_, now_, clients, runner=runner, timer=timer)
    for job_id, job in work.items():
        results[job_id] = _guarded(job_id, lambda job_id=job_id, job=job: run_locked(  # type: ignore[misc]
            db, job_id, runner, now, lambda: job(db, now)))
    if clients is None:
        results[DELIVER] = "skipped: no Slack token to send with"
    return results


def build_scheduler(db: Database, clock: Clock) -> BackgroundScheduler:
    """`mutual run`'s scheduler: the planning jobs, every 10 minutes."""
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    runner = runner_id()
    first = datetime.now(UTC) + timedelta(seconds=15)
    for job_id, job in JOBS.items():
        job_lock_held(job_id, False)  # every job's lock shows on /metrics, held or not
        scheduler.add_job(_tick, "interval", seconds=PLAN_EVERY.total_seconds(), id=job_id,
                          replace_existing=True, next_run_time=first,
                          args=[db, clock, job_id, runner, job])
    return scheduler


def _tick(db: Database, clock: Clock, job_id: str, runner: str, job: Job) -> None:
    now = clock()
    try:
        run_locked(db, job_id, runner, now, lambda: job(db, now))  # logs its own line
    except Exception:
        logger.exception("job %s failed; it runs again at its next interval", job_id)

"""Every scheduled job, registered in one place with explicit ids."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock import Clock
from bot.db.session import Database
from bot.jobs.claims import expire_stale_claims

logger = logging.getLogger(__name__)

JOBS: dict[str, Callable[[Database, datetime], object]] = {
    "expire_claims": expire_stale_claims,
}


def run_all(db: Database, now: datetime) -> dict[str, object]:
    """Every job once, as of `now` (`mutual jobs run`)."""
    return {job_id: job(db, now) for job_id, job in JOBS.items()}


def build_scheduler(db: Database, clock: Clock) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    for job_id, job in JOBS.items():
        scheduler.add_job(_run_one, "interval", minutes=5, id=job_id, replace_existing=True,
                          args=[job_id, job, db, clock], coalesce=True, max_instances=1)
    return scheduler


def _run_one(job_id: str, job: Callable[[Database, datetime], object], db: Database,
             clock: Clock) -> None:
    try:
        job(db, clock())
    except Exception:
        logger.exception("job %s failed; it runs again at its next interval", job_id)

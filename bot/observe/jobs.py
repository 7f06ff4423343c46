"""Per scheduled job run: counted, timed, and told in one INFO line."""

from __future__ import annotations

import logging

from bot.observe import metrics

logger = logging.getLogger("mutual.jobs")


def job_ran(job: str, outcome: str, seconds: float, result: object = None) -> None:
    """`outcome`: ok, failed, or skipped (another runner held the lock; not timed)."""
    metrics.job_done(job, outcome, None if outcome == "skipped" else seconds)
    duration_ms = round(seconds * 1000, 1)
    said = str(result).splitlines()[0][:200] if result is not None and str(result) else ""
    said = said.removeprefix(f"{outcome}: ")  # "skipped: another runner holds the lock"
    summary = f": {said}" if said else ""
    logger.info("job %s %s in %.1f ms%s", job, outcome, duration_ms, summary,
                extra={"job": job, "outcome": outcome, "duration_ms": duration_ms})

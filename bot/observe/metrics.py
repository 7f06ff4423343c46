"""Prometheus metrics, one registry per process (each `mutual run` replica is scraped on its
own GET /metrics; no multiprocess mode).

Counters and histograms are module-level and moved where things happen: the HTTP front
(requests, ack latency), recording (records written, once committed), the deliverer
(sent, 429s, failures), the scheduler (job runs, durations, locks held). The outbox depth is
read from the database at scrape time by `OutboxCollector`, which never fails a scrape."""

from __future__ import annotations

import logging
import weakref
from collections import Counter as CounterOf
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from bot.db.models import OutboxItem
from bot.db.session import Database
from bot.services.recording import WRITTEN

logger = logging.getLogger(__name__)
CONTENT_TYPE = CONTENT_TYPE_LATEST
SURFACES = ("command", "event", "action", "view", "shortcut", "options", "other")
OUTCOMES = ("ok", "refused", "error", "unsigned")
# What waits in the outbox; sent and cancelled rows are history (and pruned), not depth.
WAITING = ("pending", "sending", "failed")

REGISTRY = CollectorRegistry()
REQUESTS = Counter("mutual_requests", "Requests to /slack/events by Slack surface and outcome",
                   ["surface", "outcome"], registry=REGISTRY)
# Slack gives up on an ack after 3 s; the buckets are dense below that.
ACK_SECONDS = Histogram("mutual_ack_seconds", "Seconds from receiving a Slack request to answering it",
                        ["surface"], registry=REGISTRY,
                        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0))
RECORDS = Counter("mutual_records_written", "Help records written (committed) by source",
                  ["source"], registry=REGISTRY)
DELIVERIES = Counter("mutual_deliveries", "Outbox rows sent to Slack by kind", ["kind"], registry=REGISTRY)
RATE_LIMITED = Counter("mutual_delivery_rate_limited", "Sends Slack answered with 429 (held, not lost) by kind",
                       ["kind"], registry=REGISTRY)
FAILURES = Counter("mutual_delivery_failures", "Outbox rows that failed for good by kind", ["kind"],
                   registry=REGISTRY)
JOB_RUNS = Counter("mutual_job_runs", "Scheduled job runs by job and outcome (ok, failed, skipped: "
                   "another replica held the lock)", ["job", "outcome"], registry=REGISTRY)
JOB_SECONDS = Histogram("mutual_job_duration_seconds", "Seconds a scheduled job ran (not counting skips)",
                        ["job"], registry=REGISTRY,
                        buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 600.0))
JOB_LOCK = Gauge("mutual_job_lock_held", "1 while this process holds the job's lock (runs it), else 0",
                 ["job"], registry=REGISTRY)

# Every series a dashboard may divide by exists from the start, at 0. An unsigned request's
# body is never read, so its surface is always "other".
for _surface in SURFACES:
    for _outcome in OUTCOMES:
        if _outcome != "unsigned" or _surface == "other":
            REQUESTS.labels(_surface, _outcome)
    ACK_SECONDS.labels(_surface)

_COUNTING: weakref.WeakSet[Database] = weakref.WeakSet()
_DELIVERY_COUNTERS = {"sent": DELIVERIES, "rate_limited": RATE_LIMITED, "failed": FAILURES}


def request_done(surface: str, outcome: str, seconds: float) -> None:
    REQUESTS.labels(surface, outcome).inc()
    ACK_SECONDS.labels(surface).observe(seconds)


def delivery_done(counter: str, kind: str) -> None:
    """One of the deliverer's tallies ("sent", "rate_limited", "failed"; others are not metrics)."""
    metric = _DELIVERY_COUNTERS.get(counter)
    if metric is not None:
        metric.labels(kind).inc()


def job_done(job: str, outcome: str, seconds: float | None) -> None:
    JOB_RUNS.labels(job, outcome).inc()
    if seconds is not None:
        JOB_SECONDS.labels(job).observe(seconds)


def job_lock_held(job: str, held: bool) -> None:
    JOB_LOCK.labels(job).set(1 if held else 0)


def count_records(db: Database) -> None:
    """Count the help records each of `db`'s transactions writes, when it commits (once per db)."""
    if db not in _COUNTING:
        _COUNTING.add(db)
        db.after_commit(_records_committed)


def _records_committed(info: Mapping[str, object]) -> None:
    found = info.get(WRITTEN)
    if isinstance(found, CounterOf):
        for source, n in found.items():
            RECORDS.labels(source).inc(n)


class OutboxCollector(Collector):
    """`mutual_outbox_depth{kind,status}` from one GROUP BY at scrape time, and
    `mutual_database_up`: 0 when that query failed, and then no depth, but the scrape succeeds."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily("mutual_outbox_depth", "Outbox rows waiting (pending, sending) or "
                                  "dead-lettered (failed), by kind and status", labels=["kind", "status"])
        up = GaugeMetricFamily("mutual_database_up", "1 when the database answered this scrape's query")
        try:
            with self.db.engine.connect() as conn:
                rows = conn.execute(
                    select(OutboxItem.kind, OutboxItem.status, func.count())
                    .where(OutboxItem.status.in_(WAITING))
                    .group_by(OutboxItem.kind, OutboxItem.status)).all()
        except Exception as e:  # noqa: BLE001 - a scrape reports the database down, never fails
            logger.warning("metrics: the outbox could not be counted (%s)", type(e).__name__)
            up.add_metric([], 0)
        else:
            for kind, status, count in rows:
                depth.add_metric([kind, status], count)
            up.add_metric([], 1)
        yield depth
        yield up


class Scrape:
    """What GET /metrics shows for one server: the process's registry and its database's outbox."""

    def __init__(self, db: Database, registry: CollectorRegistry = REGISTRY) -> None:
        self.parts: list[Any] = [registry, OutboxCollector(db)]

    def collect(self) -> Iterable[Metric]:
        for part in self.parts:
            yield from part.collect()

    def render(self) -> bytes:
        return generate_latest(self)  # type: ignore[arg-type]

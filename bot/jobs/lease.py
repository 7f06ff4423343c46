"""One runner per job at a time, across replicas.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`), held on one connection
for the length of the job and released by the server if the process dies. SQLite (one
machine): a SchedulerLease row with an expiry, taken over at once when its holder's process
is gone."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import delete, text

from bot.db.locks import advisory_key
from bot.db.models import SchedulerLease
from bot.db.session import Database
from bot.db.upsert import insert_ignore
from bot.jobs.runner import holder_is_dead
from bot.observe.metrics import job_lock_held

LEASE_TTL = timedelta(minutes=15)


@contextlib.contextmanager
def job_lock(db: Database, name: str, holder: str, now: datetime,
             ttl: timedelta = LEASE_TTL) -> Iterator[bool]:
    """Yields True when this runner holds the lock for `name` (and releases it afterwards),
    False when another runner has it. While held, `mutual_job_lock_held{job=name}` is 1."""
    with _lock(db, name, holder, now, ttl) as held:
        if held:
            job_lock_held(name, True)
        try:
            yield held
        finally:
            if held:
                job_lock_held(name, False)


@contextlib.contextmanager
def _lock(db: Database, name: str, holder: str, now: datetime, ttl: timedelta) -> Iterator[bool]:
    if db.engine.dialect.name == "postgresql":
        with _advisory(db, name) as held:
            yield held
        return
    held = take_lease(db, name, holder, now, ttl)
    try:
        yield held
    finally:
        if held:
            release_lease(db, name, holder)


@contextlib.contextmanager
def _advisory(db: Database, name: str) -> Iterator[bool]:
    key = advisory_key(name)
    with db.engine.connect() as conn:
        held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()  # the lock outlives the transaction; don't sit "idle in transaction"
        try:
            yield held
        finally:
            if held:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


def take_lease(db: Database, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    with db.session() as session:
        if insert_ignore(session, SchedulerLease,
                         {"name": name, "holder": holder, "expires_at": now + ttl}):
            return True
        lease = session.get(SchedulerLease, name, with_for_update=True)
        if lease is None:
            return False
        if lease.holder == holder or lease.expires_at <= now or holder_is_dead(lease.holder):
            lease.holder = holder
            lease.expires_at = now + ttl
            return True
        return False


def release_lease(db: Database, name: str, holder: str) -> None:
    with db.session() as session:
        session.execute(delete(SchedulerLease).where(SchedulerLease.name == name,
                                                     SchedulerLease.holder == holder))

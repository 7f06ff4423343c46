"""Bookkeeping rows that have served their purpose are deleted, so those tables stay small.

Deleted in batches, each in its own short transaction: on SQLite a delete holds the one write
lock, and a first run may find months of rows; requests get their turn between batches. What a
run leaves (more than MAX_BATCHES) the next one takes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table, delete, inspect, select, tuple_
from sqlalchemy.sql import ColumnElement

from bot.db.models import Base, OutboxItem, ProcessedEvent, SchedulerLease
from bot.db.session import Database
from bot.services.delivery import done_long_ago

# Slack retries an event at once, after 1 minute and after 5; duplicates without retry headers
# come within the same minutes. A week of event ids is far more than a retry can need, and
# short enough that the table holds about a week of traffic instead of all of it.
EVENT_IDS_KEPT = timedelta(days=7)
# A lease is rewritten while its job runs and deleted when it ends: one expired this long ago
# belonged to a process that died, and nobody will take it over by name again.
LEASES_KEPT = timedelta(days=1)
BATCH = 5_000
MAX_BATCHES = 40

OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    MetaData(), SQLAlchemyOAuthStateStore.default_table_name)


def prune_bookkeeping(db: Database, now: datetime) -> str:
    events = _prune(db, _table(ProcessedEvent), ProcessedEvent.received_at < now - EVENT_IDS_KEPT)
    leases = _prune(db, _table(SchedulerLease), SchedulerLease.expires_at < now - LEASES_KEPT)
    states = 0
    if _has_table(db, OAUTH_STATES.name):
        # The SDK stores expiry as naive UTC and refuses a state past it (`consume`).
        states = _prune(db, OAUTH_STATES, OAUTH_STATES.c.expire_at < now.replace(tzinfo=None))
    outbox = _prune(db, _table(OutboxItem), done_long_ago(now))
    return (f"deleted {events} processed events, {states} OAuth states, {leases} scheduler "
            f"leases, {outbox} outbox rows long done")


def _prune(db: Database, table: Table, condition: ColumnElement[Any]) -> int:
    columns = list(table.primary_key.columns)
    key = columns[0] if len(columns) == 1 else tuple_(*columns)
    total = 0
    for _ in range(MAX_BATCHES):
        batch = select(*columns).where(condition).limit(BATCH)
        with db.session() as session:
            deleted = session.connection().execute(delete(table).where(key.in_(batch))).rowcount
        total += deleted
        if deleted < BATCH:
            break
    return total


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _has_table(db: Database, name: str) -> bool:
    with db.engine.connect() as conn:
        return inspect(conn).has_table(name)

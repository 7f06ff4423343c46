"""INSERT ... ON CONFLICT DO NOTHING on both SQLite and PostgreSQL."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert


@cache
def _statement(dialect: str, table: Table) -> Insert:
    # One statement per table and dialect, its VALUES taken from the parameters it is given:
    # building (and cache-keying) a new one per call cost more than running it.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    first_key = next(iter(table.primary_key.columns))
    # RETURNING, not rowcount: psycopg 3 reports rowcount -1 for this statement.
    return insert(table).on_conflict_do_nothing().returning(first_key)


def insert_ignore(session: Session, model: type[Any], values: dict[str, Any]) -> bool:
    """Insert one row unless its key already exists; True when a row was inserted.

    Unlike catching IntegrityError, this never poisons a PostgreSQL transaction."""
    stmt = _statement(session.get_bind().dialect.name, model.__table__)
    return session.connection().execute(stmt, values).first() is not None

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


def insert_or_update(session: Session, model: type[Any], values: dict[str, Any],
                     update: dict[str, Any]) -> None:
    """Insert one row, or when its key exists apply `update` (column -> value or SQL
    expression, where `excluded.<column>` is the value offered) to the row there."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(model.__table__).values(values)
    keys = [c.name for c in model.__table__.primary_key.columns]
    changes = {name: (value(stmt.excluded) if callable(value) else value) for name, value in update.items()}
    session.connection().execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes))


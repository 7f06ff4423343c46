"""INSERT ... ON CONFLICT DO NOTHING on both SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(session: Session, model: type[Any], values: dict[str, Any]) -> bool:
    """Insert one row unless its key already exists; True when a row was inserted.

    Unlike catching IntegrityError, this never poisons a PostgreSQL transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    first_key = next(iter(table.primary_key.columns))
    # RETURNING, not rowcount: psycopg 3 reports rowcount -1 for this statement.
    stmt = insert(table).values(**values).on_conflict_do_nothing().returning(first_key)
    return session.connection().execute(stmt).first() is not None

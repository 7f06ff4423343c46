"""a person's records by time: (team, helper|receiver, status, created_at)

Revision ID: 0007
Revises: 0006

A person's App Home, `/mutual me` and every "what did this person give or get in the window"
read one person's records in a time window. With only (team, helper) and (team, receiver) to
go on, the database walked the whole workspace's window instead (242 ms per Home view at
200,000 records on SQLite). These two replace them (same leading columns, so every query that
used them still can).
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_help_records_team_helper_created", "help_records",
                    ["team_id", "helper_id", "status", "created_at"])
    op.create_index("ix_help_records_team_receiver_created", "help_records",
                    ["team_id", "receiver_id", "status", "created_at"])
    op.drop_index("ix_help_records_team_helper", table_name="help_records")
    op.drop_index("ix_help_records_team_receiver", table_name="help_records")


def downgrade() -> None:
    op.create_index("ix_help_records_team_helper", "help_records", ["team_id", "helper_id"])
    op.create_index("ix_help_records_team_receiver", "help_records", ["team_id", "receiver_id"])
    op.drop_index("ix_help_records_team_helper_created", table_name="help_records")
    op.drop_index("ix_help_records_team_receiver_created", table_name="help_records")

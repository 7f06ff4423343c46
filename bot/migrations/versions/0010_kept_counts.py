"""kept counts: confirmed help per (helper, receiver, UTC day, source)

Revision ID: 0010
Revises: 0009

`help_counts`: what the Home, `/mutual me`, `/mutual with`, the one-sided planning and the
summaries read instead of counting records; written in the same transaction as every change to
a record and filled here from the records already kept (`mutual db recount` does the same).
`planning_marks`: when a workspace's daily planning last ran, so the next run looks only at
pairs that changed since.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "help_counts",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("helper_id", sa.String(length=32), nullable=False),
        sa.Column("receiver_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_help_counts_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "helper_id", "receiver_id", "day", "source",
                                name=op.f("pk_help_counts")),
    )
    op.create_index("ix_help_counts_team_helper_day", "help_counts",
                    ["team_id", "helper_id", "day"])
    op.create_index("ix_help_counts_team_receiver_day", "help_counts",
                    ["team_id", "receiver_id", "day"])
    op.create_index("ix_help_counts_team_day", "help_counts", ["team_id", "day"])
    op.create_index("ix_help_counts_team_changed", "help_counts", ["team_id", "changed_at"])
    op.create_table(
        "planning_marks",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_planning_marks_team_id_workspaces"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "kind", name=op.f("pk_planning_marks")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    day = ("CAST(timezone('UTC', created_at) AS DATE)" if postgres else "date(created_at)")
    now = "now()" if postgres else "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    op.execute(
        "INSERT INTO help_counts (team_id, helper_id, receiver_id, day, source, n, first_at, "
        f"last_at, changed_at) SELECT team_id, coalesce(helper_id, ''), coalesce(receiver_id, ''), "
        f"{day}, source, count(*), min(created_at), max(created_at), {now} FROM help_records "
        f"WHERE status = 'confirmed' GROUP BY team_id, coalesce(helper_id, ''), "
        f"coalesce(receiver_id, ''), {day}, source")


def downgrade() -> None:
    op.drop_table("planning_marks")
    op.drop_index("ix_help_counts_team_changed", table_name="help_counts")
    op.drop_index("ix_help_counts_team_day", table_name="help_counts")
    op.drop_index("ix_help_counts_team_receiver_day", table_name="help_counts")
    op.drop_index("ix_help_counts_team_helper_day", table_name="help_counts")
    op.drop_table("help_counts")

"""outbox: every message Mutual sends, not only scheduled nudges

Revision ID: 0004
Revises: 0003

The `nudges` table becomes `outbox`, with what request-caused messages need: a priority (a
reply to something a person just did goes before a planned nudge), a message it must wait for
(`after_key`), a time after which it is no use (`not_after`), where it landed
(`sent_channel`, `sent_ts`, so it can be updated later), and `requeue` for rows that coalesce
(an App Home publish asked for again while one is in flight). Rows are copied across.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COMMON = ("id", "team_id", "key", "kind", "recipient_id", "subject", "payload", "status",
          "due_at", "sent_at", "attempts", "last_error", "claimed_by", "claimed_until",
          "created_at")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient_id", sa.String(length=32), nullable=True),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("after_key", sa.String(length=200), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_channel", sa.String(length=32), nullable=True),
        sa.Column("sent_ts", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requeue", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_outbox_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("team_id", "key", name=op.f("uq_outbox_team_id_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_outbox_team_recipient", ["team_id", "recipient_id"], unique=False)
    columns = ", ".join(COMMON)
    op.execute(f"INSERT INTO outbox ({columns}, priority, requeue) "
               f"SELECT {columns}, 1, false FROM nudges")
    if op.get_bind().dialect.name == "postgresql":
        # The copied ids came with the rows; new rows must continue after them.
        op.execute("SELECT setval(pg_get_serial_sequence('outbox', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM outbox), 0) + 1, false)")
    with op.batch_alter_table("nudges", schema=None) as batch_op:
        batch_op.drop_index("ix_nudges_team_recipient")
        batch_op.drop_index("ix_nudges_status_due")
    op.drop_table("nudges")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivery_retry_hours", sa.Integer(), nullable=False,
                                      server_default="24"))
    # Where a consent or request DM landed is now its outbox row's (`sent_channel`, `sent_ts`).
    with op.batch_alter_table("intros", schema=None) as batch_op:
        for column in ("a_dm_channel", "a_dm_ts", "b_dm_channel", "b_dm_ts"):
            batch_op.drop_column(column)
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.drop_column("dm_channel")
        batch_op.drop_column("dm_ts")


def downgrade() -> None:
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dm_channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("dm_ts", sa.String(length=32), nullable=True))
    with op.batch_alter_table("intros", schema=None) as batch_op:
        for column in ("a_dm_channel", "a_dm_ts", "b_dm_channel", "b_dm_ts"):
            batch_op.add_column(sa.Column(column, sa.String(length=32), nullable=True))
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("delivery_retry_hours")
    op.create_table(
        "nudges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient_id", sa.String(length=32), nullable=True),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_nudges_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nudges")),
        sa.UniqueConstraint("team_id", "key", name=op.f("uq_nudges_team_id_key")),
    )
    with op.batch_alter_table("nudges", schema=None) as batch_op:
        batch_op.create_index("ix_nudges_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_nudges_team_recipient", ["team_id", "recipient_id"], unique=False)
    columns = ", ".join(COMMON)
    op.execute(f"INSERT INTO nudges ({columns}) SELECT {columns} FROM outbox")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_team_recipient")
        batch_op.drop_index("ix_outbox_status_due")
    op.drop_table("outbox")

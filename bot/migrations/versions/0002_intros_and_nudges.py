"""intros and nudges

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 05:06:06.158599
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "muted_pairs",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("other_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id", "other_id", name=op.f("pk_muted_pairs")),
    )
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )
    op.create_table(
        "intro_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("requester_id", sa.String(length=32), nullable=True),
        sa.Column("connector_id", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("dm_channel", sa.String(length=32), nullable=True),
        sa.Column("dm_ts", sa.String(length=32), nullable=True),
        sa.Column("intro_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_intro_requests_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intro_requests")),
    )
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.create_index("ix_intro_requests_team_status", ["team_id", "status"], unique=False)

    op.create_table(
        "intros",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("introducer_id", sa.String(length=32), nullable=True),
        sa.Column("a_id", sa.String(length=32), nullable=True),
        sa.Column("b_id", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("a_answer", sa.String(length=16), nullable=True),
        sa.Column("b_answer", sa.String(length=16), nullable=True),
        sa.Column("a_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("b_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("a_dm_channel", sa.String(length=32), nullable=True),
        sa.Column("a_dm_ts", sa.String(length=32), nullable=True),
        sa.Column("b_dm_channel", sa.String(length=32), nullable=True),
        sa.Column("b_dm_ts", sa.String(length=32), nullable=True),
        sa.Column("group_channel_id", sa.String(length=32), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("a_spoke_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("b_spoke_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_intros_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intros")),
    )
    with op.batch_alter_table("intros", schema=None) as batch_op:
        batch_op.create_index("ix_intros_team_group", ["team_id", "group_channel_id"], unique=False)
        batch_op.create_index("ix_intros_team_status", ["team_id", "status"], unique=False)

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


def downgrade() -> None:
    with op.batch_alter_table("nudges", schema=None) as batch_op:
        batch_op.drop_index("ix_nudges_team_recipient")
        batch_op.drop_index("ix_nudges_status_due")

    op.drop_table("nudges")
    with op.batch_alter_table("intros", schema=None) as batch_op:
        batch_op.drop_index("ix_intros_team_status")
        batch_op.drop_index("ix_intros_team_group")

    op.drop_table("intros")
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_intro_requests_team_status")

    op.drop_table("intro_requests")
    op.drop_table("scheduler_leases")
    op.drop_table("muted_pairs")

"""closing the loop: paying it forward, follow-up questions and their answers

Revision ID: 0006
Revises: 0005

Three workspace settings (`forward_min`, `followup_days`, `intro_followup_days`) and the
`followup_answers` table: what a receiver said about help they got, or a party about an intro.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forward_min", sa.Integer(), nullable=False,
                                      server_default="2"))
        batch_op.add_column(sa.Column("followup_days", sa.Integer(), nullable=False,
                                      server_default="14"))
        batch_op.add_column(sa.Column("intro_followup_days", sa.Integer(), nullable=False,
                                      server_default="14"))
    op.create_table(
        "followup_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("asked_id", sa.String(length=32), nullable=False),
        sa.Column("told_id", sa.String(length=32), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_followup_answers_team_id_workspaces"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_answers")),
        sa.UniqueConstraint("team_id", "kind", "subject_id", "asked_id",
                            name=op.f("uq_followup_answers_team_id_kind_subject_id_asked_id")),
    )
    with op.batch_alter_table("followup_answers", schema=None) as batch_op:
        batch_op.create_index("ix_followup_answers_team_told", ["team_id", "told_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("followup_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_followup_answers_team_told")
    op.drop_table("followup_answers")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("intro_followup_days")
        batch_op.drop_column("followup_days")
        batch_op.drop_column("forward_min")

"""tact: when Mutual asks, tells and suggests

Revision ID: 0009
Revises: 0012

`workspaces.one_sided_spread_days` / `one_sided_quiet_days`: a suggestion to give back needs
help spread over at least that many days, the latest (and any help between the two) at least
that many days ago. `workspaces.ask_again_days`: after a "not now" or no answer, the same
intro, request or claim is not put to anyone again for this long. `workspaces.question_gap_days`:
later questions reach a person at most this often, gathered into one DM.
`intro_requests.declined_at`: when the connector said "not now" (the request closes, and the
requester hears it, only when an unanswered one would). `questions`: each question waiting to
be asked, and the DM that asked it. `outbox (team_id, subject)`: every message about a thing,
found to close it when the thing ends.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("one_sided_spread_days", sa.Integer(), nullable=False,
                                      server_default="14"))
        batch_op.add_column(sa.Column("one_sided_quiet_days", sa.Integer(), nullable=False,
                                      server_default="3"))
        batch_op.add_column(sa.Column("ask_again_days", sa.Integer(), nullable=False,
                                      server_default="30"))
        batch_op.add_column(sa.Column("question_gap_days", sa.Integer(), nullable=False,
                                      server_default="1"))
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("asked_in", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspaces.team_id"],
                                name=op.f("fk_questions_team_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
        sa.UniqueConstraint("team_id", "key", name=op.f("uq_questions_team_id_key")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index("ix_questions_team_user_status", ["team_id", "user_id", "status"])
        batch_op.create_index("ix_questions_team_asked_in", ["team_id", "asked_in"])
        batch_op.create_index("ix_questions_team_subject", ["team_id", "subject"])
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_team_subject", ["team_id", "subject"])


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_team_subject")
    op.drop_table("questions")
    with op.batch_alter_table("intro_requests", schema=None) as batch_op:
        batch_op.drop_column("declined_at")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("question_gap_days")
        batch_op.drop_column("ask_again_days")
        batch_op.drop_column("one_sided_quiet_days")
        batch_op.drop_column("one_sided_spread_days")

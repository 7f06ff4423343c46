"""shared limits: rate-limit pauses and per-conversation pacing every process sees

Revision ID: 0011
Revises: 0010

`api_pauses`: a 429's pause per (workspace, Web API method) until `until`; `probing` while
the one caller allowed to try first after the pause has not yet answered. `post_pace`: per
(workspace, conversation), when the next chat.postMessage may go (about one a second).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_pauses",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("probing", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "method", name=op.f("pk_api_pauses")),
    )
    op.create_table(
        "post_pace",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "channel", name=op.f("pk_post_pace")),
    )


def downgrade() -> None:
    op.drop_table("post_pace")
    op.drop_table("api_pauses")

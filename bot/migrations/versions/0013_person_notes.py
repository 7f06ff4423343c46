"""notes shown to a person once ever

Revision ID: 0013
Revises: 0011

`person_notes`: which once-only notes a person has had (the first-contact line on the first DM
Mutual sends them, the hint under their first receipt, the word that their first thank-you
reaction counted), keyed by a one-way hash of the person; `outbox_id` is the message that
carries the note, so a retried send carries it again and no other message does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_notes",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=32), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_hash", "note", name=op.f("pk_person_notes")),
    )


def downgrade() -> None:
    op.drop_table("person_notes")

"""the first week: who was welcomed, and whether the settings were ever saved

Revision ID: 0012
Revises: 0008

`workspaces.welcomed_id` / `welcomed_at`: the admin Mutual sent its one welcome DM to (the
installer in OAuth mode, else the first admin or owner who used it), and when; set in the
transaction that wrote that DM's outbox row (key `welcome`), so it is sent once however many
replicas see the first use. `workspaces.configured_at`: when an admin first saved the settings
modal; until then, and while the summary channel is unset or one Mutual cannot post in, an
admin's Home shows what is left to set up.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("welcomed_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("configured_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("configured_at")
        batch_op.drop_column("welcomed_at")
        batch_op.drop_column("welcomed_id")

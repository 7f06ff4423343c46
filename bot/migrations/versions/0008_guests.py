"""guests, and a summary channel Mutual cannot post in

Revision ID: 0008
Revises: 0007

`members.is_guest`: Slack's `is_restricted` or `is_ultra_restricted` (multi- and
single-channel guests). `workspaces.guests`: how Mutual treats them — `quiet` (the default:
they can thank and be thanked, are never nudged and never in summaries), `full` (like
everyone) or `off` (Mutual leaves them out entirely). `workspaces.nudge_channel_by`: the admin
who last chose the summary channel, and `workspaces.channel_problem`: that channel, while
Mutual finds it private and is not in it (the config modal warns until it is fixed).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_guest", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guests", sa.String(length=16), nullable=False,
                                      server_default="quiet"))
        batch_op.add_column(sa.Column("nudge_channel_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("channel_problem", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("channel_problem")
        batch_op.drop_column("nudge_channel_by")
        batch_op.drop_column("guests")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("is_guest")

"""asks and offers

Revision ID: 0005
Revises: 0004

`/ask` requests posted in a channel (`asks`), the offers people make on them (`ask_offers`,
with where each offer came from: `via`), each person's "ask me about" list from `/offer`
(`ask_me_about`), a person's pause of incoming asks (`members.asks_paused_until`), and the
workspace settings for them: the offer reminder, the no-offer suggestion, ask expiry, and
the thresholds for noticing someone who gives a lot and gets little back.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# setting: default
SETTINGS = {"offer_reminder_days": "3", "ask_suggest_days": "3", "ask_expiry_days": "30",
            "over_giver_people": "8", "over_giver_back_max": "1"}


def upgrade() -> None:
    op.create_table(
        "asks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("asker_id", sa.String(length=32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_asks_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asks")),
    )
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.create_index("ix_asks_team_asker", ["team_id", "asker_id"], unique=False)
        batch_op.create_index("ix_asks_team_status", ["team_id", "status"], unique=False)

    op.create_table(
        "ask_offers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("ask_id", sa.Integer(), nullable=False),
        sa.Column("helper_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ask_id"], ["asks.id"], name=op.f("fk_ask_offers_ask_id_asks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_ask_offers_team_id_workspaces"),
            ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_offers")),
        sa.UniqueConstraint("team_id", "ask_id", "helper_id",
                            name=op.f("uq_ask_offers_team_id_ask_id_helper_id")),
    )
    with op.batch_alter_table("ask_offers", schema=None) as batch_op:
        batch_op.create_index("ix_ask_offers_team_helper", ["team_id", "helper_id"], unique=False)

    op.create_table(
        "ask_me_about",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_ask_me_about_team_id_workspaces"),
            ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_me_about")),
    )
    with op.batch_alter_table("ask_me_about", schema=None) as batch_op:
        batch_op.create_index("ix_ask_me_about_team_user", ["team_id", "user_id"], unique=False)

    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asks_paused_until", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        for name, default in SETTINGS.items():
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default=default))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        for name in reversed(SETTINGS):
            batch_op.drop_column(name)
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("asks_paused_until")
    with op.batch_alter_table("ask_me_about", schema=None) as batch_op:
        batch_op.drop_index("ix_ask_me_about_team_user")
    op.drop_table("ask_me_about")
    with op.batch_alter_table("ask_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_ask_offers_team_helper")
    op.drop_table("ask_offers")
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.drop_index("ix_asks_team_status")
        batch_op.drop_index("ix_asks_team_asker")
    op.drop_table("asks")

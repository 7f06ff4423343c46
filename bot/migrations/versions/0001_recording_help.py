"""recording help

Revision ID: 0001
Revises:
Create Date: 2026-11-22 05:00:01.955416
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _oauth_tables() -> tuple[sa.MetaData, list[sa.Table]]:
    # The SDK's own table definitions, so its installation and state stores read them as-is.
    meta = sa.MetaData()
    store = SQLAlchemyInstallationStore
    tables = [
        store.build_installations_table(meta, store.default_installations_table_name),
        store.build_bots_table(meta, store.default_bots_table_name),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(meta, SQLAlchemyOAuthStateStore.default_table_name),
    ]
    return meta, tables


def upgrade() -> None:
    meta, tables = _oauth_tables()
    meta.create_all(op.get_bind(), tables=tables)
    op.create_table(
        "processed_events",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "event_id", name=op.f("pk_processed_events")),
    )
    op.create_table(
        "reaction_marks",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("emoji", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint(
            "team_id", "channel_id", "message_ts", "user_id", "emoji", name=op.f("pk_reaction_marks")
        ),
    )
    op.create_table(
        "workspaces",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uninstalled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("thank_emoji", sa.String(length=500), nullable=False),
        sa.Column("nudge_channel", sa.String(length=32), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("summary_weekday", sa.Integer(), nullable=False),
        sa.Column("summary_hour", sa.Integer(), nullable=False),
        sa.Column("digest_enabled", sa.Boolean(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("one_sided_min", sa.Integer(), nullable=False),
        sa.Column("person_cooldown_days", sa.Integer(), nullable=False),
        sa.Column("pair_cooldown_days", sa.Integer(), nullable=False),
        sa.Column("claim_expiry_days", sa.Integer(), nullable=False),
        sa.Column("claim_reminder_days", sa.Integer(), nullable=False),
        sa.Column("intro_reminder_days", sa.Integer(), nullable=False),
        sa.Column("intro_expiry_days", sa.Integer(), nullable=False),
        sa.Column("intro_silent_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_workspaces")),
    )
    op.create_table(
        "help_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("helper_id", sa.String(length=32), nullable=True),
        sa.Column("receiver_id", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_help_records_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_records")),
        sa.UniqueConstraint("team_id", "dedupe_key", name=op.f("uq_help_records_team_id_dedupe_key")),
    )
    with op.batch_alter_table("help_records", schema=None) as batch_op:
        batch_op.create_index("ix_help_records_team_helper", ["team_id", "helper_id"], unique=False)
        batch_op.create_index("ix_help_records_team_receiver", ["team_id", "receiver_id"], unique=False)
        batch_op.create_index("ix_help_records_team_status_created", ["team_id", "status", "created_at"], unique=False)

    op.create_table(
        "members",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("home_team_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("tz_offset", sa.Integer(), nullable=False),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_owner", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nudges_enabled", sa.Boolean(), nullable=False),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_members_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_members")),
    )


def downgrade() -> None:
    meta, tables = _oauth_tables()
    meta.drop_all(op.get_bind(), tables=tables)
    op.drop_table("members")
    with op.batch_alter_table("help_records", schema=None) as batch_op:
        batch_op.drop_index("ix_help_records_team_status_created")
        batch_op.drop_index("ix_help_records_team_receiver")
        batch_op.drop_index("ix_help_records_team_helper")

    op.drop_table("help_records")
    op.drop_table("workspaces")
    op.drop_table("reaction_marks")
    op.drop_table("processed_events")

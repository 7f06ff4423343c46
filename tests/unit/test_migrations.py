"""The Alembic revisions build exactly the schema the models describe, on this backend."""

from alembic import command

from bot.db.migrate import alembic_config


def test_migrations_match_models(database_url):
    command.check(alembic_config(database_url))

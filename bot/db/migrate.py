"""Alembic, driven from code so `mutual run` and `mutual db upgrade` need no alembic.ini."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect, pool
from sqlalchemy.engine import make_url

from bot.config import ConfigError
from bot.db.locks import migration_lock

# Shipped inside the package, so a wheel or `pip install .` carries them.
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


class MigrationError(ConfigError):
    """The database cannot be brought to this version's schema (the CLI prints the line)."""


@dataclass(frozen=True)
class Upgrade:
    before: str | None
    after: str | None

    def describe(self) -> str:
        if self.before == self.after:
            return f"database is up to date (revision {self.after})"
        return f"database upgraded from {self.before or 'an empty schema'} to revision {self.after}"


def alembic_config(url: str) -> Config:
    if not MIGRATIONS.is_dir():
        raise RuntimeError(f"migrations folder not found at {MIGRATIONS}: a broken install")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> Upgrade:
    """Apply the migrations up to `revision`, one process at a time (see migration_lock)."""
    cfg = alembic_config(url)
    script = ScriptDirectory.from_config(cfg)
    with migration_lock(url):
        before = current_revision(url)
        if before is not None and _unknown(script, before):
            raise MigrationError(
                f"DATABASE_URL points to a database at revision {before}, which this version of "
                f"Mutual does not know (its newest is {script.get_current_head()}): run the newer version"
            )
        if revision != "head" or before != script.get_current_head():
            command.upgrade(cfg, revision)
        return Upgrade(before, current_revision(url))


class NoDatabase(ConfigError):
    """DATABASE_URL names no Mutual database: the verb would otherwise make an empty one."""


def require_database(url: str) -> None:
    """Refuse to go on unless `url` holds a Mutual database (made by `mutual run` or `mutual
    db upgrade`): run from the wrong folder, `mutual outbox` must not create a new empty
    `mutual.db` and report that the outbox is empty. SQLite: the file must exist (opening it
    would create it); otherwise the schema (Alembic's version table) must."""
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            return
        path = Path(parsed.database)
        if not path.is_file():
            raise NoDatabase(f"no Mutual database at {path.resolve()}; set DATABASE_URL")
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            present = inspect(conn).has_table("alembic_version")
    finally:
        engine.dispose()
    if not present:
        raise NoDatabase(f"no Mutual database at {shown} (no tables there); set DATABASE_URL")


def current_revision(url: str) -> str | None:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def _unknown(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is None
    except (CommandError, RevisionError):
        return True

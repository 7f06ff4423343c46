"""Engine and the one `session_scope()` the edges (listeners, jobs, CLI) use."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

READ_ONLY = "mutual_read_only"  # an execution option: this connection's transactions only read


class Database:
    """Owns the engine. On SQLite it also serialises write transactions within the process:
    waiting on a lock is cheaper and fairer than SQLite's sleep-and-retry busy handler."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._lock: contextlib.AbstractContextManager[Any] = (
            threading.RLock() if self.is_sqlite else contextlib.nullcontext()
        )
        self._commit_hooks: list[Callable[[dict[str, Any]], None]] = []
        event.listen(self._sessions, "after_commit", self._after_commit)

    def after_commit(self, hook: Callable[[dict[str, Any]], None]) -> None:
        """Call `hook(session.info)` after every successful commit (e.g. to wake the outbox's
        deliverer when the transaction wrote to it)."""
        self._commit_hooks.append(hook)

    def _after_commit(self, session: Session) -> None:
        for hook in self._commit_hooks:
            hook(session.info)
        session.info.clear()

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self._lock, self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read-only unit of work that sees one state of the database throughout, for long
        reads (exports). It takes no write lock, so the app keeps writing meanwhile: a plain
        BEGIN on SQLite (in WAL mode a reader has its own snapshot), REPEATABLE READ READ ONLY
        on PostgreSQL. Nothing it does is committed."""
        options: dict[str, Any] = (
            {READ_ONLY: True} if self.is_sqlite
            else {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
        with self.engine.connect() as conn, Session(bind=conn.execution_options(**options)) as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Any]:
        """A connection for a quick read of committed state (no write lock on SQLite, no
        session): for the hot paths that may stop after one read."""
        options = {READ_ONLY: True} if self.is_sqlite else {}
        with self.engine.connect() as conn:
            yield conn.execution_options(**options) if options else conn
            conn.rollback()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means "not answering"
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    if in_memory:
        kwargs.setdefault("poolclass", StaticPool)
    kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
    parsed = make_url(url)
    if not in_memory and parsed.database and not parsed.query:
        # Open the file, never create it: migrations made it, and a missing file (moved, a
        # volume not mounted) must be an error, not a new empty database written beside it.
        parsed = parsed.set(database="file:" + quote(parsed.database),
                            query={"mode": "rw", "uri": "true"})
    engine = create_engine(parsed, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so another process's commit can never
        # turn our read-then-write into SQLITE_BUSY halfway through.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine

"""Replicas started together on one empty database all come up: the migration runs under a
lock (a PostgreSQL advisory lock, a file lock beside a SQLite database), so one process
migrates and the others find the schema at head. Runs on the suite's backend."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support.procs import MutualProcess, free_port, http_env, http_get, run_cli
from tests.support.slack_double import SlackDouble

REPLICAS = 3


def test_three_replicas_start_at_once_on_an_empty_database(empty_database_url: str, slack: SlackDouble,
                                                           tmp_path: Path) -> None:
    ports = [free_port() for _ in range(REPLICAS)]
    folders = [tmp_path / f"replica{i}" for i in range(REPLICAS)]
    with contextlib.ExitStack() as stack:
        replicas = []
        for folder, port in zip(folders, ports, strict=True):
            folder.mkdir()
            replicas.append(stack.enter_context(
                MutualProcess(["run"], http_env(slack, empty_database_url, port), cwd=folder)))
        for replica, port in zip(replicas, ports, strict=True):
            replica.wait_healthy(port, timeout=90)
        assert all(http_get(port, "/healthz") == (200, {"ok": True}) for port in ports)
        for replica in replicas:
            assert replica.terminate() == 0, replica.log()
    for replica in replicas:
        log = replica.log()
        assert "Traceback" not in log and " ERROR " not in log, log
        assert "alembic" not in log, "Alembic's step-by-step lines belong to DEBUG"


def test_three_db_upgrades_at_once_migrate_once(empty_database_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": empty_database_url}
    with ThreadPoolExecutor(REPLICAS) as pool:
        done = list(pool.map(lambda _: run_cli(["db", "upgrade"], env, tmp_path), range(REPLICAS)))
    assert [d.returncode for d in done] == [0] * REPLICAS, [d.stderr for d in done]
    assert all(d.stderr == "" for d in done), [d.stderr for d in done]
    lines = sorted(d.stdout for d in done)
    assert all(line.count("\n") == 1 for line in lines), lines
    upgraded = [line for line in lines if line.startswith("database upgraded from an empty schema")]
    assert len(upgraded) == 1, lines  # the others waited, then found nothing to do
    assert all(line.startswith("database is up to date (revision ") for line in lines if line not in upgraded)


def test_a_database_newer_than_the_code_is_one_clear_line(empty_database_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": empty_database_url}
    assert run_cli(["db", "upgrade"], env, tmp_path).returncode == 0
    from sqlalchemy import create_engine, text

    engine = create_engine(empty_database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    done = run_cli(["db", "upgrade"], env, tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("mutual: DATABASE_URL points to a database at revision 0999"), done.stderr

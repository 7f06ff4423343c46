"""The `mutual` verbs that read a database never make one: run from the wrong folder (or with
DATABASE_URL pointing at an empty PostgreSQL database) they say where they looked, change
nothing and exit 2. Each verb describes itself in one line and has its own usage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from bot.db.session import Database
from tests.support.nudging import add_nudge, member, workspace
from tests.support.procs import run_cli

READERS = (["outbox"], ["outbox", "retry", "--failed"], ["jobs", "run"],
           ["export", "--team", "T0001"])


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("verb", READERS, ids=" ".join)
def test_a_reading_verb_refuses_a_missing_sqlite_file(tmp_path: Path, verb: list[str]) -> None:
    done = run_cli(verb, {"SLACK_BOT_TOKEN": "xoxb-test"}, tmp_path)  # no DATABASE_URL: ./mutual.db
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == (f"mutual: no Mutual database at {tmp_path.resolve() / 'mutual.db'}; "
                                   "set DATABASE_URL")
    assert not (tmp_path / "mutual.db").exists(), "nothing was created"


@pytest.mark.parametrize("verb", READERS[:1] + READERS[2:], ids=" ".join)
def test_a_reading_verb_refuses_an_empty_database(empty_database_url: str, tmp_path: Path,
                                                  verb: list[str]) -> None:
    if empty_database_url.startswith("sqlite"):
        Path(empty_database_url.removeprefix("sqlite:///")).touch()  # a file, but no schema
    done = run_cli(verb, {"DATABASE_URL": empty_database_url}, tmp_path)
    assert done.returncode == 2 and done.stdout == "", done.stdout
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("mutual: no Mutual database at ") and line.endswith("; set DATABASE_URL")
    assert "Traceback" not in done.stderr
    assert tables(empty_database_url) == set(), "no schema was made"


def test_db_upgrade_still_creates_a_database(tmp_path: Path) -> None:
    done = run_cli(["db", "upgrade"], {}, tmp_path)
    assert done.returncode == 0 and "database upgraded from an empty schema" in done.stdout
    outbox = run_cli(["outbox"], {}, tmp_path)
    assert outbox.returncode == 0 and "the outbox is empty" in outbox.stdout


def test_retry_of_an_unknown_message_says_there_is_none(db: Database, tmp_path: Path) -> None:
    done = run_cli(["outbox", "retry", "--id", "999"], {"DATABASE_URL": db.url}, tmp_path)
    assert done.returncode == 1
    assert done.stdout.strip() == "no message with id 999 in the outbox (`mutual outbox` lists them)"


def test_retry_of_a_sent_message_says_it_was_sent(db: Database, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    with db.session() as s:
        workspace(s, now)
        member(s, "UALICE", now)
        row = add_nudge(s, "one_sided:UALICE", "UALICE", now, now, status="sent")
        row_id = row.id
    done = run_cli(["outbox", "retry", "--id", str(row_id)], {"DATABASE_URL": db.url}, tmp_path)
    assert done.returncode == 1
    assert done.stdout.strip() == f"message {row_id} was sent already: nothing to re-queue"


@pytest.mark.parametrize("verb", [["run"], ["db"], ["db", "upgrade"], ["jobs"], ["jobs", "run"],
                                  ["outbox"], ["outbox", "list"], ["outbox", "retry"], ["export"],
                                  ["sandbox"]], ids=" ".join)
def test_every_verb_has_its_own_usage_and_a_description(tmp_path: Path, verb: list[str]) -> None:
    done = run_cli([*verb, "--help"], {}, tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("usage: mutual " + " ".join(verb) + " ") or lines[0] == (
        "usage: mutual " + " ".join(verb))
    description = lines[lines.index("") + 1]  # after the (maybe wrapped) usage
    assert description[:1].isupper() and len(description) > 20, done.stdout


def test_the_verbs_are_described_in_mutual_help(tmp_path: Path) -> None:
    done = run_cli(["--help"], {}, tmp_path)
    for verb in ("run", "db", "jobs", "outbox", "export", "sandbox"):
        [line] = [x for x in done.stdout.splitlines() if x.strip().startswith(verb + " ")]
        assert len(line.split(None, 1)[1]) > 20, line

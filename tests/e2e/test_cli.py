"""The `mutual` command as an operator uses it: a separate process, settings from the
environment or `.env`, one clear line when something is wrong, a clean stop on SIGTERM."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from bot.db.session import Database
from bot.services.workspaces import ensure_workspace
from tests.support import payloads as p
from tests.support.live import LiveMutual
from tests.support.procs import MutualProcess, free_port, http_env, http_get, http_post, run_cli
from tests.support.slack_double import SlackDouble

RECORD_KEYS = {"id", "helper", "receiver", "source", "status", "note", "channel", "message_ts",
               "created_at"}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")


def sqlite_url(folder: Path, name: str = "mutual.db") -> str:
    return f"sqlite:///{folder / name}"


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def last_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    return stderr.strip().splitlines()[-1]


# -- help and settings ---------------------------------------------------------------------
def test_python_m_bot_help_lists_the_verbs(tmp_path: Path) -> None:
    done = run_cli(["--help"], {}, tmp_path, module=True)
    assert done.returncode == 0, done.stderr
    for verb in ("run", "db", "jobs", "export"):
        assert verb in done.stdout
    assert done.stderr == ""


def test_mutual_script_help_and_run_help(tmp_path: Path) -> None:
    assert "--no-scheduler" in run_cli(["run", "--help"], {}, tmp_path).stdout
    assert "--format" in run_cli(["export", "--help"], {}, tmp_path).stdout


def test_no_verb_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli([], {}, tmp_path)
    assert done.returncode == 2 and "usage: mutual" in done.stderr


def test_run_with_no_settings_names_slack_bot_token(tmp_path: Path) -> None:
    done = run_cli(["run"], {}, tmp_path)
    assert done.returncode != 0
    line = one_line(done.stderr)
    assert line.startswith("mutual: ") and "SLACK_BOT_TOKEN" in line
    assert done.stdout == ""
    assert not (tmp_path / "mutual.db").exists(), "nothing is started or created"


@pytest.mark.parametrize(("env", "variable"), [
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "web"}, "PORT"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2",
      "SLACK_CLIENT_SECRET": "c"}, "SLACK_CLIENT_ID"),
])
def test_contradictory_settings_stop_run_with_one_line(tmp_path: Path, env: dict[str, str],
                                                       variable: str) -> None:
    done = run_cli(["run"], env, tmp_path)
    assert done.returncode == 2
    assert variable in one_line(done.stderr)


def test_dotenv_is_read_from_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("# Mutual's settings\nDATABASE_URL=sqlite:///from-dotenv.db\n"
                                   "SLACK_BOT_TOKEN=xoxp-not-a-bot-token\n")
    done = run_cli(["db", "upgrade"], {}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-dotenv.db").exists()

    refused = run_cli(["run"], {}, tmp_path)
    assert refused.returncode == 2 and "SLACK_BOT_TOKEN" in one_line(refused.stderr)


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///from-dotenv.db\n")
    done = run_cli(["db", "upgrade"], {"DATABASE_URL": sqlite_url(tmp_path, "from-env.db")}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-env.db").exists() and not (tmp_path / "from-dotenv.db").exists()


def test_dotenv_elsewhere_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-the-parent-folder\n")
    done = run_cli(["run"], {}, elsewhere)
    assert "SLACK_BOT_TOKEN is not set" in one_line(done.stderr)


# -- database ------------------------------------------------------------------------------
def test_db_upgrade_creates_the_schema_and_is_repeatable(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    for expected in ("database upgraded from an empty schema to revision ", "database is up to date"):
        done = run_cli(["db", "upgrade"], {"DATABASE_URL": url}, tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(expected) and done.stdout.count("\n") == 1, done.stdout
        assert done.stderr == "", "quiet: Alembic's INFO lines are for MUTUAL_LOG_LEVEL=DEBUG"
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert {"help_records", "workspaces", "processed_events", "slack_installations",
            "slack_bots"} <= tables
    assert version  # at head; test_migrations checks head equals the models


def test_db_recount_rebuilds_the_kept_counts_from_the_records(tmp_path: Path) -> None:
    from sqlalchemy import delete

    from bot.db.models import HelpCount
    from bot.services import counts
    from bot.services.recording import record_thanks

    url = sqlite_url(tmp_path)
    assert run_cli(["db", "upgrade"], {"DATABASE_URL": url}, tmp_path).returncode == 0
    db = Database(url)
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    try:
        with db.session() as s:
            ensure_workspace(s, "T0001", now)
            record_thanks(s, "T0001", "UALICE", ["UBOB", "UCAROL"], "the deploy", now)
            record_thanks(s, "T0001", "UALICE", ["UBOB"], "", now)
            expected = counts.kept(s)
            s.execute(delete(HelpCount))  # lost, or never kept
        done = run_cli(["db", "recount"], {"DATABASE_URL": url}, tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == "kept counts rebuilt from the help records: 2 day buckets"
        with db.session() as s:
            assert counts.kept(s) == expected == counts.expected(s)
    finally:
        db.dispose()


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "no" / "such" / "folder")
    done = run_cli(["db", "upgrade"], {"DATABASE_URL": url}, tmp_path)
    assert done.returncode == 2
    line = last_line(done.stderr)
    assert line.startswith("mutual: DATABASE_URL") and "cannot be used" in line
    done = run_cli(["export", "--team", "T0001"], {"DATABASE_URL": url}, tmp_path)
    assert done.returncode == 2 and last_line(done.stderr).startswith("mutual: no Mutual database at ")


def test_unreachable_postgres_hides_the_password(tmp_path: Path) -> None:
    url = f"postgresql://mutual:hunter2@127.0.0.1:{free_port()}/mutual"
    done = run_cli(["db", "upgrade"], {"DATABASE_URL": url}, tmp_path)
    assert done.returncode == 2
    line = last_line(done.stderr)
    assert "DATABASE_URL" in line and "hunter2" not in done.stderr


# -- mutual run over HTTP ------------------------------------------------------------------
def test_mutual_run_over_http_then_export(tmp_path: Path, slack: SlackDouble) -> None:
    """Migrates a new database, serves signed requests on PORT, stops on SIGTERM; then
    `mutual export` prints what was recorded."""
    url, port = sqlite_url(tmp_path), free_port()
    with MutualProcess(["run"], http_env(slack, url, port), cwd=tmp_path) as proc:
        proc.wait_healthy(port)
        assert http_get(port, "/healthz") == (200, {"ok": True})

        form = p.command("/thanks", "<@UBOB> for the payload parser, and the review")
        status, receipt = http_post(port, "/slack/events", form, p.signed_headers(form))
        assert status == 200, receipt
        assert receipt["response_type"] == "ephemeral" and "<@UBOB>" in receipt["text"]
        [dm] = slack.wait_for("chat.postMessage")
        assert dm["channel"] == "UBOB"

        unsigned = http_post(port, "/slack/events", form)
        assert unsigned[0] == 401

        assert proc.terminate() == 0, proc.log()
    assert "Traceback" not in proc.log(), proc.log()

    done = run_cli(["export", "--team", "T0001", "--format", "json"], {"DATABASE_URL": url}, tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["team"] == "T0001" and data["intros"] == [] and data["nudges"] == []
    [record] = data["records"]
    assert set(record) >= RECORD_KEYS
    assert (record["helper"], record["receiver"], record["source"], record["status"]) == (
        "UBOB", "UALICE", "command", "confirmed")
    assert record["note"] == "the payload parser, and the review"
    assert ISO_UTC.match(record["created_at"])


def test_slack_refusing_the_bot_token_stops_run(tmp_path: Path, slack: SlackDouble) -> None:
    slack.fail("auth.test", "invalid_auth")
    done = run_cli(["run"], http_env(slack, sqlite_url(tmp_path), free_port()), tmp_path)
    assert done.returncode == 2
    line = last_line(done.stderr)
    assert line.startswith("mutual: SLACK_BOT_TOKEN") and "invalid_auth" in line


def test_nothing_answering_at_slack_api_url_stops_run(tmp_path: Path, slack: SlackDouble) -> None:
    env = http_env(slack, sqlite_url(tmp_path), free_port())
    env["SLACK_API_URL"] = f"http://127.0.0.1:{free_port()}/api/"
    done = run_cli(["run"], env, tmp_path)
    assert done.returncode == 2
    assert last_line(done.stderr).startswith("mutual: SLACK_API_URL")


def test_slack_refusing_the_app_token_stops_run(tmp_path: Path, slack: SlackDouble) -> None:
    slack.fail("apps.connections.open", "invalid_auth")
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-1-bad",
           "SLACK_API_URL": slack.api_url, "DATABASE_URL": sqlite_url(tmp_path), "PORT": str(free_port())}
    done = run_cli(["run", "--no-scheduler"], env, tmp_path)
    assert done.returncode == 2
    line = last_line(done.stderr)
    assert line.startswith("mutual: SLACK_APP_TOKEN") and "invalid_auth" in line


# -- export --------------------------------------------------------------------------------
def test_export_json_and_csv_of_records_made_over_http(mutual: LiveMutual, slack: SlackDouble,
                                                      db: Database, tmp_path: Path) -> None:
    assert mutual.post(p.command("/thanks", "<@UBOB> <@UCAROL> for the, \"tricky\" fix")).status == 200
    reaction = p.event(p.reaction("reaction_added", user="UCAROL", author="UBOB",
                                  channel="CDEV", ts="1700000123.000200"))
    assert mutual.post_event(reaction).status == 200
    mutual.settle()

    done = run_cli(["export", "--team", "T0001", "--format", "json"], {"DATABASE_URL": db.url}, tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    rows = [(r["helper"], r["receiver"], r["source"], r["note"], r["channel"], r["message_ts"])
            for r in data["records"]]
    assert rows == [
        ("UBOB", "UALICE", "command", 'the, "tricky" fix', "CGENERAL", None),
        ("UCAROL", "UALICE", "command", 'the, "tricky" fix', "CGENERAL", None),
        ("UBOB", "UCAROL", "reaction", "", "CDEV", "1700000123.000200"),
    ]
    assert all(set(r) >= RECORD_KEYS and ISO_UTC.match(r["created_at"]) for r in data["records"])

    as_csv = run_cli(["export", "--team", "T0001", "--format", "csv"], {"DATABASE_URL": db.url}, tmp_path)
    assert as_csv.returncode == 0, as_csv.stderr
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert set(table[0]) >= RECORD_KEYS
    assert [(r["helper"], r["note"]) for r in table] == [(h, n) for h, _, _, n, _, _ in rows]


def test_export_names_people_and_channels_beside_their_ids(mutual: LiveMutual, slack: SlackDouble,
                                                          db: Database, tmp_path: Path) -> None:
    assert mutual.post(p.command("/thanks", "<@UBOB> for the fix")).status == 200
    reaction = p.event(p.reaction("reaction_added", user="UCAROL", author="UBOB", channel="CGONE",
                                  ts="1700000123.000200"))
    assert mutual.post_event(reaction).status == 200
    assert mutual.post(p.command("/intro", "<@UBOB> <@UCAROL> you both run on-call")).status == 200
    mutual.settle()
    env = {"DATABASE_URL": db.url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.api_url}

    data = json.loads(run_cli(["export", "--team", "T0001"], env, tmp_path).stdout)
    named = [(r["helper"], r["helper_name"], r["receiver_name"], r["channel"], r["channel_name"])
             for r in data["records"]]
    # A channel Slack will not name (gone, private) stays its id, and the export goes on.
    assert named == [("UBOB", "Bob", "Alice", "CGENERAL", "general"),
                     ("UBOB", "Bob", "Carol", "CGONE", None)]
    [intro] = data["intros"]
    assert (intro["introducer_name"], intro["a_name"], intro["b_name"]) == ("Alice", "Bob", "Carol")
    assert ISO_UTC.match(data["records"][0]["created_at"])

    table = list(csv.DictReader(io.StringIO(run_cli(["export", "--team", "T0001", "--format", "csv"],
                                                    env, tmp_path).stdout)))
    assert list(table[0])[-3:] == ["helper_name", "receiver_name", "channel_name"]
    assert [(r["helper"], r["helper_name"], r["channel_name"]) for r in table] == [
        ("UBOB", "Bob", "general"), ("UBOB", "Bob", "")]

    slack.down()  # no Slack at all: names from Mutual's own cache, channels as ids
    try:
        offline = json.loads(run_cli(["export", "--team", "T0001"], env, tmp_path).stdout)
    finally:
        slack.up()
    assert [(r["helper_name"], r["channel_name"]) for r in offline["records"]] == [
        ("Bob", None), ("Bob", None)]


def test_export_of_an_unknown_team_fails_naming_it(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        ensure_workspace(session, "T0001", datetime.now(UTC))
    for fmt in ("json", "csv"):
        done = run_cli(["export", "--team", "T0OO1", "--format", fmt], {"DATABASE_URL": db.url}, tmp_path)
        assert done.returncode == 2 and done.stdout == ""
        assert one_line(done.stderr) == ("mutual: --team T0OO1: no such workspace in this database "
                                         "(workspaces here: T0001)")


def test_export_needs_a_team(tmp_path: Path) -> None:
    done = run_cli(["export"], {"DATABASE_URL": sqlite_url(tmp_path)}, tmp_path)
    assert done.returncode == 2 and "--team" in done.stderr

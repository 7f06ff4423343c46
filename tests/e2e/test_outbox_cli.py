"""`mutual outbox`: what is pending, held or failed, and why; `retry` sends it again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.db.models import OutboxItem
from tests.conftest import START
from tests.support.nudging import add_nudge, member, workspace
from tests.support.procs import run_cli
from tests.support.slack_double import SlackDouble


def env(slack: SlackDouble, url: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.api_url, "DATABASE_URL": url}


def test_lists_then_requeues_what_failed(tmp_path: Path, slack: SlackDouble, db) -> None:
    with db.session() as s:
        workspace(s, START)
        member(s, "UALICE", START)
        add_nudge(s, "claim_reminder:1", "UALICE", START, START, kind="claim_reminder",
                  subject=None, payload={"helper": "UBOB", "note": "n", "record_id": 1,
                                         "expires_at": None},
                  status="failed", last_error="channel_not_found", attempts=1)
        add_nudge(s, "one_sided:UALICE", "UALICE", START + timedelta(days=400), START,
                  last_error="outside working hours")
    shown = run_cli(["outbox"], env(slack, db.url), tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].split()[:6] == ["id", "team", "kind", "state", "age", "tries"]
    assert any("claim_reminder" in line and "failed" in line and "channel_not_found" in line
               for line in lines)
    assert any("one_sided" in line and "held" in line for line in lines)

    assert run_cli(["outbox", "retry"], env(slack, db.url), tmp_path).returncode == 2
    again = run_cli(["outbox", "retry", "--failed"], env(slack, db.url), tmp_path)
    assert again.returncode == 0 and "re-queued 1 message" in again.stdout
    with db.session() as s:
        row = s.scalars(select(OutboxItem).where(OutboxItem.key == "claim_reminder:1")).one()
        assert (row.status, row.attempts, row.last_error) == ("pending", 0, None)
    missing = run_cli(["outbox", "retry", "--id", "999999"], env(slack, db.url), tmp_path)
    assert missing.returncode == 1 and "no message with id 999999" in missing.stdout


def test_an_empty_outbox_says_so(tmp_path: Path, slack: SlackDouble, db) -> None:
    shown = run_cli(["outbox"], env(slack, db.url), tmp_path)
    assert shown.returncode == 0 and "the outbox is empty" in shown.stdout

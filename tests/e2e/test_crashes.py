"""`mutual run` killed (SIGKILL) between the commit and the send, and two replicas sending from
one outbox: every message still arrives, and arrives once."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from bot.db.models import OutboxItem
from tests.support import payloads as p
from tests.support.procs import MutualProcess, free_port, http_post
from tests.support.slack_double import SlackDouble


def env(slack: SlackDouble, url: str, port: int) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": p.SECRET,
            "SLACK_API_URL": slack.api_url, "DATABASE_URL": url, "PORT": str(port)}


def thank(port: int, helper: str, note: str) -> None:
    form = p.command("/thanks", f"<@{helper}> for {note}")
    status, receipt = http_post(port, "/slack/events", form, p.signed_headers(form))
    assert status == 200 and "Noted" in receipt["text"], receipt


def arrived(slack: SlackDouble, user: str, note: str) -> int:
    return sum(note in str(m["text"]) for m in slack.history.get(slack.dm_id(user), []))


def wait_until(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def row_status(db, note_key_prefix: str = "thanked:") -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(OutboxItem.status).where(OutboxItem.key.startswith(note_key_prefix))))


def test_killed_while_slack_was_taking_the_message_it_is_not_sent_again(tmp_path: Path,
                                                                         slack: SlackDouble, db) -> None:
    port = free_port()
    slack.hang("chat.postMessage", 30)  # Slack takes the DM, but its answer never comes back
    with MutualProcess(["run"], env(slack, db.url, port), cwd=tmp_path) as first:
        first.wait_healthy(port)
        thank(port, "UBOB", "the late-night deploy")
        slack.wait_for("chat.postMessage")
        assert first.proc is not None
        first.proc.kill()  # SIGKILL: no chance to record what happened
        first.proc.wait(timeout=10)
    assert row_status(db) == ["sending"]
    with MutualProcess(["run"], env(slack, db.url, port), cwd=tmp_path) as second:
        second.wait_healthy(port)
        wait_until(lambda: row_status(db) == ["sent"])
        assert second.terminate() == 0
    assert "recovering" in second.log()
    assert arrived(slack, "UBOB", "the late-night deploy") == 1
    assert len(slack.calls_to("chat.postMessage")) == 1, "looked up, not sent again"


def test_killed_before_slack_got_the_message_it_is_sent_after_restart(tmp_path: Path,
                                                                      slack: SlackDouble, db) -> None:
    port = free_port()
    with MutualProcess(["run"], env(slack, db.url, port), cwd=tmp_path) as first:
        first.wait_healthy(port)
        thank(port, "UBOB", "the first review")  # Mutual now knows Bob
        wait_until(lambda: arrived(slack, "UBOB", "the first review") == 1)
        slack.down()  # the DM cannot go out: it waits in the outbox
        thank(port, "UBOB", "the second review")
        wait_until(lambda: any("connection failed" in (e or "") for e in _errors(db)))
        assert first.proc is not None
        first.proc.kill()
        first.proc.wait(timeout=10)
    slack.up()
    with MutualProcess(["run"], env(slack, db.url, port), cwd=tmp_path) as second:
        second.wait_healthy(port)
        wait_until(lambda: arrived(slack, "UBOB", "the second review") == 1)
        assert second.terminate() == 0
    assert arrived(slack, "UBOB", "the second review") == 1
    assert row_status(db) == ["sent", "sent"]


def _errors(db) -> list[str | None]:
    with db.session() as s:
        return list(s.scalars(select(OutboxItem.last_error)))


def test_two_replicas_send_from_one_outbox_and_nothing_twice(tmp_path: Path, slack: SlackDouble,
                                                             db) -> None:
    """Requests alternate between two `mutual run` on one database (as behind a load
    balancer); both deliverers work the same outbox."""
    ports = [free_port(), free_port()]
    helpers = ["UBOB", "UCAROL", "UERIN"]
    logs = [tmp_path / "a", tmp_path / "b"]
    for log in logs:
        log.mkdir()
    with MutualProcess(["run"], env(slack, db.url, ports[0]), cwd=logs[0]) as a, \
            MutualProcess(["run", "--no-scheduler"], env(slack, db.url, ports[1]), cwd=logs[1]) as b:
        a.wait_healthy(ports[0])
        b.wait_healthy(ports[1])
        for i in range(30):
            thank(ports[i % 2], helpers[i % 3], f"favour number {i:02d}")
        wait_until(lambda: sum(len(slack.history.get(slack.dm_id(h), [])) for h in helpers) >= 30)
        time.sleep(1.0)  # anything sent twice would arrive by now
        assert a.terminate() == 0 and b.terminate() == 0
    keys = Counter(str(m["metadata"]["event_payload"]["key"])
                   for h in helpers for m in slack.history.get(slack.dm_id(h), []))
    assert len(keys) == 30 and set(keys.values()) == {1}
    for i in range(30):
        assert arrived(slack, helpers[i % 3], f"favour number {i:02d}") == 1
    assert set(row_status(db)) == {"sent"}

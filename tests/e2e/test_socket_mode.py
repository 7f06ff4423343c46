"""Socket Mode: the app opens `apps.connections.open` on the Web API double, connects to the
WebSocket double, takes envelopes and acks them — in-process, and through `mutual run`."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import create_app, create_deliverer
from bot.clock import FixedClock
from bot.config import ConfigError
from bot.db.session import Database
from bot.delivery.worker import Deliverer
from bot.server import connect_socket_mode, make_http_server
from tests.support import payloads as p
from tests.support.db_read import record_count, records
from tests.support.live import settings_for
from tests.support.outage import database_down
from tests.support.procs import MutualProcess, free_port, http_get, http_post
from tests.support.slack_double import SlackDouble
from tests.support.socket_double import SocketDouble

APP_TOKEN = "xapp-1-A0001-test"


@dataclass
class SocketMutual:
    sock: SocketDouble
    deliverer: Deliverer
    port: int

    def settle(self) -> None:
        assert self.deliverer.wait_idle(10.0)


@pytest.fixture
def sock() -> Iterator[SocketDouble]:
    double = SocketDouble().start()
    yield double
    double.stop()


@pytest.fixture
def socket_mutual(slack: SlackDouble, sock: SocketDouble, db: Database,
                  clock: FixedClock) -> Iterator[SocketMutual]:
    """The real app in Socket Mode, wired as `mutual run` wires it: the socket for Slack,
    HTTP for health checks only."""
    slack.socket_url = sock.url
    settings = settings_for(slack, db.url, app_token=APP_TOKEN, signing_secret=None)
    app, _ = create_app(settings, db, clock=clock)
    deliverer = create_deliverer(settings, db, clock, poll=0.2).start()
    server = make_http_server(app, db, settings, host="127.0.0.1", port=0,
                              serve_events=not settings.socket_mode)
    threading.Thread(target=server.run, daemon=True).start()
    handler = connect_socket_mode(app, APP_TOKEN)
    sock.wait_connected()
    yield SocketMutual(sock, deliverer, int(server.effective_port))  # type: ignore[attr-defined]
    close_quickly(handler, sock)
    server.close()
    deliverer.stop()


def close_quickly(handler: SocketModeHandler, sock: SocketDouble) -> None:
    """handler.close(), without waiting out the SDK reader's 3-second blocking read: close()
    waits for that read to end, and a ping from the double ends it at once."""
    closing = threading.Thread(target=handler.close)
    closing.start()
    while closing.is_alive():
        sock.ping()
        closing.join(0.05)


def test_connects_with_the_app_token(socket_mutual: SocketMutual, slack: SlackDouble) -> None:
    [opened] = [c for c in slack.calls if c.method == "apps.connections.open"]
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
    assert socket_mutual.sock.connections == 1


def test_thanks_command_is_acked_with_the_receipt(socket_mutual: SocketMutual, slack: SlackDouble,
                                                  db: Database) -> None:
    sock = socket_mutual.sock
    envelope = sock.send_command(p.command("/thanks", "<@UBOB> for the review"))

    ack = sock.wait_for_ack(envelope)
    receipt = ack["payload"]
    assert receipt["response_type"] == "ephemeral"
    assert "<@UBOB>" in receipt["text"] and "the review" in receipt["text"]
    assert receipt["blocks"], "the receipt keeps its Share button"

    [rec] = records(db)
    assert (rec.helper_id, rec.receiver_id, rec.source, rec.note) == (
        "UBOB", "UALICE", "command", "the review")
    socket_mutual.settle()
    [dm] = slack.dms_to("UBOB")
    assert "<@UALICE> thanked you" in dm["text"] and "the review" in dm["text"]
    assert len(sock.acks_for(envelope)) == 1


def test_refused_command_is_acked_with_the_reason(socket_mutual: SocketMutual, db: Database) -> None:
    envelope = socket_mutual.sock.send_command(p.command("/thanks", "<@UALICE> for being me"))
    reply = socket_mutual.sock.wait_for_ack(envelope)["payload"]
    assert reply["response_type"] == "ephemeral" and "Nothing was saved" in reply["text"]
    assert record_count(db) == 0


def test_reaction_delivered_twice_records_once(socket_mutual: SocketMutual, db: Database) -> None:
    sock = socket_mutual.sock
    body = p.event(p.reaction("reaction_added", user="UALICE", author="UBOB"), event_id="EvSOCK1")

    first = sock.send_event(body)
    ack = sock.wait_for_ack(first)
    assert not ack.get("payload"), "events are acked without a payload"
    # Slack thought the first ack was late and delivers the same event again.
    again = sock.send_event(body, retry_attempt=1, retry_reason="timeout")
    sock.wait_for_ack(again)

    [rec] = records(db)
    assert (rec.helper_id, rec.receiver_id, rec.source) == ("UBOB", "UALICE", "reaction")


def test_same_event_on_two_envelopes_at_once_records_once(socket_mutual: SocketMutual,
                                                          db: Database) -> None:
    """Both deliveries race on everything: the event id and the first sight of both people."""
    sock = socket_mutual.sock
    body = p.event(p.reaction("reaction_added", user="UCAROL", author="UBOB"), event_id="EvSOCK2")
    envelopes = [sock.send_event(body), sock.send_event(body, retry_attempt=1,
                                                        retry_reason="http_timeout")]
    for envelope in envelopes:
        sock.wait_for_ack(envelope)
    assert [(r.helper_id, r.receiver_id) for r in records(db)] == [("UBOB", "UCAROL")]


def test_interactive_envelope_is_acked(socket_mutual: SocketMutual, slack: SlackDouble) -> None:
    envelope = socket_mutual.sock.send_interactive(p.global_shortcut("thank_someone"))
    socket_mutual.sock.wait_for_ack(envelope)
    [opened] = slack.calls_to("views.open")
    assert opened["trigger_id"].startswith("trigger.")


def wait_for_log(caplog: pytest.LogCaptureFixture, fragment: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not any(fragment in r.getMessage() for r in caplog.records):
        assert time.monotonic() < deadline, f"never logged {fragment!r}"
        time.sleep(0.02)


def test_event_not_acked_while_database_is_down_then_recorded_once(
        socket_mutual: SocketMutual, db: Database, caplog: pytest.LogCaptureFixture) -> None:
    sock = socket_mutual.sock
    body = p.event(p.reaction("reaction_added", user="UALICE", author="UCAROL"), event_id="EvSOCK3")
    caplog.set_level(logging.INFO, logger="slack_bolt.App")  # where the adapter reports a non-ack
    with database_down(db):
        lost = sock.send_event(body)
        # Bolt answers 503 and the adapter sends no ack, so Slack delivers the event again.
        wait_for_log(caplog, "status: 503")
        assert sock.acks_for(lost) == []
        # A command is never redelivered: the person is told to try again instead.
        command = sock.send_command(p.command("/thanks", "<@UBOB> for waiting"))
        assert "try again" in sock.wait_for_ack(command)["payload"]["text"]
    assert record_count(db) == 0
    retry = sock.send_event(body, retry_attempt=1, retry_reason="timeout")
    sock.wait_for_ack(retry)
    assert [(r.helper_id, r.receiver_id) for r in records(db)] == [("UCAROL", "UALICE")]
    assert sock.acks_for(lost) == []


def test_http_serves_only_healthz(socket_mutual: SocketMutual, db: Database) -> None:
    assert http_get(socket_mutual.port, "/healthz") == (200, {"ok": True})
    # Unsigned and signed alike: in Socket Mode nothing comes in over HTTP.
    form = p.command("/thanks", "<@UBOB> for the review")
    assert http_post(socket_mutual.port, "/slack/events", form)[0] == 404
    assert http_post(socket_mutual.port, "/slack/events", form, p.signed_headers(form))[0] == 404
    assert record_count(db) == 0


def test_refused_app_token_is_one_clear_line(slack: SlackDouble, db: Database) -> None:
    slack.fail("apps.connections.open", "invalid_auth")
    settings = settings_for(slack, db.url, app_token=APP_TOKEN, signing_secret=None)
    app, _ = create_app(settings, db)
    with pytest.raises(ConfigError) as refused:
        connect_socket_mode(app, APP_TOKEN)
    message = str(refused.value)
    assert "SLACK_APP_TOKEN" in message and "invalid_auth" in message and "\n" not in message


def test_mutual_run_in_socket_mode(tmp_path: Any, slack: SlackDouble, sock: SocketDouble,
                                   db: Database) -> None:
    """The real entry point: `mutual run` as a process, envelopes in, acks out, SIGTERM out."""
    slack.socket_url = sock.url
    port = free_port()
    env = {"SLACK_APP_TOKEN": APP_TOKEN, "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_API_URL": slack.api_url, "DATABASE_URL": db.url, "PORT": str(port)}
    with MutualProcess(["run"], env, cwd=tmp_path) as proc:
        proc.wait_healthy(port)
        sock.wait_connected(timeout=30)

        envelope = sock.send_command(p.command("/thanks", "<@UBOB> for the deploy"))
        assert "<@UBOB>" in sock.wait_for_ack(envelope, timeout=30)["payload"]["text"]
        event = sock.send_event(p.event(p.reaction("reaction_added", user="UCAROL", author="UBOB")))
        sock.wait_for_ack(event, timeout=30)
        slack.wait_for("chat.postMessage")
        assert http_post(port, "/slack/events", "token=x&command=/thanks")[0] == 404

        assert proc.terminate() == 0, proc.log()
    sock.wait_disconnected()
    assert sorted((r.helper_id, r.receiver_id, r.source) for r in records(db)) == [
        ("UBOB", "UALICE", "command"), ("UBOB", "UCAROL", "reaction")]


def test_envelopes_are_counted_on_metrics_like_http_requests(socket_mutual: SocketMutual,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    def requests_ok() -> dict[str, float]:
        status, text = http_get(socket_mutual.port, "/metrics")
        assert status == 200
        return {s.labels["surface"]: s.value for f in text_string_to_metric_families(text)
                for s in f.samples if s.name == "mutual_requests_total" and s.labels["outcome"] == "ok"}

    before = requests_ok()
    with caplog.at_level(logging.INFO, logger="mutual.requests"):
        envelope = socket_mutual.sock.send_command(p.command("/thanks", "<@UBOB> for the socket"))
        socket_mutual.sock.wait_for_ack(envelope)
        deadline = time.monotonic() + 5
        while requests_ok()["command"] == before["command"] and time.monotonic() < deadline:
            time.sleep(0.01)  # counted just after the ack is sent
    assert requests_ok()["command"] == before["command"] + 1
    [line] = [r for r in caplog.records if r.name == "mutual.requests"]
    assert (line.surface, line.team, line.outcome) == ("command", "T0001", "ok")  # type: ignore[attr-defined]
    assert "the socket" not in line.getMessage()

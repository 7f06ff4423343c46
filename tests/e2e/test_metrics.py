"""GET /metrics and the request and job lines, over HTTP: what a /thanks, a refusal, a badly
signed request, a 429 and a job run each move, read from the endpoint as Prometheus reads it.
The registry is per process and shared by the tests in it, so each test compares a scrape
before with one after."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.db.session import Database
from bot.jobs.lease import job_lock
from bot.jobs.scheduler import JOBS, run_all
from bot.observe.logs import JsonFormatter
from tests.support import payloads as p
from tests.support.live import LiveMutual
from tests.support.procs import MutualProcess, free_port, http_env, http_get, http_post
from tests.support.slack_double import SlackDouble

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(mutual: LiveMutual) -> Samples:
    reply = mutual.request("GET", "/metrics")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/plain; version=")
    return parse(reply.body)


def parse(text: str) -> Samples:
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def total(samples: Samples, name: str, **labels: str) -> float:
    """Summed over every label not given (e.g. all kinds)."""
    want = set(labels.items())
    return sum(v for (n, got), v in samples.items() if n == name and want <= got)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return total(after, name, **labels) - total(before, name, **labels)


def test_a_thanks_moves_requests_ack_latency_records_and_deliveries(mutual: LiveMutual) -> None:
    before = scrape(mutual)
    reply = mutual.post(p.command("/thanks", "<@UBOB> for the code review"))
    assert reply.status == 200
    after = scrape(mutual)
    assert moved(before, after, "mutual_requests_total", surface="command", outcome="ok") == 1
    assert moved(before, after, "mutual_requests_total") == 1
    assert moved(before, after, "mutual_ack_seconds_count", surface="command") == 1
    assert moved(before, after, "mutual_ack_seconds_sum", surface="command") > 0
    assert moved(before, after, "mutual_records_written_total", source="command") == 1
    assert moved(before, after, "mutual_deliveries_total") >= 1  # the DM to Bob
    assert value(after, "mutual_database_up") == 1


def test_every_surface_and_outcome_is_exposed_from_the_start(mutual: LiveMutual) -> None:
    samples = scrape(mutual)
    for surface in ("command", "event", "action", "view", "shortcut", "options", "other"):
        for outcome in ("ok", "refused", "error") + (("unsigned",) if surface == "other" else ()):
            assert (("mutual_requests_total", frozenset({("surface", surface), ("outcome", outcome)}))
                    in samples)


def test_a_badly_signed_request_counts_as_unsigned(mutual: LiveMutual) -> None:
    before = scrape(mutual)
    assert mutual.post(p.command("/thanks", "<@UBOB> hi"), secret="not-the-secret").status == 401
    after = scrape(mutual)
    assert moved(before, after, "mutual_requests_total", outcome="unsigned") == 1
    assert moved(before, after, "mutual_requests_total", outcome="ok") == 0
    assert moved(before, after, "mutual_records_written_total") == 0


def test_a_replayed_command_counts_as_refused_and_an_event_by_its_surface(mutual: LiveMutual) -> None:
    body = p.command("/thanks", "<@UBOB> for the review")
    before = scrape(mutual)
    assert mutual.post(body).status == 200
    assert mutual.post(body).status == 200  # the same trigger_id: answered, not acted on again
    mutual.open_home("UALICE")
    after = scrape(mutual)
    assert moved(before, after, "mutual_requests_total", surface="command", outcome="ok") == 1
    assert moved(before, after, "mutual_requests_total", surface="command", outcome="refused") == 1
    assert moved(before, after, "mutual_requests_total", surface="event", outcome="ok") == 1
    assert moved(before, after, "mutual_records_written_total", source="command") == 1


def test_metrics_is_get_only(mutual: LiveMutual) -> None:
    assert mutual.request("POST", "/metrics", "x").status != 200


def test_outbox_depth_is_counted_at_scrape_time(mutual: LiveMutual) -> None:
    with mutual.delivery_paused():
        mutual.post(p.command("/thanks", "<@UBOB> and <@UCAROL> for the pairing"), settle=False)
        waiting = scrape(mutual)
        assert total(waiting, "mutual_outbox_depth", status="pending") >= 2  # a DM to each
    mutual.settle()
    assert total(scrape(mutual), "mutual_outbox_depth", status="pending") == 0


def test_a_429_is_counted_as_rate_limited_and_then_sent(mutual: LiveMutual, slack: SlackDouble) -> None:
    slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    before = scrape(mutual)
    mutual.post(p.command("/thanks", "<@UBOB> for the tip"))
    held = scrape(mutual)
    assert moved(before, held, "mutual_delivery_rate_limited_total") == 1
    mutual.clock.set(mutual.clock() + timedelta(seconds=2))  # past Retry-After
    time.sleep(1.0)  # the deliverer's own wait for the method, in real seconds
    mutual.settle()
    after = scrape(mutual)
    assert moved(before, after, "mutual_delivery_rate_limited_total") == 1
    assert moved(before, after, "mutual_deliveries_total") >= 1
    assert moved(before, after, "mutual_delivery_failures_total") == 0


def test_job_runs_durations_and_the_lock_held(mutual: LiveMutual, db: Database) -> None:
    now = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    before = scrape(mutual)
    run_all(db, now)
    after = scrape(mutual)
    for job in JOBS:
        assert moved(before, after, "mutual_job_runs_total", job=job, outcome="ok") == 1, job
        assert moved(before, after, "mutual_job_duration_seconds_count", job=job) == 1, job
    with job_lock(db, "prune", "this-test", now) as held:
        assert held
        assert value(scrape(mutual), "mutual_job_lock_held", job="prune") == 1
        run_all(db, now)  # the scheduler's own run finds the lock taken
    after_skip = scrape(mutual)
    assert value(after_skip, "mutual_job_lock_held", job="prune") == 0
    assert moved(after, after_skip, "mutual_job_runs_total", job="prune", outcome="skipped") == 1


def test_no_token_note_or_response_url_in_any_line(mutual: LiveMutual, slack: SlackDouble,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    note = "the-distinctive-salary-review-4417"
    response_url = slack.response_url("distinctive-hook-9931")
    body = p.command("/thanks", f"<@UBOB> for {note}", response_url=response_url)
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(JsonFormatter().format(record))  # type: ignore[method-assign]
    logging.getLogger().addHandler(handler)
    try:
        with caplog.at_level(logging.INFO):
            assert mutual.post(body, secret="not-the-secret").status == 401
            assert mutual.post(body).status == 200
    finally:
        logging.getLogger().removeHandler(handler)
    said = [r.getMessage() for r in caplog.records] + [str(r.__dict__) for r in caplog.records] + lines
    assert any("command" in line and "ok" in line for line in said), "the request was logged"
    for secret in (note, "distinctive-hook-9931", "xoxb-"):
        assert not [line for line in said if secret in line], secret


def test_a_json_logging_process_prints_one_object_per_line_with_request_fields(
        slack: SlackDouble, db: Database, tmp_path: Path) -> None:
    port = free_port()
    env = http_env(slack, db.url, port) | {"MUTUAL_LOG_FORMAT": "json"}
    with MutualProcess(["run", "--no-scheduler"], env, cwd=tmp_path) as proc:
        proc.wait_healthy(port)
        body = p.command("/thanks", "<@UBOB> for the deploy")
        assert http_post(port, "/slack/events", body, p.signed_headers(body))[0] == 200
        assert http_post(port, "/slack/events", body, p.signed_headers(body, secret="wrong"))[0] == 401
        status, text = http_get(port, "/metrics")
        assert proc.terminate() == 0
    assert status == 200
    samples = parse(text)  # a fresh process: its own registry, counting from zero
    assert value(samples, "mutual_requests_total", surface="command", outcome="ok") == 1
    assert value(samples, "mutual_requests_total", surface="other", outcome="unsigned") == 1
    entries = [json.loads(line) for line in proc.log().splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    requests = [e for e in entries if e["logger"] == "mutual.requests"]
    ok = [e for e in requests if e["outcome"] == "ok"]
    assert len(ok) == 1 and ok[0]["surface"] == "command" and ok[0]["team"] == "T0001"
    assert ok[0]["level"] == "INFO" and ok[0]["latency_ms"] >= 0 and len(ok[0]["request_id"]) == 16
    assert [e["outcome"] for e in requests if e is not ok[0]] == ["unsigned"]
    assert "the deploy" not in proc.log() and "xoxb-" not in proc.log()
    assert not [e for e in entries if e["logger"].startswith(("alembic", "apscheduler"))]

"""The log format (text or one JSON object per line, secrets masked), the settings that choose
it, and the scrape that must answer even when the database does not."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.config import ConfigError, load_settings
from bot.db.session import Database
from bot.observe.logs import CHATTY, REDACTED, JsonFormatter, TextFormatter, quiet_libraries, redact
from bot.observe.metrics import Scrape
from bot.observe.requests import request_id, surface_of

HTTP = {"SLACK_BOT_TOKEN": "xoxb-1-abc", "SLACK_SIGNING_SECRET": "shh"}


def record(message: str, *args: object, level: int = logging.INFO, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("mutual.requests", level, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_json_lines_carry_time_level_logger_message_and_the_extra_fields() -> None:
    line = JsonFormatter().format(record("command from %s: ok", "T0001", surface="command",
                                         team="T0001", latency_ms=12.5, request_id="abc", outcome="ok"))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "mutual.requests"
    assert entry["message"] == "command from T0001: ok"
    assert entry["time"].endswith("Z") and entry["time"][:4].isdigit()
    assert (entry["surface"], entry["team"], entry["latency_ms"], entry["outcome"]) == (
        "command", "T0001", 12.5, "ok")
    assert "args" not in entry and "msg" not in entry and "levelno" not in entry


def test_a_traceback_stays_inside_its_one_json_line() -> None:
    try:
        raise ValueError("token xoxb-123-456-abcdef leaked into an error")
    except ValueError:
        import sys

        failed = logging.LogRecord("bot.app", logging.ERROR, __file__, 1, "listener failed", (), sys.exc_info())
    line = JsonFormatter().format(failed)
    entry = json.loads(line)
    assert "ValueError" in entry["exception"] and "xoxb-" not in line and REDACTED in line


@pytest.mark.parametrize("secret", ["xoxb-1234-5678-abcdefgh", "xoxp-1-2-3-abc", "xapp-1-A0-123-abc",
                                    "xoxe.xoxp-1-abc", "https://hooks.slack.com/commands/T1/123/abcDEF"])
def test_tokens_and_response_urls_are_masked_in_both_formats(secret: str) -> None:
    made = record("sending with %s now", secret, detail=f"url={secret}")
    for formatter in (TextFormatter(), JsonFormatter()):
        line = formatter.format(made)
        assert secret not in line and "xoxb-" not in line and "hooks.slack.com/commands" not in line
        assert REDACTED in line
    assert redact("nothing to hide: T0001 U123") == "nothing to hide: T0001 U123"


def test_text_lines_keep_their_familiar_shape() -> None:
    line = TextFormatter().format(record("job %s ok", "prune", level=logging.WARNING))
    assert " WARNING mutual.requests: job prune ok" in line


@pytest.fixture
def chatty_levels() -> Iterator[None]:
    saved = {name: logging.getLogger(name).level for name in CHATTY}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize(("level", "shown"), [("INFO", False), ("WARNING", False), ("DEBUG", True)])
def test_alembic_and_apscheduler_chatter_only_at_debug(chatty_levels: None, level: str, shown: bool) -> None:
    quiet_libraries(level)
    assert logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO) is shown
    assert logging.getLogger("apscheduler.scheduler").isEnabledFor(logging.INFO) is shown
    assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.WARNING)


def test_log_format_setting() -> None:
    assert load_settings(HTTP).log_format == "text"
    assert load_settings(HTTP | {"MUTUAL_LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigError, match="MUTUAL_LOG_FORMAT must be one of text, json, got 'yaml'"):
        load_settings(HTTP | {"MUTUAL_LOG_FORMAT": "yaml"})


def test_configure_logging_writes_json_to_the_stream_it_is_given() -> None:
    from bot.observe.logs import configure_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = []
    stream = io.StringIO()
    try:
        configure_logging("INFO", "json", stream)
        logging.getLogger("mutual.jobs").info("job %s ok", "prune", extra={"job": "prune"})
    finally:
        root.handlers, _ = saved
        root.setLevel(saved[1])
        quiet_libraries("INFO")
    entry = json.loads(stream.getvalue())
    assert (entry["message"], entry["job"]) == ("job prune ok", "prune")


def test_a_scrape_with_the_database_down_still_answers(tmp_path: Path) -> None:
    gone = Database(f"sqlite:///{tmp_path / 'never-created.db'}")  # opened read-write, never created
    try:
        text = Scrape(gone).render().decode()
    finally:
        gone.dispose()
    samples = {s.name: s for family in text_string_to_metric_families(text) for s in family.samples}
    assert samples["mutual_database_up"].value == 0
    assert "mutual_outbox_depth{" not in text
    assert "mutual_requests_total" in samples  # the rest of the registry is there all the same


@pytest.mark.parametrize(("body", "surface"), [
    ({"command": "/thanks"}, "command"), ({"type": "event_callback"}, "event"),
    ({"type": "block_actions"}, "action"), ({"type": "view_submission"}, "view"),
    ({"type": "view_closed"}, "view"), ({"type": "shortcut"}, "shortcut"),
    ({"type": "message_action"}, "shortcut"), ({"type": "block_suggestion"}, "options"),
    ({"type": "url_verification"}, "other"), ({"type": ["odd"]}, "other"), ({}, "other"),
])
def test_surfaces(body: dict[str, object], surface: str) -> None:
    assert surface_of(body) == surface


def test_request_ids_are_stable_per_delivery_and_reveal_nothing() -> None:
    headers = {"x-slack-request-timestamp": ["1700000000"], "x-slack-signature": ["v0=abc"]}
    assert request_id(headers) == request_id(dict(headers)) and len(request_id(headers)) == 16
    assert "abc" not in request_id(headers)
    assert request_id({}) != request_id({})

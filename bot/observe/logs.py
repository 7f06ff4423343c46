"""Logging, configured in one place: plain text or one JSON object per line
(`MUTUAL_LOG_FORMAT`), at `MUTUAL_LOG_LEVEL`, with third-party chatter kept for DEBUG.

Whatever a line says, tokens and response_urls are masked before it is written. Note text is
never passed to a logger in the first place (a test sends a /thanks and reads every line)."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that narrate routine work at INFO: Alembic each migration step (seven lines per CLI
# command), APScheduler every tick ("Added job", "Running job", "Job executed"). Their detail
# is for MUTUAL_LOG_LEVEL=DEBUG; Mutual says in one line of its own what happened.
CHATTY = ("alembic", "apscheduler")
# Two loggers are quietened where their reason lives, at every level, whoever starts the server
# (tests and benchmarks too): Bolt's RequestVerification, which would log a badly signed
# request's whole body (bot/web.py), and waitress's per-request queue warnings (bot/server.py).
# Attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Bot, user, app and refresh tokens; Slack's response_url and incoming-webhook hosts.
_SECRETS = re.compile(r"\bx(?:ox[abpeor]|app)-[0-9A-Za-z-]+|https://hooks\.slack(?:-gov)?\.com/[^\s'\"]+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """The text with anything that looks like a Slack token or a response_url masked."""
    return _SECRETS.sub(REDACTED, text)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601 UTC), level, logger, message, then the record's
    `extra=` fields, and `exception` with the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = _field(value)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def _field(value: object) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(str(value))


def formatter(fmt: str) -> logging.Formatter:
    return JsonFormatter() if fmt == "json" else TextFormatter()


def configure_logging(level: str, fmt: str = "text", stream: TextIO | None = None) -> None:
    """The process's logging, once at start-up: one handler on the root logger (stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(fmt))
    logging.basicConfig(level=getattr(logging, level), handlers=[handler])
    quiet_libraries(level)


def quiet_libraries(level: str) -> None:
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)

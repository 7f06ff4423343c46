"""Settings read once from the environment (and `.env`), validated at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///mutual.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")


class ConfigError(Exception):
    """A missing or contradictory setting; the message is one line naming the variable."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    client_id: str | None
    client_secret: str | None
    api_url: str
    database_url: str
    port: int
    log_level: str
    log_format: str = "text"

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @property
    def oauth_mode(self) -> bool:
        return self.bot_token is None and self.client_id is not None


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def load_settings(env: Mapping[str, str] | None = None, *, require_slack: bool = True) -> Settings:
    """Build Settings from `env` (default: os.environ), raising ConfigError on the first problem.

    `require_slack=False` is for verbs that never talk to Slack (db upgrade, export).
    """
    env = os.environ if env is None else env
    settings = Settings(
        bot_token=_get(env, "SLACK_BOT_TOKEN"),
        signing_secret=_get(env, "SLACK_SIGNING_SECRET"),
        app_token=_get(env, "SLACK_APP_TOKEN"),
        client_id=_get(env, "SLACK_CLIENT_ID"),
        client_secret=_get(env, "SLACK_CLIENT_SECRET"),
        api_url=_normalise_api_url(_get(env, "SLACK_API_URL") or DEFAULT_API_URL),
        database_url=_normalise_database_url(_get(env, "DATABASE_URL") or DEFAULT_DATABASE_URL),
        port=_parse_port(_get(env, "PORT") or "3000"),
        log_level=_parse_log_level(_get(env, "MUTUAL_LOG_LEVEL") or "INFO"),
        log_format=_parse_log_format(_get(env, "MUTUAL_LOG_FORMAT") or "text"),
    )
    if require_slack:
        _check_slack(settings)
    return settings


def _normalise_api_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL, got {url!r}")
    return url if url.endswith("/") else url + "/"


def _parse_port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"PORT must be a number from 1 to 65535, got {raw!r}")
    return int(raw)


def _parse_log_level(raw: str) -> str:
    level = raw.upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"MUTUAL_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return level


def _parse_log_format(raw: str) -> str:
    fmt = raw.lower()
    if fmt not in LOG_FORMATS:
        raise ConfigError(f"MUTUAL_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, got {raw!r}")
    return fmt


def _normalise_database_url(url: str) -> str:
    """Check the URL names a database this install can open. Hosting providers hand out
    `postgres://…` and `postgresql://…`; both mean PostgreSQL through psycopg 3, the driver
    Mutual ships with (SQLAlchemy would otherwise reject the first and look for psycopg2)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a valid SQLAlchemy URL: {url!r}") from None
    shown = parsed.render_as_string(hide_password=True)
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise ConfigError(f"DATABASE_URL names a database SQLAlchemy does not know: {shown}") from None
    try:
        dialect.import_dbapi()
    except ImportError as e:
        raise ConfigError(f"DATABASE_URL needs a driver that is not installed ({e.name}): {shown}") from None
    return url


def _check_slack(s: Settings) -> None:
    if s.bot_token and s.client_id:
        raise ConfigError(
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: use a bot token (one workspace) "
            "or OAuth (many workspaces), not both"
        )
    if s.client_secret is not None and s.client_id is None and s.bot_token is None:
        raise ConfigError("SLACK_CLIENT_ID is not set but SLACK_CLIENT_SECRET is (OAuth mode)")
    if s.bot_token is None and s.client_id is None and s.app_token is not None:
        raise ConfigError("SLACK_BOT_TOKEN is not set (Socket Mode needs it as well as SLACK_APP_TOKEN)")
    if s.bot_token is None and s.client_id is None:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth); "
            "to try Mutual without Slack, run `mutual sandbox`"
        )
    if s.bot_token is not None and not s.bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if s.client_id is not None and s.client_secret is None:
        raise ConfigError("SLACK_CLIENT_SECRET is not set but SLACK_CLIENT_ID is (OAuth mode)")
    if s.app_token is not None:
        if not s.app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        if s.oauth_mode:
            raise ConfigError(
                "SLACK_APP_TOKEN (Socket Mode) cannot be combined with OAuth; set SLACK_BOT_TOKEN"
            )
    elif s.signing_secret is None:
        raise ConfigError("SLACK_SIGNING_SECRET is not set (needed to verify requests over HTTP)")


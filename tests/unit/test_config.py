"""Settings: every missing or contradictory setting stops start-up with one line naming it."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_API_URL, DEFAULT_DATABASE_URL, ConfigError, load_settings

HTTP = {"SLACK_BOT_TOKEN": "xoxb-1-abc", "SLACK_SIGNING_SECRET": "shh"}
SOCKET = {"SLACK_BOT_TOKEN": "xoxb-1-abc", "SLACK_APP_TOKEN": "xapp-1-abc"}
OAUTH = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "sec", "SLACK_SIGNING_SECRET": "shh"}


def refused(env: dict[str, str], **kw: bool) -> str:
    with pytest.raises(ConfigError) as error:
        load_settings(env, **kw)
    message = str(error.value)
    assert "\n" not in message, "one line"
    return message


def test_defaults_for_a_single_workspace_over_http() -> None:
    s = load_settings(HTTP)
    assert (s.bot_token, s.signing_secret, s.app_token) == ("xoxb-1-abc", "shh", None)
    assert (s.api_url, s.database_url, s.port, s.log_level) == (
        DEFAULT_API_URL, DEFAULT_DATABASE_URL, 3000, "INFO")
    assert not s.socket_mode and not s.oauth_mode


def test_socket_mode_needs_no_signing_secret() -> None:
    s = load_settings(SOCKET)
    assert s.socket_mode and not s.oauth_mode and s.signing_secret is None


def test_oauth_mode() -> None:
    s = load_settings(OAUTH)
    assert s.oauth_mode and not s.socket_mode and s.bot_token is None


def test_blank_values_count_as_unset() -> None:
    s = load_settings({**HTTP, "SLACK_APP_TOKEN": "  ", "PORT": "", "DATABASE_URL": " "})
    assert not s.socket_mode and s.port == 3000 and s.database_url == DEFAULT_DATABASE_URL


def test_values_are_read_and_tidied() -> None:
    s = load_settings({**HTTP, "PORT": "8080", "MUTUAL_LOG_LEVEL": "debug",
                       "SLACK_API_URL": "http://127.0.0.1:9000/api", "DATABASE_URL": "sqlite:///x.db"})
    assert (s.port, s.log_level, s.api_url, s.database_url) == (
        8080, "DEBUG", "http://127.0.0.1:9000/api/", "sqlite:///x.db")


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u:p@db:5432/mutual", "postgresql+psycopg://u:p@db:5432/mutual"),
    ("postgresql://u@db/mutual", "postgresql+psycopg://u@db/mutual"),
    ("postgresql+psycopg://u@db/mutual", "postgresql+psycopg://u@db/mutual"),
])
def test_hosting_providers_postgres_urls_use_the_installed_driver(given: str, expected: str) -> None:
    assert load_settings({**HTTP, "DATABASE_URL": given}).database_url == expected


@pytest.mark.parametrize(("env", "variable"), [
    ({}, "SLACK_BOT_TOKEN"),
    ({"SLACK_SIGNING_SECRET": "shh"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_APP_TOKEN": "xapp-1-abc"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1-abc"}, "SLACK_SIGNING_SECRET"),
    ({**HTTP, "SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
    ({**SOCKET, "SLACK_APP_TOKEN": "xoxb-1-abc"}, "SLACK_APP_TOKEN"),
    ({**HTTP, "SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "sec"}, "SLACK_CLIENT_ID"),
    ({"SLACK_CLIENT_ID": "111.222", "SLACK_SIGNING_SECRET": "shh"}, "SLACK_CLIENT_SECRET"),
    ({"SLACK_CLIENT_SECRET": "sec", "SLACK_SIGNING_SECRET": "shh"}, "SLACK_CLIENT_ID"),
    ({"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "sec"}, "SLACK_SIGNING_SECRET"),
    ({**OAUTH, "SLACK_APP_TOKEN": "xapp-1-abc"}, "SLACK_APP_TOKEN"),
    ({**HTTP, "PORT": "http"}, "PORT"),
    ({**HTTP, "PORT": "0"}, "PORT"),
    ({**HTTP, "PORT": "70000"}, "PORT"),
    ({**HTTP, "PORT": "-1"}, "PORT"),
    ({**HTTP, "MUTUAL_LOG_LEVEL": "chatty"}, "MUTUAL_LOG_LEVEL"),
    ({**HTTP, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
    ({**HTTP, "SLACK_API_URL": "ftp://slack.com/api/"}, "SLACK_API_URL"),
    ({**HTTP, "DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ({**HTTP, "DATABASE_URL": "mongodb://db/mutual"}, "DATABASE_URL"),
    ({**HTTP, "DATABASE_URL": "postgresql+psycopg2://u@db/mutual"}, "DATABASE_URL"),
])
def test_missing_or_contradictory_setting_names_the_variable(env: dict[str, str], variable: str) -> None:
    assert variable in refused(env)


def test_messages_say_what_to_do() -> None:
    assert "SLACK_CLIENT_ID" in refused({}), "points to OAuth as the alternative"
    assert "not both" in refused({**HTTP, **OAUTH})
    assert "psycopg2" in refused({**HTTP, "DATABASE_URL": "postgresql+psycopg2://u@db/m"})


def test_database_password_never_printed() -> None:
    message = refused({**HTTP, "DATABASE_URL": "postgresql+psycopg2://u:hunter2@db/m"})
    assert "hunter2" not in message


def test_verbs_without_slack_need_no_tokens() -> None:
    s = load_settings({"DATABASE_URL": "sqlite:///x.db"}, require_slack=False)
    assert s.bot_token is None and s.database_url == "sqlite:///x.db"
    # ...but what they do use is still checked.
    assert refused({"DATABASE_URL": "nope"}, require_slack=False).startswith("DATABASE_URL")

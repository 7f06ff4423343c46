"""manifest.yml creates the app as it is: every command, event, shortcut and scope it uses."""

from pathlib import Path

import yaml

from bot import constants as ids
from bot.app import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_commands_escape_mentions_and_point_at_one_url():
    commands = {c["command"]: c for c in MANIFEST["features"]["slash_commands"]}
    assert set(commands) == {"/thanks", "/helped", "/intro", "/mutual", "/ask", "/offer"}
    assert all(c["should_escape"] is True for c in commands.values())
    urls = {c["url"] for c in commands.values()}
    urls |= {MANIFEST["settings"]["event_subscriptions"]["request_url"],
             MANIFEST["settings"]["interactivity"]["request_url"]}
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")


def test_events_shortcuts_home_and_scopes():
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"reaction_added", "reaction_removed", "message.mpim", "message.im",
                      "app_mention", "app_home_opened", "app_uninstalled", "tokens_revoked",
                      "user_change"}
    shortcuts = {(s["callback_id"], s["type"]) for s in MANIFEST["features"]["shortcuts"]}
    assert shortcuts == {(ids.RECORD_HELP, "message"), (ids.THANK_SOMEONE, "global"),
                         (ids.ASK_FOR_HELP, "global")}
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)
    assert MANIFEST["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")


def test_env_example_lists_every_variable():
    text = (ROOT / ".env.example").read_text()
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET", "SLACK_API_URL", "DATABASE_URL", "PORT", "MUTUAL_LOG_LEVEL"):
        assert f"{name}=" in text, name

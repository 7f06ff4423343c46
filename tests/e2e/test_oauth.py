"""OAuth (many workspaces): install link with a state, code exchange at SLACK_API_URL, the
installation stored in Mutual's own database, and later requests authorized with its token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from sqlalchemy import text

from bot.clock import FixedClock
from bot.db.session import Database
from tests.support import payloads as p
from tests.support.db_read import record_count, records
from tests.support.live import LiveMutual, Reply, settings_for
from tests.support.slack_double import OTHER_TEAM, SlackDouble

OAUTH_TABLES = ("slack_installations", "slack_bots", "slack_oauth_states")
COOKIE = "slack-app-oauth-state"


@pytest.fixture
def oauth_mutual(slack: SlackDouble, db: Database, clock: FixedClock) -> Iterator[LiveMutual]:
    settings = settings_for(slack, db.url, bot_token=None, client_id="1111.2222",
                            client_secret="client-secret")
    assert settings.oauth_mode
    live = LiveMutual(settings, db, clock)
    yield live
    live.close()
    with db.engine.begin() as conn:  # the SDK's tables are not in Mutual's models
        for table in OAUTH_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


def start_install(mutual: LiveMutual) -> tuple[str, str]:
    """GET /slack/install: returns (state in the link, state in the cookie)."""
    reply = mutual.request("GET", "/slack/install")
    assert reply.status == 200, reply.body
    # The authorize page is on SLACK_API_URL's host (slack.com by default; here, the double).
    host = re.escape(mutual.settings.api_url.removesuffix("api/"))
    link = re.search(rf'href="({host}oauth/v2/authorize\?[^"]+)"', reply.body)
    assert link, reply.body
    query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
    assert query["client_id"] == ["1111.2222"]
    assert "commands" in query["scope"][0].split(",") and "chat:write" in query["scope"][0]
    cookie = re.search(COOKIE + r"=([^;]+)", reply.headers.get("set-cookie", ""))
    assert cookie, reply.headers
    return query["state"][0], cookie.group(1)


def finish_install(mutual: LiveMutual, code: str | None, state: str | None,
                   cookie: str | None = None, **extra: str) -> Reply:
    params = {k: v for k, v in {"code": code, "state": state, **extra}.items() if v is not None}
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    return mutual.request("GET", "/slack/oauth_redirect?" + urlencode(params), headers=headers)


def installed_bot_tokens(db: Database) -> list[tuple[str, str]]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT team_id, bot_token FROM slack_bots ORDER BY id"))
        return [(r.team_id, r.bot_token) for r in rows]


def install(mutual: LiveMutual) -> None:
    state, cookie = start_install(mutual)
    reply = finish_install(mutual, "code-123", state, cookie)
    assert reply.status == 200, reply.body


def test_install_exchanges_the_code_and_stores_the_installation(oauth_mutual: LiveMutual,
                                                                 slack: SlackDouble, db: Database) -> None:
    state, cookie = start_install(oauth_mutual)
    assert state == cookie

    reply = finish_install(oauth_mutual, "code-123", state, cookie)

    assert reply.status == 200, reply.body
    [exchange] = slack.calls_to("oauth.v2.access")
    assert exchange["code"] == "code-123"
    assert installed_bot_tokens(db) == [("T0001", "xoxb-installed")]
    with db.engine.connect() as conn:
        [row] = conn.execute(text("SELECT team_id, bot_token, bot_user_id, user_id "
                                  "FROM slack_installations")).all()
    assert tuple(row) == ("T0001", "xoxb-installed", "UMUTUAL", "UALICE")


def test_thanks_after_install_uses_the_installed_token(oauth_mutual: LiveMutual,
                                                       slack: SlackDouble, db: Database) -> None:
    install(oauth_mutual)

    reply = oauth_mutual.post(p.command("/thanks", "<@UBOB> for the onboarding"))
    assert reply.status == 200, reply.body
    assert "<@UBOB>" in reply.json()["text"]
    oauth_mutual.settle()

    [dm] = [c for c in slack.calls if c.method == "chat.postMessage" and c.params["channel"] == "UBOB"]
    assert dm.headers["authorization"] == "Bearer xoxb-installed"
    assert [(r.helper_id, r.receiver_id) for r in records(db)] == [("UBOB", "UALICE")]


def test_authorization_is_cached_between_requests(oauth_mutual: LiveMutual,
                                                  slack: SlackDouble) -> None:
    install(oauth_mutual)
    at_install = len(slack.calls_to("auth.test"))  # the install itself asks for the bot's id
    for note in ("the review", "the pairing", "the lunch tip"):
        assert oauth_mutual.post(p.command("/thanks", f"<@UBOB> for {note}")).status == 200
    oauth_mutual.settle()
    # Without the cache Bolt would call auth.test before every one of the three commands.
    assert len(slack.calls_to("auth.test")) == at_install + 1
    assert len(slack.dms_to("UBOB")) == 3


def test_request_from_a_workspace_that_never_installed(oauth_mutual: LiveMutual, slack: SlackDouble,
                                                       db: Database) -> None:
    install(oauth_mutual)
    body = p.command("/thanks", "<@UBOB> for the help", team=OTHER_TEAM,
                     response_url=slack.response_url("other"))
    reply = oauth_mutual.post(body)
    assert reply.status == 200
    # Told in the reply itself: nothing is posted to a response_url on the request path.
    assert reply.json()["response_type"] == "ephemeral" and "install" in reply.json()["text"]
    assert record_count(db) == 0
    oauth_mutual.settle()
    # Only the installer's welcome (bot/listeners/install.py) went out, in the workspace that installed.
    assert [c["channel"] for c in slack.calls_to("chat.postMessage")] == ["UALICE"]
    assert slack.calls_to("response_url") == []


@pytest.mark.parametrize("case", ["missing state", "state not issued", "cookie from another browser"])
def test_bad_state_gets_an_error_page_and_installs_nothing(oauth_mutual: LiveMutual, slack: SlackDouble,
                                                           db: Database, case: str) -> None:
    state, cookie = start_install(oauth_mutual)
    if case == "missing state":
        reply = finish_install(oauth_mutual, "code-123", None, cookie)
    elif case == "state not issued":
        reply = finish_install(oauth_mutual, "code-123", "forged-state", "forged-state")
    else:
        reply = finish_install(oauth_mutual, "code-123", state, "someone-elses-state")
    assert 400 <= reply.status < 500, reply.body
    assert reply.headers["content-type"].startswith("text/html")
    assert "Something Went Wrong" in reply.body and 'href="/slack/install"' in reply.body
    assert slack.calls_to("oauth.v2.access") == []
    assert installed_bot_tokens(db) == []


def test_state_cannot_be_used_twice(oauth_mutual: LiveMutual, slack: SlackDouble) -> None:
    state, cookie = start_install(oauth_mutual)
    assert finish_install(oauth_mutual, "code-123", state, cookie).status == 200
    replay = finish_install(oauth_mutual, "code-456", state, cookie)
    assert 400 <= replay.status < 500
    assert [c["code"] for c in slack.calls_to("oauth.v2.access")] == ["code-123"]


def test_person_cancelling_the_install(oauth_mutual: LiveMutual, slack: SlackDouble,
                                       db: Database) -> None:
    state, cookie = start_install(oauth_mutual)
    reply = finish_install(oauth_mutual, None, state, cookie, error="access_denied")
    assert reply.status < 500
    assert "Something Went Wrong" in reply.body and "access_denied" in reply.body
    assert 'href="/slack/install"' in reply.body, "the page offers to start again"
    assert slack.calls_to("oauth.v2.access") == []
    assert installed_bot_tokens(db) == []


def test_code_refused_by_slack(oauth_mutual: LiveMutual, slack: SlackDouble, db: Database) -> None:
    slack.fail("oauth.v2.access", "invalid_code")
    state, cookie = start_install(oauth_mutual)
    reply = finish_install(oauth_mutual, "stale-code", state, cookie)
    assert 400 <= reply.status < 500, reply.body
    assert installed_bot_tokens(db) == []


def test_events_are_still_signed_in_oauth_mode(oauth_mutual: LiveMutual, db: Database) -> None:
    install(oauth_mutual)
    reply = oauth_mutual.post(p.command("/thanks", "<@UBOB> for the review"), secret="wrong")
    assert reply.status == 401
    assert record_count(db) == 0


def test_uninstall_deletes_the_installation_and_stops_the_workspace(oauth_mutual: LiveMutual,
                                                                     db: Database) -> None:
    install(oauth_mutual)
    assert oauth_mutual.post(p.command("/thanks", "<@UBOB> for the help")).status == 200
    reply = oauth_mutual.post_event(p.event({"type": "app_uninstalled"}))
    assert reply.status == 200
    assert installed_bot_tokens(db) == []
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT uninstalled_at FROM workspaces")).scalar() is not None
    assert record_count(db) == 1, "records stay through the grace period"

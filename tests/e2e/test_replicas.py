"""Two `mutual run` on one database, requests alternating between them as a load balancer
sends them: what a person changes through one is what the other does on the very next
request (nothing is cached per process)."""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from sqlalchemy import select, text

from bot.blocks.config import FIELD_BLOCKS
from bot.db.models import HelpRecord, Workspace
from bot.services.counts import recount
from bot.services.settings import LIMITS
from tests.support import payloads as p
from tests.support.db_read import record_count
from tests.support.procs import MutualProcess, free_port, http_post, run_cli
from tests.support.slack_double import SlackDouble, person


def env(slack: SlackDouble, url: str, port: int) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": p.SECRET,
            "SLACK_API_URL": slack.api_url, "DATABASE_URL": url, "PORT": str(port)}


def post(port: int, body: str, content_type: str = "application/x-www-form-urlencoded") -> object:
    status, answer = http_post(port, "/slack/events", body, p.signed_headers(body, content_type=content_type))
    assert status == 200, answer
    return answer


def thanks_text(port: int, helper: str, user: str = "UALICE") -> str:
    answer = post(port, p.command("/thanks", f"<@{helper}> for the help", user=user))
    assert isinstance(answer, dict)
    return str(answer["text"])


def reaction_records(db, author: str) -> int:
    with db.session() as s:
        return len(s.scalars(select(HelpRecord).where(HelpRecord.source == "reaction",
                                                      HelpRecord.helper_id == author)).all())


def test_two_replicas_agree_on_every_change(tmp_path: Path, slack: SlackDouble, db) -> None:
    a_port, b_port = free_port(), free_port()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with MutualProcess(["run"], env(slack, db.url, a_port), cwd=tmp_path / "a") as a, \
            MutualProcess(["run", "--no-scheduler"], env(slack, db.url, b_port), cwd=tmp_path / "b") as b:
        a.wait_healthy(a_port)
        b.wait_healthy(b_port)

        # Both replicas know Bob; Bob asks to be forgotten through A ...
        assert "Noted" in thanks_text(a_port, "UBOB") and "Noted" in thanks_text(b_port, "UBOB")
        post(a_port, p.block_action("forget_confirm", "forget", user="UBOB"))
        # ... and B leaves him out on the very next request.
        assert "asked Mutual to forget them" in thanks_text(b_port, "UBOB")
        event = p.event(p.reaction("reaction_added", "UALICE", "UBOB", ts="1700000000.000001"))
        post(b_port, event, "application/json")
        assert reaction_records(db, "UBOB") == 0

        # Carol leaves the workspace: Slack tells A; B refuses to record help from her at once.
        assert "Noted" in thanks_text(b_port, "UCAROL")
        gone = {**slack.users["UCAROL"], "deleted": True}
        post(a_port, p.event({"type": "user_change", "user": gone}), "application/json")
        assert "no longer active" in thanks_text(b_port, "UCAROL")

        # An admin changes the thank-you emoji through A; B counts the new one at once.
        slack.users["UERIN"]["is_admin"] = True
        values = {block: {block: value} for block, value in {
            "cfg_summary_weekday": {"type": "static_select", "selected_option": {"value": "4"}},
            "cfg_summary_hour": {"type": "static_select", "selected_option": {"value": "16"}},
            "cfg_timezone": {"type": "plain_text_input", "value": "UTC"},
            "cfg_thank_emoji": {"type": "plain_text_input", "value": "tada"},
            "cfg_digest": {"type": "checkboxes", "selected_options": []},
            # Every threshold at its default, whatever settings there are.
            **{FIELD_BLOCKS[name]: {"type": "number_input",
                               "value": str(Workspace.__table__.c[name].default.arg)}
               for name in LIMITS},
        }.items()}
        saved = post(a_port, p.view_submission("config_submit", values, user="UERIN"))
        assert isinstance(saved, dict) and saved["response_action"] == "update", saved
        tada = p.event(p.reaction("reaction_added", "UALICE", "UERIN", emoji="tada",
                                  ts="1700000000.000002"))
        post(b_port, tada, "application/json")
        assert reaction_records(db, "UERIN") == 1
        assert a.terminate() == 0 and b.terminate() == 0
    for proc in (a, b):
        assert "Traceback" not in proc.log(), proc.log()


# -- nudge settings and installs (OAuth: each workspace's token in the shared database) -------

COOKIE = "slack-app-oauth-state"


def oauth_env(slack: SlackDouble, url: str, port: int) -> dict[str, str]:
    return {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "client-secret",
            "SLACK_SIGNING_SECRET": p.SECRET, "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": url, "PORT": str(port)}


def get(port: int, path: str, cookie: str | None = None) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", path, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode(), resp.getheader("set-cookie") or ""
    finally:
        conn.close()


def install(start_port: int, finish_port: int) -> None:
    """The install link from one replica, Slack's redirect back landing on the other."""
    status, page, set_cookie = get(start_port, "/slack/install")
    assert status == 200, page
    link = re.search(r'href="([^"]*oauth/v2/authorize\?[^"]+)"', page)
    assert link, page
    state = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)["state"][0]
    cookie = re.search(COOKIE + r"=([^;]+)", set_cookie).group(1)
    status, page, _ = get(finish_port, "/slack/oauth_redirect?" + urlencode({"code": "c", "state": state}), cookie)
    assert status == 200, page


def wait_for(found: Callable[[], Any], timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := found():
            return value
        time.sleep(0.05)
    raise AssertionError("the replica never did it")


def home_of(slack: SlackDouble, port: int, user: str, after: int) -> str:
    """`user` opens the Home tab through `port`; the view that replica publishes."""
    post(port, p.event(p.home_opened(user)), "application/json")
    views = wait_for(lambda: [c for c in slack.calls_to("views.publish")[after:] if c["user_id"] == user])
    return json.dumps(views[-1]["view"])


def spread_over_weeks(db: Any) -> None:
    """The help just recorded, moved back to a week apart and a few days ago: a suggestion to
    give back needs help spread over two weeks and a few quiet days (PRODUCT.md §4)."""
    with db.session() as s:
        seen: dict[tuple[str | None, str | None], int] = {}
        for record in s.scalars(select(HelpRecord).order_by(HelpRecord.id.desc())):
            n = seen[(record.helper_id, record.receiver_id)] = seen.get(
                (record.helper_id, record.receiver_id), -1) + 1
            record.created_at = record.created_at - timedelta(days=4 + 7 * n)
        s.flush()
        recount(s, datetime.now(UTC))  # moved by hand: the kept counts follow


def next_weekday_noon() -> str:
    day = datetime.now(UTC).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return f"{day.isoformat()}T12:00:00Z"


def test_two_replicas_agree_on_nudge_settings_and_installs(tmp_path: Path, slack: SlackDouble, db) -> None:
    """Nudges off, a snooze and a muted pair changed through one replica are what the other
    shows and what the planning run does; an uninstall seen by one is refused by the other,
    and a reinstall's new token through one is the token the other uses next."""
    for user_id, name in (("UFRANK", "Frank"), ("UGINA", "Gina"), ("UHAL", "Hal"), ("UIVY", "Ivy")):
        slack.users[user_id] = person(user_id, name)
    a_port, b_port = free_port(), free_port()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    try:
        with MutualProcess(["run"], oauth_env(slack, db.url, a_port), cwd=tmp_path / "a") as a, \
                MutualProcess(["run", "--no-scheduler"], oauth_env(slack, db.url, b_port),
                              cwd=tmp_path / "b") as b:
            a.wait_healthy(a_port)
            b.wait_healthy(b_port)
            install(a_port, b_port)

            # Four people each keep receiving from one colleague, through either replica.
            ports = [a_port, b_port, a_port]
            for receiver, helper in (("UALICE", "UBOB"), ("UERIN", "UCAROL"), ("UHAL", "UIVY"),
                                     ("UFRANK", "UGINA")):
                for port in ports:
                    assert "Noted" in thanks_text(port, helper, user=receiver)
                ports.reverse()
            spread_over_weeks(db)

            # Alice turns suggestions off through A: B's Home tab for her says so at once.
            post(a_port, p.command("/mutual", "nudges off", user="UALICE"))
            assert "Private suggestions are off" in home_of(slack, b_port, "UALICE", 0)
            # Erin pauses them through B: A shows the pause.
            post(b_port, p.command("/mutual", "snooze 30", user="UERIN"))
            assert "Private suggestions are paused" in home_of(slack, a_port, "UERIN", 0)
            # Hal never wants suggestions about Ivy (the button on a suggestion), through A.
            post(a_port, p.block_action("nudge_mute_pair", "UIVY", user="UHAL", channel="DHAL"))

            # The planning run, a third process: only Frank, who changed nothing, is nudged.
            done = run_cli(["jobs", "run", "--now", next_weekday_noon()],
                           oauth_env(slack, db.url, free_port()), tmp_path)
            assert done.returncode == 0, done.stdout + done.stderr
            nudged = {c["channel"] for c in slack.calls_to("chat.postMessage")
                      if "nudge_mute_pair" in json.dumps(c.get("blocks"))}
            assert nudged == {"UFRANK"}

            # Uninstalled (Slack tells A): B refuses the very next command and records nothing.
            before = record_count(db)
            post(a_port, p.event({"type": "app_uninstalled"}), "application/json")
            assert "install" in thanks_text(b_port, "UBOB")
            assert record_count(db) == before

            # Reinstalled through B with a new token: A uses it on its next request.
            slack.install_token = "xoxb-second"
            install(b_port, b_port)
            seen = len(slack.calls)
            assert "Noted" in thanks_text(a_port, "UCAROL", user="UALICE")
            receipt = wait_for(lambda: [c for c in slack.calls[seen:]
                                        if c.method == "chat.postMessage" and c.params["channel"] == "UCAROL"])
            assert receipt[0].headers["authorization"] == "Bearer xoxb-second"
            assert a.terminate() == 0 and b.terminate() == 0
        for proc in (a, b):
            assert "Traceback" not in proc.log(), proc.log()
    finally:
        with db.engine.begin() as conn:  # the SDK's tables are not in Mutual's models
            for table in ("slack_installations", "slack_bots", "slack_oauth_states"):
                conn.execute(text(f"DELETE FROM {table}"))

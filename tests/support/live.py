"""The real Mutual app, served by the real HTTP server on an ephemeral port."""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from bot.app import create_app, create_deliverer
from bot.blocks.checks import ack_problems
from bot.clock import FixedClock
from bot.config import Settings
from bot.db.session import Database
from bot.server import close_server, make_http_server
from tests.support.payloads import SECRET, event, home_opened, signed_headers
from tests.support.slack_double import SlackDouble


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def settings_for(slack: SlackDouble, database_url: str, **overrides: Any) -> Settings:
    base = Settings(bot_token="xoxb-test", signing_secret=SECRET, app_token=None, client_id=None,
                    client_secret=None, api_url=slack.api_url, database_url=database_url,
                    port=3000, log_level="INFO")
    return replace(base, **overrides)


def assert_slack_takes(reply: Reply) -> None:
    """An ack body Slack would refuse (a modal past its limits, a reply past 50 blocks …)
    fails the test here, where it is made, as Slack would show the person an error."""
    if reply.status != 200 or not reply.body.startswith("{"):
        return
    try:
        body = reply.json()
    except ValueError:
        return
    problems = ack_problems(body)
    assert not problems, f"Slack would refuse Mutual's answer: {problems}"


class LiveMutual:
    def __init__(self, settings: Settings, db: Database, clock: FixedClock) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.app, self.deps = create_app(settings, db, clock=clock)
        self.deliverer = create_deliverer(settings, db, clock, poll=0.2).start()
        self.server = make_http_server(self.app, db, settings, host="127.0.0.1", port=0)
        self.port = self.server.effective_port  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.deliverer.wait_idle(5.0)
        close_server(self.server, self.thread)
        self.deliverer.stop()

    def request(self, method: str, path: str, body: str = "",
                headers: dict[str, str] | None = None) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request(method, path, body=body.encode(), headers=headers or {})
            resp = conn.getresponse()
            return Reply(resp.status, resp.read().decode(), {k.lower(): v for k, v in resp.getheaders()})
        finally:
            conn.close()

    def post(self, body: str, content_type: str = "application/x-www-form-urlencoded",
             extra_headers: dict[str, str] | None = None, settle: bool = True,
             **sign: Any) -> Reply:
        """POST /slack/events, signed exactly as Slack signs; then (unless `settle=False`)
        wait until the outbox has sent what the request wrote, as a person would."""
        headers = signed_headers(body, content_type=content_type, **sign)
        headers.update(extra_headers or {})
        reply = self.request("POST", "/slack/events", body, headers)
        assert_slack_takes(reply)
        if settle and self.deliverer.running and self.db.ping():  # not while it is made to fail
            self.settle()
        return reply

    def post_event(self, body: str, **kw: Any) -> Reply:
        return self.post(body, content_type="application/json", **kw)

    def open_home(self, *users: str) -> None:
        """These people open Mutual's Home tab (from then on, what changes it re-publishes it)."""
        for user in users:
            self.post_event(event(home_opened(user)))

    @contextlib.contextmanager
    def delivery_paused(self, **options: Any) -> Iterator[None]:
        """Nothing is sent inside the block (as if the deliverer were busy or down); it all
        goes out from the outbox afterwards (by a deliverer with these options, e.g. workers=1
        to see the order rows are taken in)."""
        self.deliverer.stop()
        try:
            yield
        finally:
            self.deliverer = create_deliverer(self.settings, self.db, self.clock, poll=0.2,
                                              **options).start()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the outbox has sent everything due (what requests wrote, and anything
        the clock has made due)."""
        assert self.deliverer.wait_idle(timeout), "the outbox did not settle"

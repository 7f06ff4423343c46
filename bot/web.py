"""The HTTP front: Bolt's own WSGI adapter for /slack/events and the OAuth pages, plus the few
things it gets wrong, each marked below, and /healthz and /metrics. Served by waitress
(bot/server.py). Every request to /slack/events, refused or not, is timed and counted here."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.context.context import BoltContext
from slack_bolt.request.internals import build_context

from bot.db.session import Database
from bot.observe.metrics import CONTENT_TYPE, Scrape
from bot.observe.requests import OUTCOME, Seen, request_id, surface_of

logger = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # Slack's payloads are a few kB; refuse anything absurd early.
MAX_CLOCK_SKEW = 300  # seconds, as Slack asks
StartResponse = Callable[..., Any]
# A Slack timestamp is a whole number of seconds; anything else is not signed by Slack.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# What building a BoltRequest raises on a body Slack never sends: JSON that does not parse
# (ValueError), nests past the recursion limit (RecursionError), or is not an object, or has
# fields of the wrong shape where Bolt looks up ids (AttributeError, TypeError, KeyError,
# IndexError).
UNREADABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


class SlackRequest(BoltRequest):
    """Bolt reads any form body containing the word "payload" as interactivity and, finding no
    `payload=` field, drops it: `/thanks @a for the payload work` would arrive blank. Parse
    those bodies as the plain form they are."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        raw = self.raw_body
        if self.body or not raw or raw.lstrip().startswith("{"):
            return
        fields = dict(parse_qsl(raw, keep_blank_values=True))
        if "payload" not in fields:
            self.body = fields
            self.context = build_context(BoltContext(dict(self.context)), self.body)

    def to_copyable(self) -> BoltRequest:
        return SlackRequest(body=self.raw_body, query=self.query, headers=self.headers,
                            context=self.context.to_copyable(), mode=self.mode)


class WebApp(SlackRequestHandler):
    """Bolt's adapter, with the health check, a signature check that runs before anything
    reads the body, and bodies Bolt cannot parse answered instead of raised."""

    def __init__(self, app: App, db: Database, signing_secret: str | None,
                 serve_events: bool = True) -> None:
        super().__init__(app, path="/slack/events")
        self.db = db
        self.secret = signing_secret.encode() if signing_secret else None
        self.metrics = Scrape(db)
        # In Socket Mode events come over the socket; HTTP only answers health checks.
        self.serve_events = serve_events
        # Bolt logs the whole body of a badly signed request at INFO: notes, user ids and a
        # live response_url. The check below refuses those first and logs one line without
        # the body; this silences Bolt's own line for the rare request that passes ours and
        # fails Bolt's a moment later (a timestamp aging past five minutes in between).
        logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = WsgiHttpRequest(environ)
        if request.path == "/healthz" and request.method == "GET":
            # Load balancers probe this unsigned; it answers for the database, not Slack.
            ok = self.db.ping()
            response = _json(200 if ok else 503, {"ok": ok})
        elif request.path == "/metrics" and request.method == "GET":
            # Unsigned like /healthz: Prometheus scrapes it from inside the cluster. Counts and
            # timings only; no ids, notes or tokens.
            response = WsgiHttpResponse(status=200, headers={"content-type": [CONTENT_TYPE]},
                                        body=self.metrics.render().decode())
        elif request.path == self.path and request.method == "POST":
            response = (self._events(request) if self.serve_events
                        else _json(404, {"ok": False, "error": "not_found"}))
        else:
            response = self._get_http_response(request)  # OAuth pages, or Bolt's 404
        start_response(response.status, response.get_headers())
        return response.get_body()

    def _events(self, request: WsgiHttpRequest) -> WsgiHttpResponse:
        started = time.perf_counter()
        seen = Seen(request_id(request.get_headers()))
        response = self._answer(request, seen)
        seen.done(int(response.status.split(" ", 1)[0]), time.perf_counter() - started)
        return response

    def _answer(self, request: WsgiHttpRequest, seen: Seen) -> WsgiHttpResponse:
        # Bolt's adapter reads whatever Content-Length says, int()s it unchecked and decodes
        # strictly: a bad length, a huge body or a non-UTF-8 one would each be a 500.
        try:
            length = int(request.environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _json(400, {"ok": False, "error": "bad_request"})
        if length > MAX_BODY:
            return _json(413, {"ok": False, "error": "too_large"})
        raw: bytes = request.environ["wsgi.input"].read(length) if length > 0 else b""
        headers = request.get_headers()
        why_not = self._unsigned(raw, headers)
        if why_not:
            # Its surface stays "other": the body of a request Slack did not sign is not read.
            seen.outcome = "unsigned"
            logger.warning("refused a request to %s: %s", self.path, why_not)
            return _json(401, {"ok": False, "error": "invalid_signature"})
        try:
            bolt_request = SlackRequest(body=raw.decode("utf-8"), query=request.query_string,
                                        headers=dict(headers))
        except UNREADABLE as e:
            logger.warning("refused a signed request Bolt cannot read (%s)", type(e).__name__)
            return _json(400, {"ok": False, "error": "bad_request"})
        seen.surface = surface_of(bolt_request.body)
        seen.team = bolt_request.context.team_id
        response = self.app.dispatch(bolt_request)
        seen.outcome = bolt_request.context.get(OUTCOME)
        return _to_wsgi(response)

    def _unsigned(self, raw: bytes, headers: dict[str, Any]) -> str | None:
        """Why the request is not signed by Slack, or None when it is.

        Checked on the raw bytes before any parsing. The SDK's verifier int()s the timestamp
        and compares str digests, so a timestamp of "abc" or a non-ASCII signature raise
        instead of failing, and a body that is not UTF-8 cannot be checked at all."""
        if self.secret is None:
            return "no signing secret is configured"
        timestamp = str(headers.get("x-slack-request-timestamp") or "")
        signature = str(headers.get("x-slack-signature") or "")
        if not signature or not timestamp:
            return "no signature"
        if not _TIMESTAMP.fullmatch(timestamp):
            return "a malformed timestamp"
        if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            return "a stale timestamp"
        digest = hmac.new(self.secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
        expected = ("v0=" + digest.hexdigest()).encode()
        if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
            return "a signature that does not match"
        return None


def _json(status: int, body: dict[str, Any]) -> WsgiHttpResponse:
    return WsgiHttpResponse(status=status, headers={"content-type": ["application/json"]},
                            body=json.dumps(body))


def _to_wsgi(response: BoltResponse) -> WsgiHttpResponse:
    return WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)

"""The HTTP front: one WSGI app for /slack/events, /healthz and OAuth, served by waitress."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.context.context import BoltContext
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

from bot.db.session import Database

logger = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # Slack's payloads are a few kB; refuse anything absurd early.
StartResponse = Callable[..., Any]


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


class WebApp:
    def __init__(self, app: App, db: Database, signing_secret: str | None,
                 serve_events: bool = True) -> None:
        self.app = app
        self.db = db
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        # In Socket Mode events come over the socket; HTTP only answers health checks.
        self.serve_events = serve_events

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/healthz" and method == "GET":
            ok = self.db.ping()
            return _reply(start_response, 200 if ok else 503, {"ok": ok})
        if path == "/slack/events" and method == "POST" and self.serve_events:
            return self._events(environ, start_response)
        flow = self.app.oauth_flow
        if flow is not None and method == "GET" and path in (flow.install_path,
                                                              flow.redirect_uri_path):
            request = BoltRequest(body="", query=environ.get("QUERY_STRING", ""),
                                  headers=_headers(environ))
            handle = flow.handle_installation if path == flow.install_path else flow.handle_callback
            return _send(start_response, handle(request))
        return _reply(start_response, 404, {"ok": False, "error": "not_found"})

    def _events(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            return _reply(start_response, 413, {"ok": False, "error": "too_large"})
        raw = environ["wsgi.input"].read(length).decode("utf-8", errors="replace")
        headers = _headers(environ)
        try:
            request = SlackRequest(body=raw, query=environ.get("QUERY_STRING", ""),
                                   headers=dict(headers))
        except (ValueError, TypeError, KeyError, AttributeError):
            # Unreadable body (AttributeError: JSON that is not an object, which Bolt reads as
            # one): unsigned garbage is unauthorised, signed garbage is a bad request.
            if self.verifier and not self.verifier.is_valid_request(raw, headers):
                return _reply(start_response, 401, {"ok": False, "error": "invalid_signature"})
            return _reply(start_response, 400, {"ok": False, "error": "bad_request"})
        return _send(start_response, self.app.dispatch(request))


def _headers(environ: dict[str, Any]) -> dict[str, Any]:
    headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items()
               if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _reply(start_response: StartResponse, status: int, body: dict[str, Any]) -> Iterable[bytes]:
    return _send(start_response, BoltResponse(status=status, body=json.dumps(body),
                                              headers={"content-type": "application/json"}))


def _send(start_response: StartResponse, response: BoltResponse) -> Iterable[bytes]:
    body = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
    headers = [(k, v) for k, values in response.headers.items() for v in values
               if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    start_response(f"{response.status} {_REASONS.get(response.status, 'OK')}", headers)
    return [body]


_REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
            413: "Payload Too Large", 500: "Internal Server Error", 503: "Service Unavailable"}

"""Serving: waitress over HTTP, or Socket Mode when SLACK_APP_TOKEN is set."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import send_response
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server

from bot.config import ConfigError, Settings
from bot.db.session import Database
from bot.observe.requests import OUTCOME, Seen, surface_of
from bot.web import WebApp

logger = logging.getLogger(__name__)
THREADS = 8
# Waitress warns "Task queue depth is N" whenever a request waits for a free thread: at 20
# concurrent clients that is one log line per request, costing more CPU than the app's own work.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def make_http_server(app: App, db: Database, settings: Settings, host: str = "0.0.0.0",
                     port: int | None = None, serve_events: bool = True):  # type: ignore[no-untyped-def]
    web = WebApp(app, db, settings.signing_secret, serve_events=serve_events)
    return wsgi_server(web, host, settings.port if port is None else port)


def wsgi_server(wsgi_app: Any, host: str, port: int):  # type: ignore[no-untyped-def]
    """Waitress with Mutual's options (the benchmarks serve their baseline app through it too)."""
    server = create_server(wsgi_app, host=host, port=port, threads=THREADS, ident="mutual",
                           max_request_body_size=2 * 1024 * 1024,
                           clear_untrusted_proxy_headers=True)
    server.channel_class = QuietChannel
    return server


class QuietChannel(HTTPChannel):
    """Waitress's connection, without a busy loop. While a worker thread answers on a
    connection it sends its own output, yet the stock channel still has the main loop poll the
    socket for writability; the loop then spins, taking the GIL from the very thread it waits
    for, until the answer is out (26-43 polls per /thanks instead of about 1; see bench/). The
    loop still flushes whatever is left when the answer is done, when the connection is closing,
    and when a worker waits on a full output buffer."""

    def writable(self) -> bool:
        busy = bool(self.requests) and not (self.will_close or self.close_when_flushed)
        if busy and self.total_outbufs_len < self.adj.outbuf_high_watermark:
            return False
        return bool(super().writable())


def serve(settings: Settings, app: App, db: Database, stop: threading.Event) -> None:
    server = make_http_server(app, db, settings, serve_events=not settings.socket_mode)
    http = threading.Thread(target=server.run, name="http", daemon=True)
    http.start()
    socket_handler = None
    try:
        if settings.socket_mode:
            assert settings.app_token is not None
            socket_handler = connect_socket_mode(app, settings.app_token)
            logger.info("connected to Slack over Socket Mode; /healthz on port %s", settings.port)
        else:
            logger.info("serving Slack on http://0.0.0.0:%s/slack/events", settings.port)
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if socket_handler is not None:
            socket_handler.close()
        close_server(server, http)


def close_server(server: Any, loop: threading.Thread) -> None:
    """Stop waitress: first its worker threads finish the requests under way, then every socket
    is closed by the loop thread itself (a thunk on waitress's own wake-up pipe), so the loop
    ends on its own. Closing them from here instead races the loop's select() on those very
    sockets (EBADF, a traceback at SIGTERM) or a worker writing its answer."""
    server.task_dispatcher.shutdown()
    if loop.is_alive():
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError:  # its wake-up pipe is already gone: the loop is ending on its own
            logger.debug("waitress's trigger was closed before shutdown", exc_info=True)
        loop.join(timeout=5)
    if loop.is_alive():  # the loop did not take the thunk: close from here after all
        server.close()


def connect_socket_mode(app: App, app_token: str) -> SocketModeHandler:
    """Open the Socket Mode connection (`apps.connections.open`, then the WebSocket).

    Envelopes are handled on the SDK's worker threads and acked once the listener has finished,
    so a listener that fails on the database sends no ack and Slack delivers the envelope again.
    A token Slack refuses, or a connection that cannot be opened, is a start-up error.
    """
    handler = CountedSocketModeHandler(app, app_token, concurrency=THREADS)
    try:
        handler.connect()
    except SlackApiError as e:
        handler.close()
        error = e.response.get("error") if e.response is not None else e
        raise ConfigError(f"SLACK_APP_TOKEN was refused by Slack's apps.connections.open: {error}") from None
    except OSError as e:
        handler.close()
        raise ConfigError(f"SLACK_APP_TOKEN: could not open the Socket Mode connection: {e}") from None
    return handler


class CountedSocketModeHandler(SocketModeHandler):
    """Bolt's handler (dispatch, then ack with the answer), with each envelope timed, counted
    and logged as bot/web.py does for a request over HTTP. No envelope is unsigned: the socket
    itself is authenticated with the app token."""

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start, wall = time.perf_counter(), time.time()
        bolt_req = BoltRequest(mode="socket_mode", body=req.payload, headers=_retry_headers(req))
        seen = Seen(req.envelope_id.replace("-", "")[:16], surface=surface_of(bolt_req.body),
                    team=bolt_req.context.team_id)
        bolt_resp = self.app.dispatch(bolt_req)
        send_response(client, req, bolt_resp, wall)
        seen.outcome = bolt_req.context.get(OUTCOME)
        seen.done(bolt_resp.status, time.perf_counter() - start)


def _retry_headers(req: SocketModeRequest) -> dict[str, str | Sequence[str]] | None:
    """Slack's retry headers, as over HTTP, so a retried event is known for one."""
    headers: dict[str, str | Sequence[str]] = {}
    if req.retry_attempt is not None:
        headers["x-slack-retry-num"] = str(req.retry_attempt)
    if req.retry_reason is not None:
        headers["x-slack-retry-reason"] = req.retry_reason
    return headers or None

"""Serving: waitress over HTTP, or Socket Mode when SLACK_APP_TOKEN is set."""

from __future__ import annotations

import logging
import threading

from slack_bolt import App
from waitress.server import create_server

from bot.config import Settings
from bot.db.session import Database
from bot.web import WebApp

logger = logging.getLogger(__name__)
THREADS = 8


def make_http_server(app: App, db: Database, settings: Settings, host: str = "0.0.0.0",
                     port: int | None = None, serve_events: bool = True):  # type: ignore[no-untyped-def]
    web = WebApp(app, db, settings.signing_secret, serve_events=serve_events)
    return create_server(web, host=host, port=settings.port if port is None else port,
                         threads=THREADS, ident="mutual", max_request_body_size=2 * 1024 * 1024,
                         clear_untrusted_proxy_headers=True)


def serve(settings: Settings, app: App, db: Database, stop: threading.Event) -> None:
    server = make_http_server(app, db, settings, serve_events=not settings.socket_mode)
    http = threading.Thread(target=server.run, name="http", daemon=True)
    http.start()
    socket_handler = None
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        socket_handler = SocketModeHandler(app, settings.app_token)
        socket_handler.connect()
        logger.info("connected to Slack over Socket Mode; /healthz on port %s", settings.port)
    else:
        logger.info("serving Slack on http://0.0.0.0:%s/slack/events", settings.port)
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if socket_handler is not None:
            socket_handler.close()
        server.close()

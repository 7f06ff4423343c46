"""create_app(settings) -> App: wiring only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.blocks.recording import build_error
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.db.session import Database
from bot.delivery.worker import Deliverer
from bot.edge import Edge
from bot.jobs.scheduler import scheduler_clients
from bot.listeners import register_listeners
from bot.listeners.deps import Deps
from bot.listeners.install import install_callbacks
from bot.observe.metrics import count_records
from bot.observe.outage import OutageLog
from bot.observe.requests import mark
from bot.slack.client import make_client
from bot.slack.directory import Directory

logger = logging.getLogger(__name__)

# What the code uses, and no more (manifest.yml asks for exactly these; a test keeps them in step).
BOT_SCOPES = ["commands", "app_mentions:read", "chat:write", "chat:write.public", "reactions:read", "users:read",
              "im:write", "im:history", "mpim:write", "mpim:history", "channels:join", "files:write",
              "emoji:read", "channels:read"]


def create_app(settings: Settings, db: Database, clock: Clock = system_clock) -> tuple[App, Deps]:
    deps = Deps(db=db, clock=clock, directory=Directory(db, clock))
    count_records(db)
    client = make_client(settings.api_url, settings.bot_token)
    edge = Edge(db, clock)
    db.after_commit(lambda info: OUTAGE.answered())
    common: dict[str, Any] = {
        "client": client,
        # Listeners finish (and write to the database) before Slack gets its answer, so a
        # failure becomes a 5xx that Slack retries instead of a lost record.
        "process_before_response": True,
        # Every request is parsed, checked and typed before Bolt's authorization reads it.
        "before_authorize": edge,
    }
    if settings.oauth_mode:
        oauth = _oauth(settings, db, clock)
        # Bolt accepts an Authorize instance here (it checks isinstance); its hint says Callable.
        app = App(signing_secret=settings.signing_secret, oauth_settings=oauth,
                  authorize=_cached_authorize(oauth, client), **common)  # type: ignore[arg-type]
    elif settings.socket_mode:
        # The client carries the bot token; Socket Mode needs no signing secret.
        app = App(request_verification_enabled=False, signing_secret="", **common)
    else:
        app = App(signing_secret=settings.signing_secret, **common)
    edge.attach(app)
    register_listeners(app, deps)
    app.error(_error_handler(edge))
    return app, deps


def create_deliverer(settings: Settings, db: Database, clock: Clock = system_clock,
                     **options: Any) -> Deliverer:
    """The outbox's deliverer for these settings (not started): every `mutual run` keeps one
    going, so what a request writes is sent at once."""
    clients = scheduler_clients(settings, db)
    assert clients is not None, "settings were validated: a bot token or OAuth"
    return Deliverer(db, clients, clock, **options)


def _oauth(settings: Settings, db: Database, clock: Clock) -> OAuthSettings:
    assert settings.client_id and settings.client_secret
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=BOT_SCOPES,
        installation_store=SQLAlchemyInstallationStore(client_id=settings.client_id,
                                                       engine=db.engine),
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=db.engine),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
        # GovSlack and other Slack hosts authorize on their own host, as their Web API lives.
        authorization_url=authorization_url(settings.api_url),
        # Whoever installed Mutual is welcomed (bot/listeners/install.py).
        callback_options=install_callbacks(db, clock),
    )


def authorization_url(api_url: str) -> str:
    """https://slack.com/api/ -> https://slack.com/oauth/v2/authorize (likewise any host)."""
    parsed = urlparse(api_url)
    return f"{parsed.scheme}://{parsed.netloc}/oauth/v2/authorize"


def _cached_authorize(oauth: OAuthSettings, client: WebClient) -> InstallationStoreAuthorize:
    # Bolt's default authorize calls auth.test on every request. Its cache, keyed by the token
    # it has just read from the installation store, spares that round trip; a reinstall brings a
    # new token, and a deleted installation finds no token, so neither is served stale.
    return InstallationStoreAuthorize(
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        installation_store=oauth.installation_store,
        bot_only=bool(oauth.installation_store_bot_only),
        user_token_resolution=oauth.user_token_resolution,
        client=client,
        cache_enabled=True,
        logger=logger,
    )


OUTAGE = OutageLog(logger, "requests")


def _what(body: dict[str, Any]) -> str:
    """What kind of request failed, for its one log line (never what anyone wrote)."""
    event = body.get("event")
    kind = body.get("command") or (event.get("type") if isinstance(event, dict) else None) or body.get("type")
    return f"{kind} request" if isinstance(kind, str) else "a request"


def _error_handler(edge: Edge) -> Callable[[Exception, dict[str, Any], BoltContext], BoltResponse | None]:
    def on_error(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse | None:
        mark(context, "error")  # even when answered with a friendly 200
        payload = context.get("payload")
        if payload is not None:
            # Not acted on after all: a retry (or the person trying again) must be served.
            edge.release(payload)
        return _on_error(error, body)

    return on_error


def _on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
    unreachable = isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )
    if unreachable:  # one line per request, and a summary once it answers (bot/observe/outage.py)
        OUTAGE.failed(error, _what(body))
    else:
        logger.exception("listener failed: %s", error)
    if body.get("command"):
        # Slack never retries a command, and a bare 500 shows people a cryptic error: say
        # what happened, so they can try again.
        reply = build_error(
            "Mutual couldn't reach its database just now, so nothing was saved. Please try again "
            "in a minute." if unreachable else
            "Something went wrong on Mutual's side. Please try again in a minute; if it keeps "
            "happening, let your Slack admin know.")
        return BoltResponse(status=200, body=reply, headers={"content-type": "application/json"})
    if unreachable:
        # Events: a 5xx makes Slack deliver again once the database is back.
        return BoltResponse(status=503, body="")
    return None

"""The edge: one Bolt middleware every request passes (HTTP and Socket Mode alike), before
Bolt's own authorization and before any listener.

It parses the body into its typed model (bot.payloads) and puts it in `context["payload"]`;
turns away, with the answer Slack expects and one WARNING line naming the field, what it
cannot read; refuses requests from a workspace Mutual is not installed in; and acts on a
command or interaction only the first time its `trigger_id` is seen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.middleware.authorization.single_team_authorization import SingleTeamAuthorization
from slack_bolt.request import payload_utils
from sqlalchemy import delete

from bot import constants as ids
from bot.blocks.edge import (
    ALREADY_DONE,
    NOT_INSTALLED,
    UNREADABLE,
    build_command_refusal,
    build_input_refusal,
    build_modal_refusal,
)
from bot.clock import Clock
from bot.db.models import ProcessedEvent
from bot.db.session import Database
from bot.db.upsert import insert_ignore
from bot.observe.outage import first_line
from bot.observe.requests import mark
from bot.payloads import NOT_SLACK, Handshake, Ignored, Payload, Unreadable, read_payload
from bot.payloads.commands import SlashCommand
from bot.services.workspaces import ensure_workspace, trigger_key

logger = logging.getLogger(__name__)
# Requests whose listener claims the trigger_id in its own single transaction (the lean path).
CLAIMED_IN_LISTENER = frozenset({"command /thanks", f"block_actions {ids.CLAIM_CONFIRM}",
                                 f"block_actions {ids.CLAIM_DECLINE}",
                                 f"block_actions {ids.THANKS_UNDO}"})
LIFECYCLE = ("event app_uninstalled", "event tokens_revoked")
# What Bolt reads from every body before any listener (slack_bolt.kwargs_injection.utils).
_BOLT_READS = (payload_utils.to_options, payload_utils.to_shortcut, payload_utils.to_action,
               payload_utils.to_view, payload_utils.to_command, payload_utils.to_event,
               payload_utils.to_message, payload_utils.to_step)


class Installed:
    """Which workspace a request may come from.

    With a bot token, only the token's own: Bolt called auth.test once when the App was made
    and keeps the answer in its single-team authorization; this reads it from there (asking
    auth.test itself only if a later Bolt moved it), once. With OAuth, a workspace the
    installation store has a bot for. Checked before Bolt's own authorization, whose refusal
    posts to the request's response_url on the request path and can fail into a 500."""

    def __init__(self) -> None:
        self.app: App | None = None
        self._token_team: tuple[str | None, str | None] | None = None

    def allows(self, team_id: str, enterprise_id: str | None, enterprise_install: bool) -> bool:
        assert self.app is not None, "Edge.attach(app) was not called"
        store = self.app.installation_store
        if store is not None:
            return store.find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                  is_enterprise_install=enterprise_install) is not None
        own_team, own_enterprise = self.token_team()
        return team_id == own_team and enterprise_id in (None, own_enterprise)

    def token_team(self) -> tuple[str | None, str | None]:
        if self._token_team is None:
            assert self.app is not None
            auth = next((m.auth_test_result for m in self.app._middleware_list
                         if isinstance(m, SingleTeamAuthorization) and m.auth_test_result), None)
            if auth is None:
                auth = self.app.client.auth_test()
            self._token_team = (auth.get("team_id"), auth.get("enterprise_id"))
        return self._token_team


class Edge(Middleware):
    """Registered as Bolt's `before_authorize`: it must run before Bolt's authorization, which
    reads the body unchecked (a string `event` would raise) and refuses unknown workspaces by
    posting to their response_url."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.installed = Installed()
        self._enterprises: set[tuple[str, str]] = set()

    def attach(self, app: App) -> None:
        """The App exists only after its middleware: learn which workspace it serves."""
        self.installed.app = app

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse:
        try:
            _no_duplicate_fields(req)
            found = read_payload(req.body)
            _bolt_can_read(req.body, found)
        except Unreadable as e:
            logger.warning("refused %s: %s (%s)", e.surface, e.field, e.problem)
            mark(req.context, "refused")
            return _unreadable(e)
        if isinstance(found, Handshake):
            return next()
        if isinstance(found, Ignored):
            logger.debug("ignored %s", found.surface)
            return _quiet()
        payload = found
        if not self.installed.allows(payload.team_id, payload.enterprise_id,
                                     payload.is_enterprise_install):
            log = logger.info if payload.surface in LIFECYCLE else logger.warning
            log("refused %s: team_id is not a workspace Mutual is installed in", payload.surface)
            mark(req.context, "refused")
            return _refuse(payload, NOT_INSTALLED)
        if payload.enterprise_id and payload.team_id:
            self._remember_enterprise(payload.team_id, payload.enterprise_id)
        trigger = getattr(payload, "trigger_id", None)
        if (trigger is not None and payload.surface not in CLAIMED_IN_LISTENER
                and not self._first_time(payload.team_id, trigger)):
            logger.info("%s: trigger_id seen before; not acted on again", payload.surface)
            mark(req.context, "refused")
            return _refuse(payload, ALREADY_DONE)
        req.context["payload"] = payload
        _clean_body(req.body, payload)
        return next()

    def _remember_enterprise(self, team_id: str, enterprise_id: str) -> None:
        """A workspace of an Enterprise Grid org: its row names the enterprise, so what is sent
        to it later finds the org-wide install's token (bot.slack.sender.InstalledClients).
        Once per workspace and process."""
        if (team_id, enterprise_id) in self._enterprises or team_id == enterprise_id:
            return
        with self.db.session() as session:
            ensure_workspace(session, team_id, self.clock(), enterprise_id)
        self._enterprises.add((team_id, enterprise_id))

    def _first_time(self, team_id: str, trigger_id: str) -> bool:
        """Claim the trigger_id; False when a delivery of it was acted on already.

        The claim commits before the listener runs, so `release` undoes it when the listener
        then fails (Slack retries interactivity on a 5xx, with the same trigger_id)."""
        with self.db.session() as session:
            return insert_ignore(session, ProcessedEvent, {
                "team_id": team_id, "event_id": trigger_key(trigger_id),
                "received_at": self.clock()})

    def release(self, payload: Payload) -> None:
        """Forget the trigger_id of a request whose listener failed, so its retry is served."""
        trigger = getattr(payload, "trigger_id", None)
        if trigger is None:
            return
        try:
            with self.db.session() as session:
                session.execute(delete(ProcessedEvent).where(
                    ProcessedEvent.team_id == payload.team_id,
                    ProcessedEvent.event_id == trigger_key(trigger)))
        except Exception as e:  # noqa: BLE001 - the database may be the reason the listener failed
            logger.warning("could not release a trigger_id after a failure; a retry of it "
                           "will be answered as already done (%s)", first_line(e))


def _clean_body(raw: Any, model: Any) -> None:
    """Write the cleaned text back into the raw body too, for listeners that still read it
    (`command["text"]`, `view["state"]`, `event["user"]`) until they read
    `context["payload"]`: no control character reaches the database either way."""
    if isinstance(model, BaseModel) and isinstance(raw, dict):
        for name, info in type(model).model_fields.items():
            key = info.alias or name
            if key in raw:
                value = getattr(model, name)
                if isinstance(value, str) and isinstance(raw[key], str):
                    raw[key] = value
                else:
                    _clean_body(raw[key], value)
    elif isinstance(model, dict) and isinstance(raw, dict):
        for key, value in model.items():
            if key in raw:
                _clean_body(raw[key], value)
    elif isinstance(model, list) and isinstance(raw, list):
        for raw_item, item in zip(raw, model, strict=False):
            _clean_body(raw_item, item)


def _no_duplicate_fields(req: BoltRequest) -> None:
    """A form body naming a field twice is ambiguous (Bolt keeps the last); Slack never sends
    one, so it is refused rather than guessed at."""
    raw = req.raw_body
    if not raw or raw.lstrip().startswith("{"):
        return
    names = [name for name, _ in parse_qsl(raw, keep_blank_values=True)]
    twice = _first_repeated(names)
    if twice is not None:
        surface = ("interactivity" if "payload" in names else "command" if "command" in names
                   else NOT_SLACK)
        raise Unreadable(surface, _field_name(twice), "duplicate")


def _bolt_can_read(body: dict[str, Any], found: object) -> None:
    """Bolt builds every middleware's and listener's arguments with `payload_utils.to_*`,
    which index the body unguarded (`body["view"]["type"]`, `body["actions"][0]`): a signed
    body of a shape Slack never sends would raise there — and again in Bolt's own error
    handler, a 500. The models above should already refuse such a shape; this makes sure,
    whatever Bolt reads next."""
    if isinstance(found, Handshake | Ignored):
        return
    for read in _BOLT_READS:
        try:
            read(body)
        except (KeyError, IndexError, TypeError, AttributeError):
            surface = getattr(found, "surface", NOT_SLACK)
            raise Unreadable(surface, "-", f"a shape Bolt cannot read ({read.__name__})") from None


def _first_repeated(names: list[str]) -> str | None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


def _field_name(name: str) -> str:
    """A form field's name, safe for a log line."""
    return name[:40].encode("ascii", "replace").decode() or "(empty)"


def _quiet() -> BoltResponse:
    return BoltResponse(status=200, body="")


def _unreadable(error: Unreadable) -> BoltResponse:
    if error.surface == NOT_SLACK:
        return BoltResponse(status=400, body={"ok": False, "error": "bad_request"})
    if error.surface.startswith("command"):
        return _json(build_command_refusal(UNREADABLE))
    if error.surface.startswith("view_submission"):
        parts = error.field.split(".")
        if parts[:3] == ["view", "state", "values"] and len(parts) > 3:
            return _json(build_input_refusal(parts[3]))
        return _json(build_modal_refusal())
    return _quiet()


def _refuse(payload: Payload, text: str) -> BoltResponse:
    if isinstance(payload, SlashCommand):
        return _json(build_command_refusal(text))
    return _quiet()


def _json(body: dict[str, Any]) -> BoltResponse:
    return BoltResponse(status=200, body=body)

"""App Home buttons (thank, introduce, nudge settings) and `forget_confirm` / `forget_cancel`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.intros import build_intro_modal
from bot.blocks.me import build_forget_cancelled, build_forget_done
from bot.blocks.recording import FORM_BUSY, build_busy, build_thank_someone_modal
from bot.listeners.deps import Deps, team_of
from bot.listeners.interaction import reply
from bot.listeners.settings import change_nudges
from bot.services import outbox
from bot.services.forget import forget_person
from bot.services.workspaces import ensure_workspace
from bot.slack.modals import open_modal


def register(app: App, deps: Deps) -> None:
    def form(body: dict[str, Any], view: dict[str, Any], client: WebClient, team_id: str) -> None:
        if not open_modal(client, str(body.get("trigger_id", "")), view):
            # App Home has no response_url: say it in a DM instead of leaving them wondering.
            now = deps.clock()
            with deps.db.session() as session:
                ensure_workspace(session, team_id, now)
                outbox.message(session, team_id, f"form_busy:{body.get('trigger_id')}",
                               body["user"]["id"], build_busy(FORM_BUSY), now)

    @app.action(ids.HOME_THANK)
    def home_thank(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        form(body, build_thank_someone_modal(), client, team_of(context, body))

    @app.action(ids.HOME_INTRO)
    def home_intro(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        form(body, build_intro_modal(), client, team_of(context, body))

    def settings(body: dict[str, Any], client: WebClient, context: BoltContext,
                 enabled: bool | None = None, days: int | None = None) -> None:
        change_nudges(deps, client, team_of(context, body), body["user"]["id"], enabled=enabled,
                      days=days, on_home=True)

    @app.action(ids.HOME_NUDGES_ON)
    def nudges_on(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        settings(body, client, context, enabled=True)

    @app.action(ids.HOME_NUDGES_OFF)
    def nudges_off(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        settings(body, client, context, enabled=False)

    @app.action(ids.HOME_UNSNOOZE)
    def unsnooze(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        settings(body, client, context, enabled=True)

    @app.action(ids.HOME_SNOOZE)
    def home_snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                    context: BoltContext) -> None:
        ack()
        raw = str((action.get("selected_option") or {}).get("value", ""))
        if raw.isdigit() and 0 < int(raw) <= 365:
            settings(body, client, context, days=int(raw))

    @app.action(ids.FORGET_CONFIRM)
    def forget_confirm(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        team_id, user_id, now = team_of(context, body), body["user"]["id"], deps.clock()
        with deps.db.session() as session:
            ensure_workspace(session, team_id, now)
            forget_person(session, team_id, user_id, now)
            reply(session, team_id, body, build_forget_done(), now, "forgotten")
            outbox.show_home(session, team_id, user_id, now)  # shows "forgotten"

    @app.action(ids.FORGET_CANCEL)
    def forget_cancel(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        now = deps.clock()
        with deps.db.session() as session:
            reply(session, team_of(context, body), body, build_forget_cancelled(), now, "kept")

"""App Home buttons (thank, introduce, nudge settings) and `forget_confirm` / `forget_cancel`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.intros import build_intro_modal
from bot.blocks.me import build_forget_cancelled, build_forget_done
from bot.blocks.recording import FORM_BUSY, build_busy, build_thank_someone_modal
from bot.listeners.deps import Deps, actor, team, typed
from bot.listeners.interaction import reply
from bot.listeners.settings import change_nudges
from bot.payloads.interactive import BlockActions
from bot.services import outbox
from bot.services.forget import forget_person
from bot.services.workspaces import ensure_workspace
from bot.slack.modals import open_modal


def register(app: App, deps: Deps) -> None:
    def form(view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        pressed = typed(context, BlockActions)
        if not open_modal(client, pressed.trigger_id, view):
            # App Home has no response_url: say it in a DM instead of leaving them wondering.
            (user_id, team_id), now = actor(context), deps.clock()
            with deps.db.session() as session:
                ensure_workspace(session, team_id, now)
                outbox.message(session, team_id, f"form_busy:{pressed.trigger_id}",
                               user_id, build_busy(FORM_BUSY), now)

    @app.action(ids.HOME_THANK)
    def home_thank(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        form(build_thank_someone_modal(), client, context)

    @app.action(ids.HOME_INTRO)
    def home_intro(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        form(build_intro_modal(), client, context)

    def settings(client: WebClient, context: BoltContext,
                 enabled: bool | None = None, days: int | None = None) -> None:
        user_id, team_id = actor(context)
        change_nudges(deps, client, team_id, user_id, enabled=enabled, days=days, on_home=True)

    @app.action(ids.HOME_NUDGES_ON)
    def nudges_on(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        settings(client, context, enabled=True)

    @app.action(ids.HOME_NUDGES_OFF)
    def nudges_off(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        settings(client, context, enabled=False)

    @app.action(ids.HOME_UNSNOOZE)
    def unsnooze(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        settings(client, context, enabled=True)

    @app.action(ids.HOME_SNOOZE)
    def home_snooze(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        days = typed(context, BlockActions).action.days
        if days is not None:
            settings(client, context, days=days)

    @app.action(ids.FORGET_CONFIRM)
    def forget_confirm(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        (user_id, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            ensure_workspace(session, team_id, now)
            forget_person(session, team_id, user_id, now)
            reply(session, team_id, pressed, build_forget_done(), now, "forgotten")
            outbox.show_home(session, team_id, user_id, now)  # shows "forgotten"

    @app.action(ids.FORGET_CANCEL)
    def forget_cancel(ack: Ack, context: BoltContext) -> None:
        ack()
        now = deps.clock()
        with deps.db.session() as session:
            reply(session, team(context), typed(context, BlockActions), build_forget_cancelled(), now, "kept")

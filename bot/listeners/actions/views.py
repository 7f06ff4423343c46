"""App Home buttons (thank, introduce, nudge settings) and `forget_confirm` / `forget_cancel`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.home import build_forgotten_home
from bot.blocks.intros import build_intro_modal
from bot.blocks.me import build_forget_cancelled, build_forget_done
from bot.blocks.recording import build_thank_someone_modal
from bot.db.models import Member
from bot.listeners.deps import Deps, team_of
from bot.listeners.events.home import refresh_home
from bot.services.forget import forget_person
from bot.services.nudges import set_nudges, snooze
from bot.services.people import save_profile


def register(app: App, deps: Deps) -> None:
    @app.action(ids.HOME_THANK)
    def home_thank(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=build_thank_someone_modal())

    @app.action(ids.HOME_INTRO)
    def home_intro(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=build_intro_modal())

    def change_nudges(body: dict[str, Any], client: WebClient, context: BoltContext,
                      enabled: bool | None = None, days: int | None = None) -> None:
        team_id, user_id = team_of(context, body), body["user"]["id"]
        profile = deps.directory.get(client, team_id, user_id)
        now = deps.clock()
        with deps.db.session() as session:
            member = session.get(Member, (team_id, user_id))
            if member is None and profile is not None:
                member = save_profile(session, team_id, profile, now)
            if member is None:
                return
            if enabled is not None:
                set_nudges(session, member, enabled)
            if days is not None:
                snooze(session, member, now, days)
        refresh_home(deps, client, team_id, user_id)

    @app.action(ids.HOME_NUDGES_ON)
    def nudges_on(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        change_nudges(body, client, context, enabled=True)

    @app.action(ids.HOME_NUDGES_OFF)
    def nudges_off(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        change_nudges(body, client, context, enabled=False)

    @app.action(ids.HOME_UNSNOOZE)
    def unsnooze(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        change_nudges(body, client, context, enabled=True)

    @app.action(ids.HOME_SNOOZE)
    def home_snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                    context: BoltContext) -> None:
        ack()
        raw = str((action.get("selected_option") or {}).get("value", ""))
        if raw.isdigit() and 0 < int(raw) <= 365:
            change_nudges(body, client, context, days=int(raw))

    @app.action(ids.FORGET_CONFIRM)
    def forget_confirm(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond,
                       context: BoltContext) -> None:
        ack()
        team_id, user_id = team_of(context, body), body["user"]["id"]
        with deps.db.session() as session:
            forget_person(session, team_id, user_id, deps.clock())
        deps.directory.forget(team_id, user_id)
        respond(**build_forget_done())
        deps.notifier.submit(client.views_publish, user_id=user_id, view=build_forgotten_home())

    @app.action(ids.FORGET_CANCEL)
    def forget_cancel(ack: Ack, respond: Respond) -> None:
        ack()
        respond(**build_forget_cancelled())

"""`config_submit` (the settings an admin decides first) and `config_advanced_submit` (the
thresholds, pushed over it): save them, or show what to fix next to each input. A newly named
thank-you emoji must be a real one: Slack's standard names, or the workspace's own."""

from __future__ import annotations

from dataclasses import asdict

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.config import (
    ADVANCED_FIELDS,
    MAIN_FIELDS,
    build_config_saved,
    config_errors,
    config_values,
)
from bot.blocks.recording import SLACK_BUSY
from bot.listeners.commands.mutual_views import fresh_admin
from bot.listeners.deps import Deps, actor, typed
from bot.payloads.interactive import ViewSubmission
from bot.services.emoji import needs_checking, unknown_emoji_error
from bot.services.settings import WorkspaceConfig, current_config, validate_config
from bot.services.setup import save_settings
from bot.services.workspaces import ensure_workspace
from bot.slack.budget import Budget
from bot.slack.emoji import custom_emoji

NOT_ADMIN = "Only workspace admins and owners can change Mutual's settings; nothing was saved."


def register(app: App, deps: Deps) -> None:
    def save(ack: Ack, client: WebClient, context: BoltContext, shown: tuple[str, ...]) -> None:
        user_id, team_id = actor(context)
        budget = Budget()
        # The modal could have been opened by an admin who is no longer one.
        admin = fresh_admin(deps, client, team_id, user_id, budget)
        if not admin:
            ack(response_action="errors", errors=config_errors(
                {shown[0]: SLACK_BUSY if admin is None else NOT_ADMIN}, shown))
            return
        typed_in = config_values(typed(context, ViewSubmission).view.state.as_dict())
        now = deps.clock()
        with deps.db.session() as session:
            current = current_config(ensure_workspace(session, team_id, now))
        config, errors = _validate(current, typed_in, client, budget, deps, team_id)
        if config is None:
            ack(response_action="errors", errors=config_errors(errors, shown))
            return
        first_step = shown is MAIN_FIELDS
        with deps.db.session() as session:
            saved = save_settings(session, ensure_workspace(session, team_id, now), config,
                                  user_id, now, first_step=first_step)
        if first_step:
            ack(response_action="update", view=build_config_saved(saved))
        else:
            ack()  # closes Advanced: back to the first step, as the admin left it

    @app.view(ids.CONFIG_SUBMIT)
    def config_submit(ack: Ack, client: WebClient, context: BoltContext) -> None:
        save(ack, client, context, MAIN_FIELDS)

    @app.view(ids.CONFIG_ADVANCED_SUBMIT)
    def config_advanced_submit(ack: Ack, client: WebClient, context: BoltContext) -> None:
        save(ack, client, context, ADVANCED_FIELDS)


def _validate(current: WorkspaceConfig, typed_in: dict[str, str | bool | None], client: WebClient,
              budget: Budget, deps: Deps, team_id: str) -> tuple[WorkspaceConfig | None, dict[str, str]]:
    """The step's values over the settings as they are (the other step's stay), checked as a
    whole; then any emoji name not saved before against the workspace's real ones."""
    raw: dict[str, str | bool | None] = {k: v for k, v in asdict(current).items()
                                         if k != "channel_problem"}
    config, errors = validate_config({**raw, **typed_in})
    if config is None or "thank_emoji" not in typed_in:
        return config, errors
    unchecked = needs_checking(config.thank_emoji.split(","), current.thank_emoji.split(","))
    if not unchecked:
        return config, errors
    problem = unknown_emoji_error(unchecked, custom_emoji(client, budget, deps.directory.pauses, team_id))
    if problem:
        return None, {"thank_emoji": problem}
    return config, errors

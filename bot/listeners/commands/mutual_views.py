"""`/mutual me | with @a | summary [post] | export | forget | config`: each handler returns the
ack body; slow sends (files, posts) go to the notifier after the ack."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.config import build_config_modal, build_config_refused
from bot.blocks.me import (
    WITH_USAGE,
    build_export_dm_comment,
    build_export_failed,
    build_export_started,
    build_forget_confirm,
    build_me,
    build_with,
)
from bot.blocks.recording import build_error
from bot.blocks.summary import build_post_failed, build_summary_posting, build_team_summary
from bot.jobs.summary import post_summary
from bot.listeners.deps import Deps
from bot.services.export import record_rows, records_csv
from bot.services.parsing import split_mentions
from bot.services.people import save_profile
from bot.services.settings import current_config
from bot.services.summary import team_summary
from bot.services.views import history_with, personal_view
from bot.services.workspaces import ensure_workspace
from bot.slack.directory import profile_from_user
from bot.slack.files import dm_channel, upload_file

logger = logging.getLogger(__name__)
Reply = dict[str, Any]


def me(deps: Deps, client: WebClient, team_id: str, command: dict[str, Any], rest: str) -> Reply:
    now = deps.clock()
    with deps.db.session() as session:
        workspace = ensure_workspace(session, team_id, now)
        view = personal_view(session, workspace, command["user_id"], now)
    return build_me(view)


def with_(deps: Deps, client: WebClient, team_id: str, command: dict[str, Any], rest: str) -> Reply:
    invoker = command["user_id"]
    parsed = split_mentions(rest)
    if len(parsed.user_ids) != 1:
        if parsed.bare_handles:
            return build_error(f"I couldn't tell who {parsed.bare_handles[0]} is. Pick them from "
                               "the list Slack shows as you type @.", WITH_USAGE)
        return build_error("Whose history would you like to see? Mention one person.", WITH_USAGE)
    other = parsed.user_ids[0]
    if other == invoker:
        return build_error("That's you — pick a colleague to see the help between you two.",
                           WITH_USAGE)
    now = deps.clock()
    with deps.db.session() as session:
        workspace = ensure_workspace(session, team_id, now)
        history = history_with(session, workspace, invoker, other, now)
    return build_with(history)


def fresh_admin(deps: Deps, client: WebClient, team_id: str, user_id: str) -> bool:
    """Admin or owner right now, by users.info (never a stale cache), and of this workspace."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError:
        logger.exception("users.info failed for an admin check")
        return False
    profile = profile_from_user(user)
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        save_profile(session, team_id, profile, now)
    deps.directory.remember(team_id, user_id, profile)
    home = profile.home_team_id
    return (profile.is_admin or profile.is_owner) and not profile.deleted and (
        not home or home == team_id)


def summary(deps: Deps, client: WebClient, team_id: str, command: dict[str, Any], rest: str) -> Reply:
    word = rest.strip().lower()
    if word and word != "post":
        return build_error(f"I don't know `/mutual summary {word[:30]}`.",
                           "`/mutual summary` shows it to you; admins can add `post`.")
    now = deps.clock()
    with deps.db.session() as session:
        workspace = ensure_workspace(session, team_id, now)
        figures = team_summary(session, workspace, now)
        channel = str(workspace.nudge_channel or command.get("channel_id") or "")
    if not word:
        return build_team_summary(figures, ephemeral=True)
    if not fresh_admin(deps, client, team_id, command["user_id"]):
        return build_error("Only workspace admins and owners can post the summary to the "
                           "channel. `/mutual summary` shows it to you.")
    deps.notifier.submit(post_summary_for, client, channel, figures, command["user_id"])
    return build_summary_posting(channel)


def post_summary_for(client: WebClient, channel: str, figures: Any, admin_id: str) -> None:
    try:
        post_summary(client, channel, figures)
    except SlackApiError as e:
        logger.exception("posting the summary to %s failed", channel)
        client.chat_postMessage(channel=admin_id,
                                **build_post_failed(channel, str(e.response.get("error"))))


def export(deps: Deps, client: WebClient, team_id: str, command: dict[str, Any], rest: str) -> Reply:
    user_id = command["user_id"]
    with deps.db.session() as session:
        rows = record_rows(session, team_id, user_id)
    deps.notifier.submit(send_export, client, user_id, records_csv(rows), len(rows),
                         deps.clock().strftime("%Y-%m-%d"))
    return build_export_started(len(rows))


def send_export(client: WebClient, user_id: str, csv_text: str, count: int, day: str) -> None:
    try:
        upload_file(client, dm_channel(client, user_id), csv_text.encode("utf-8"),
                    filename=f"mutual-records-{day}.csv", title=f"Your Mutual records ({day})",
                    comment=build_export_dm_comment(count))
    except SlackApiError as e:
        logger.exception("sending an export to %s failed", user_id)
        client.chat_postMessage(channel=user_id, **build_export_failed(str(e.response.get("error"))))


def forget(deps: Deps, client: WebClient, team_id: str, command: dict[str, Any], rest: str) -> Reply:
    return build_forget_confirm()


def config(deps: Deps, client: WebClient, team_id: str, command: dict[str, Any], rest: str) -> Reply:
    if not fresh_admin(deps, client, team_id, command["user_id"]):
        return build_config_refused()
    now = deps.clock()
    with deps.db.session() as session:
        settings = current_config(ensure_workspace(session, team_id, now))
    client.views_open(trigger_id=command["trigger_id"], view=build_config_modal(settings))
    return {}

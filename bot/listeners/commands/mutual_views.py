"""`/mutual me | with @a | summary [post] | export | forget | config`: each handler returns the
ack body; what is sent afterwards (the summary post, the export file) is written to the outbox."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace
from typing import Any

from slack_sdk import WebClient

from bot.blocks.config import build_config_modal, build_config_refused
from bot.blocks.kit import escape
from bot.blocks.me import (
    WITH_USAGE,
    build_export_started,
    build_forget_confirm,
    build_me,
    build_with,
)
from bot.blocks.recording import FORM_BUSY, SLACK_BUSY, build_busy, build_error, unknown_handle
from bot.blocks.summary import build_summary_posting, build_team_summary
from bot.listeners.deps import Deps
from bot.listeners.people import check_people
from bot.listeners.welcome import welcome_if_admin
from bot.payloads.commands import SlashCommand
from bot.services.export import EXPORT, count_records
from bot.services.outbox import NOW, enqueue
from bot.services.parsing import split_mentions
from bot.services.settings import current_config
from bot.services.summary import queue_summary, team_summary
from bot.services.views import history_with, personal_view
from bot.services.workspaces import ensure_workspace
from bot.slack.budget import Budget, SlackBusy
from bot.slack.modals import open_modal

logger = logging.getLogger(__name__)
Reply = dict[str, Any]


def me(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> Reply:
    now = deps.clock()
    with deps.db.session() as session:
        workspace = ensure_workspace(session, team_id, now)
        view = personal_view(session, workspace, command.user_id, now)
    return build_me(view)


def with_(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> Reply:
    invoker = command.user_id
    parsed = split_mentions(rest)
    if parsed.bare_handles:
        return build_error(unknown_handle(parsed.bare_handles[0]), WITH_USAGE)
    if len(parsed.user_ids) != 1:
        return build_error("Whose history would you like to see? Mention one person.", WITH_USAGE)
    other = parsed.user_ids[0]
    if other == invoker:
        return build_error("That's you — pick a colleague to see the help between you two.",
                           WITH_USAGE)
    now = deps.clock()
    with deps.db.session() as session:
        workspace = ensure_workspace(session, team_id, now)
        history = history_with(session, workspace, invoker, other, now)
    if history.recordable and not (history.given_all or history.received_all):
        # It would suggest `/thanks @them`: only if Mutual would record it (not a bot,
        # someone deactivated or from elsewhere). Slack too busy to say: suggest it anyway.
        checked = check_people(deps, client, team_id, invoker, [other], command.enterprise_id)
        if checked.refusal is not None:
            history = replace(history, recordable=False)
    return build_with(history)


def fresh_admin(deps: Deps, client: WebClient, team_id: str, user_id: str,
                budget: Budget | None = None) -> bool | None:
    """Admin or owner right now, by users.info (never a stale cache), and of this workspace;
    None when Slack could not tell us in time."""
    try:
        profile = deps.directory.fresh(client, team_id, user_id, budget or Budget())
    except SlackBusy:
        return None
    if profile is None:
        return False
    home = profile.home_team_id
    admin = (profile.is_admin or profile.is_owner) and not profile.deleted and (
        not home or home == team_id)
    if admin:
        welcome_if_admin(deps, team_id, user_id)  # the first admin to use Mutual, with a bot token
    return admin


def summary(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> Reply:
    word = rest.strip().lower()
    if word and word != "post":
        return build_error(f"I don't know `/mutual summary {escape(word[:30])}`.",
                           "`/mutual summary` shows it to you; admins can add `post`.")
    now = deps.clock()
    if not word:
        with deps.db.session() as session:
            figures = team_summary(session, ensure_workspace(session, team_id, now), now)
        return build_team_summary(figures, ephemeral=True)
    admin = fresh_admin(deps, client, team_id, command.user_id)
    if admin is None:
        return build_busy()
    if not admin:
        return build_error("Only workspace admins and owners can post the summary to the "
                           "channel. `/mutual summary` shows it to you.")
    with deps.db.session() as session:
        workspace = ensure_workspace(session, team_id, now)
        figures = team_summary(session, workspace, now)
        channel = str(workspace.nudge_channel or command.channel_id or "")
        queue_summary(session, figures, channel, f"summary_post:{command.trigger_id}", now,
                      admin=command.user_id)
    return build_summary_posting(channel, with_chart=figures.help.shown)


def export(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> Reply:
    """The file is made and sent from the outbox, from the records as they are then (with
    dates in the person's time zone: their profile is looked up if Mutual has none)."""
    user_id = command.user_id
    with contextlib.suppress(SlackBusy):  # then the dates are in UTC, and the file says so
        deps.directory.lookup(client, team_id, [user_id], Budget())
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        count = count_records(session, team_id, user_id)
        enqueue(session, team_id, f"export:{command.trigger_id}", EXPORT, user_id,
                {"day": now.strftime("%Y-%m-%d")}, now, now, priority=NOW)
    return build_export_started(count)


def forget(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> Reply:
    return build_forget_confirm()


def config(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> Reply:
    return open_settings(deps, client, team_id, command.user_id, command.trigger_id) or {}


def open_settings(deps: Deps, client: WebClient, team_id: str, user_id: str,
                  trigger_id: str) -> Reply | None:
    """Open the settings modal for an admin (`/mutual config`, or "Open settings" in the
    welcome DM or on an admin's Home); otherwise the reply that says why not."""
    budget = Budget()
    admin = fresh_admin(deps, client, team_id, user_id, budget)
    if admin is None:
        return build_busy(SLACK_BUSY)
    if not admin:
        return build_config_refused()
    now = deps.clock()
    with deps.db.session() as session:
        settings = current_config(ensure_workspace(session, team_id, now))
    if not open_modal(client, trigger_id, build_config_modal(settings, now), budget):
        return build_busy(FORM_BUSY)
    return None

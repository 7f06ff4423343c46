"""The weekly team summary and channel digest.

Each job writes at most one outbox row per workspace and ISO week (`summary:2026-W47`,
`digest:2026-W47`, recipient = the nudge channel) once the week's moment has come in the
workspace's time zone; the outbox delivers it like any other message, so two runners, a
restart or `mutual jobs run` twice still post once. The summary's chart is uploaded right
after its message, with the files v2 flow."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.chart import render_week_chart
from bot.blocks.summary import build_digest, build_team_summary, period_words
from bot.db.models import Nudge, Workspace
from bot.db.session import Database
from bot.db.upsert import insert_ignore
from bot.jobs.kinds import Kind, post, register_kind
from bot.services.nudges import CANCELLED, Outgoing, active_workspaces, enqueue
from bot.services.summary import (
    TeamSummary,
    channel_digest,
    digest_from,
    digest_payload,
    period_ending,
    summary_from,
    summary_payload,
    team_summary,
    zone,
)
from bot.slack.files import upload_file
from bot.slack.sender import SENT, Outcome

logger = logging.getLogger(__name__)

TEAM_SUMMARY = "team_summary"
CHANNEL_DIGEST = "channel_digest"
DIGEST_WEEKDAY, DIGEST_HOUR = 0, 9  # Mondays at 09:00, workspace time


def _due(workspace: Workspace, now: datetime, weekday: int, hour: int) -> bool:
    """On or after the week's moment, local time; later runs that week catch up (once)."""
    local = now.astimezone(zone(workspace.timezone))
    return (local.weekday(), local.hour) >= (weekday, hour)


def _write(session: Session, workspace: Workspace, key: str, kind: str, payload: dict[str, Any],
           now: datetime, worth_posting: bool) -> bool:
    assert workspace.nudge_channel
    if worth_posting:
        return enqueue(session, workspace.team_id, key, kind, workspace.nudge_channel, payload,
                       due_at=now, now=now)
    # Nothing to say this week: take the key anyway, so the week is settled.
    insert_ignore(session, Nudge, {
        "team_id": workspace.team_id, "key": key, "kind": kind,
        "recipient_id": workspace.nudge_channel, "payload": "{}", "status": CANCELLED,
        "due_at": now, "attempts": 0, "created_at": now, "last_error": "nothing to post",
    })
    return False


def _key_taken(session: Session, team_id: str, key: str) -> bool:
    return session.scalar(select(Nudge.id).where(Nudge.team_id == team_id, Nudge.key == key)) is not None


def queue_team_summaries(db: Database, now: datetime) -> int:
    """The week's team summary for every workspace whose moment has come; new rows written."""
    def build(session: Session, workspace: Workspace) -> tuple[dict[str, Any], bool]:
        figures = team_summary(session, workspace, now)
        return summary_payload(figures), not figures.quiet

    return _queue_weekly(db, now, "summary", TEAM_SUMMARY, build,
                         lambda w: (w.summary_weekday, w.summary_hour) if w.nudge_channel else None)


def queue_channel_digests(db: Database, now: datetime) -> int:
    """The week's channel digest, Mondays 09:00 workspace time, where it is switched on."""
    def build(session: Session, workspace: Workspace) -> tuple[dict[str, Any], bool]:
        digest = channel_digest(session, workspace, now)
        return digest_payload(digest), not digest.empty

    return _queue_weekly(db, now, "digest", CHANNEL_DIGEST, build,
                         lambda w: (DIGEST_WEEKDAY, DIGEST_HOUR)
                         if w.nudge_channel and w.digest_enabled else None)


def _queue_weekly(
    db: Database, now: datetime, prefix: str, kind: str,
    build: Callable[[Session, Workspace], tuple[dict[str, Any], bool]],
    moment: Callable[[Workspace], tuple[int, int] | None],
) -> int:
    """One row per workspace and week, keyed `<prefix>:<ISO week>`, once its moment has come
    (`moment` gives weekday and hour, or None where the post is not wanted)."""
    written = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            when = moment(workspace)
            if when is None or not _due(workspace, now, *when):
                continue
            key = f"{prefix}:{period_ending(now, workspace.timezone).key}"
            if _key_taken(session, workspace.team_id, key):
                continue
            payload, worth_posting = build(session, workspace)
            written += _write(session, workspace, key, kind, payload, now, worth_posting)
    return written


# -- sending -----------------------------------------------------------------------------------

def chart_title(figures: TeamSummary) -> str:
    return f"Help exchanged, {period_words(figures.period)}"


def upload_chart(client: WebClient, channel: str, figures: TeamSummary) -> str | None:
    """The week's chart as a PNG in the channel; only when the week's figure may be shown."""
    if not figures.help.shown:
        return None
    png = render_week_chart(figures.daily, chart_title(figures))
    return upload_file(client, channel, png, filename=f"mutual-{figures.period.key}.png",
                       title=chart_title(figures),
                       alt_text="Bar chart of how often people helped each other each day "
                                "this week.")


def post_summary(client: WebClient, channel: str, figures: TeamSummary) -> None:
    """`/mutual summary post`: the message, then its chart."""
    client.chat_postMessage(channel=channel, **build_team_summary(figures))
    upload_chart(client, channel, figures)


def _send_summary(client: WebClient, row: Outgoing, msg: dict[str, Any]) -> Outcome:
    outcome = post(client, row, msg)
    if outcome.status == SENT:
        # The message is out; a chart that fails to upload must not post the summary twice.
        try:
            upload_chart(client, row.recipient_id, summary_from(row.payload))
        except (SlackApiError, SlackRequestError, OSError) as e:
            logger.warning("summary %s posted without its chart: %s", row.key, e)
    return outcome


def _channel_still_wanted(session: Session, workspace: Workspace, row: Outgoing,
                          now: datetime) -> str | None:
    return None if workspace.nudge_channel == row.recipient_id else "the channel was changed"


def _digest_still_wanted(session: Session, workspace: Workspace, row: Outgoing,
                         now: datetime) -> str | None:
    if not workspace.digest_enabled:
        return "the digest was turned off"
    return _channel_still_wanted(session, workspace, row, now)


register_kind(Kind(TEAM_SUMMARY, render=lambda p: build_team_summary(summary_from(p)),
                   personal=False, still_wanted=_channel_still_wanted, send=_send_summary))
register_kind(Kind(CHANNEL_DIGEST, render=lambda p: build_digest(digest_from(p)),
                   personal=False, still_wanted=_digest_still_wanted))

"""The weekly team summary and channel digest.

Each job writes at most one post per workspace and ISO week (`summary:2026-W47`,
`digest:2026-W47`, recipient = the nudge channel) once the week's moment has come in the
workspace's time zone; the outbox delivers it like any other message, so two runners, a
restart or `mutual jobs run` twice still post once. The summary's chart is its own row, sent
after the post with the files v2 flow (a chart that fails never posts the summary twice).
A public channel Mutual is not in is joined; a private one it was not invited to fails with
a reason people can act on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks.chart import render_week_chart
from bot.blocks.summary import (
    build_connector_thanks,
    build_digest,
    build_post_failed,
    build_team_summary,
    period_words,
)
from bot.db.models import OutboxItem, Workspace
from bot.db.session import Database
from bot.db.upsert import insert_ignore
from bot.delivery.channel import after_channel_post, channel_post_failed
from bot.delivery.kinds import Call, Kind, from_payload, nobody, register_kind
from bot.services.delivery import Outgoing
from bot.services.nudges import active_workspaces
from bot.services.outbox import CANCELLED, enqueue, message
from bot.services.summary import (
    CHANNEL_DIGEST,
    CONNECTOR_THANKS,
    SUMMARY_CHART,
    TEAM_SUMMARY,
    channel_digest,
    digest_from,
    digest_payload,
    period_ending,
    period_from,
    queue_summary,
    summary_from,
    team_summary,
    zone,
)
from bot.slack.files import upload_file
from bot.slack.sender import Outcome, in_channel, post_message

logger = logging.getLogger(__name__)

DIGEST_WEEKDAY, DIGEST_HOUR = 0, 9  # Mondays at 09:00, workspace time


def _due(workspace: Workspace, now: datetime, weekday: int, hour: int) -> bool:
    """On or after the week's moment, local time; later runs that week catch up (once)."""
    local = now.astimezone(zone(workspace.timezone))
    return (local.weekday(), local.hour) >= (weekday, hour)


def _settle(session: Session, workspace: Workspace, key: str, kind: str, now: datetime) -> None:
    """Nothing to say this week: take the key anyway, so the week is settled."""
    insert_ignore(session, OutboxItem, {
        "team_id": workspace.team_id, "key": key, "kind": kind,
        "recipient_id": workspace.nudge_channel, "payload": "{}", "status": CANCELLED,
        "priority": 1, "due_at": now, "attempts": 0, "requeue": False, "created_at": now,
        "last_error": "nothing to post",
    })


def _key_taken(session: Session, team_id: str, key: str) -> bool:
    return session.scalar(select(OutboxItem.id).where(OutboxItem.team_id == team_id,
                                                      OutboxItem.key == key)) is not None


def queue_team_summaries(db: Database, now: datetime) -> int:
    """The week's team summary for every workspace whose moment has come; new posts written."""
    def write(session: Session, workspace: Workspace, key: str) -> bool:
        figures = team_summary(session, workspace, now)
        if figures.quiet:
            _settle(session, workspace, key, TEAM_SUMMARY, now)
            return False
        assert workspace.nudge_channel
        return queue_summary(session, figures, workspace.nudge_channel, key, now)

    return _queue_weekly(db, now, "summary", write,
                         lambda w: (w.summary_weekday, w.summary_hour) if w.nudge_channel else None)


def queue_channel_digests(db: Database, now: datetime) -> int:
    """The week's channel digest, Mondays 09:00 workspace time, where it is switched on."""
    def write(session: Session, workspace: Workspace, key: str) -> bool:
        digest = channel_digest(session, workspace, now)
        if digest.empty:
            _settle(session, workspace, key, CHANNEL_DIGEST, now)
            return False
        return enqueue(session, workspace.team_id, key, CHANNEL_DIGEST, workspace.nudge_channel,
                       digest_payload(digest), now, now)

    return _queue_weekly(db, now, "digest", write,
                         lambda w: (DIGEST_WEEKDAY, DIGEST_HOUR)
                         if w.nudge_channel and w.digest_enabled else None)


def _queue_weekly(db: Database, now: datetime, prefix: str,
                  write: Callable[[Session, Workspace, str], bool],
                  moment: Callable[[Workspace], tuple[int, int] | None]) -> int:
    """One post per workspace and week, keyed `<prefix>:<ISO week>`, once its moment has come
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
            written += write(session, workspace, key)
    return written


# -- sending -----------------------------------------------------------------------------------

def _post(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    channel = row.recipient_id
    return in_channel(client, channel, lambda: post_message(client, channel, call, row.key))


def _chart(r: Any) -> Call:
    return {"figures": r.payload}


def _upload_chart(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    figures = summary_from(call["figures"])
    title = f"Help exchanged, {period_words(figures.period)}"
    png = render_week_chart(figures.daily, title)
    channel = row.recipient_id
    return in_channel(client, channel, lambda: upload_file(
        client, channel, png, filename=f"mutual-{figures.period.key}.png", title=title,
        alt_text="Bar chart of how often people helped each other each day this week."))


def _tell_admin(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    """An admin's `/mutual summary post` that could not go out at all: tell them why. A
    private summary channel is remembered, and its admin told once, either way."""
    channel_post_failed(session, row, reason, now)
    admin = row.payload.get("admin")
    if admin:
        message(session, row.team_id, f"{row.key}:failed", admin,
                build_post_failed(row.recipient_id, reason), now)


def _channel_still_wanted(session: Session, workspace: Workspace, row: Outgoing,
                          now: datetime) -> str | None:
    if row.payload.get("admin"):
        return None  # posted where the admin asked
    return None if workspace.nudge_channel == row.recipient_id else "the channel was changed"


def _digest_still_wanted(session: Session, workspace: Workspace, row: Outgoing,
                         now: datetime) -> str | None:
    if not workspace.digest_enabled:
        return "the digest was turned off"
    return _channel_still_wanted(session, workspace, row, now)


# Figures only: a summary, its chart or a digest names nobody (bot.services.tact).
register_kind(Kind(TEAM_SUMMARY, from_payload(lambda p: build_team_summary(summary_from(p))),
                   send=_post, still_wanted=_channel_still_wanted, on_failed=_tell_admin,
                   after_sent=after_channel_post, channel_post=nobody))
register_kind(Kind(CHANNEL_DIGEST, from_payload(lambda p: build_digest(digest_from(p))),
                   send=_post, still_wanted=_digest_still_wanted, on_failed=channel_post_failed,
                   after_sent=after_channel_post, channel_post=nobody))
# A file cannot be looked up after a crash: an upload cut off mid-way is not made again.
register_kind(Kind(SUMMARY_CHART, _chart, send=_upload_chart, method="files.upload",
                   checkable=False, channel_post=nobody))
register_kind(Kind(CONNECTOR_THANKS, from_payload(lambda p: build_connector_thanks(
    period_from(p["period"]), int(p.get("connected") or 1))), nudge=True))

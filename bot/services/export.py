"""A workspace's data as plain dicts, in the shape PRODUCT.md §1 gives."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, OutboxItem
from bot.services import export_asks, intros
from bot.services.outbox import PLANNED

EXPORT = "export"  # outbox kind: a person's records as a CSV file, by DM (`/mutual export`)
RECORD_FIELDS = ("id", "helper", "receiver", "source", "status", "note", "channel",
                 "message_ts", "created_at")


def iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def record_rows(session: Session, team_id: str, user_id: str | None = None) -> list[dict[str, Any]]:
    query = select(HelpRecord).where(HelpRecord.team_id == team_id).order_by(HelpRecord.id)
    if user_id is not None:
        query = query.where((HelpRecord.helper_id == user_id) | (HelpRecord.receiver_id == user_id))
    return [
        {
            "id": r.id,
            "helper": r.helper_id,
            "receiver": r.receiver_id,
            "source": r.source,
            "status": r.status,
            "note": r.note,
            "channel": r.channel_id,
            "message_ts": r.message_ts,
            "created_at": iso(r.created_at),
        }
        for r in session.scalars(query)
    ]


def count_records(session: Session, team_id: str, user_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(HelpRecord).where(
        HelpRecord.team_id == team_id,
        (HelpRecord.helper_id == user_id) | (HelpRecord.receiver_id == user_id))) or 0)


def intro_rows(session: Session, team_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "introducer": i.introducer_id or None,
            "a": i.a_id or None,
            "b": i.b_id or None,
            "reason": i.reason,
            "status": i.status,
            "created_at": iso(i.created_at),
            "connected_at": iso(i.connected_at),
        }
        for i in intros.intro_rows(session, team_id)
    ]


def nudge_rows(session: Session, team_id: str) -> list[dict[str, Any]]:
    """The planned messages in the outbox (nudges, reminders, summaries) and what became of
    them; replies to what people did are theirs to see in Slack, not a record."""
    query = select(OutboxItem).where(OutboxItem.team_id == team_id,
                                     OutboxItem.priority == PLANNED).order_by(OutboxItem.id)
    return [
        {
            "id": n.id,
            "kind": n.kind,
            "recipient": n.recipient_id,
            "subject": n.subject,
            "status": n.status,
            "due_at": iso(n.due_at),
            "sent_at": iso(n.sent_at),
        }
        for n in session.scalars(query)
    ]


def export_workspace(session: Session, team_id: str) -> dict[str, Any]:
    data = {"team": team_id, "records": record_rows(session, team_id),
            "intros": intro_rows(session, team_id), "nudges": nudge_rows(session, team_id)}
    data["asks"] = export_asks.ask_rows(session, team_id)
    data["offers"] = export_asks.offer_rows(session, team_id)
    data["ask_me_about"] = export_asks.ask_me_about_rows(session, team_id)
    return data


def records_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()

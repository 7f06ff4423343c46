"""`/mutual export`: the person's records as a CSV file in their DM with Mutual, made when it
is sent (so it holds what is recorded then). An upload cannot be looked up after a crash, so
one cut off part-way is not made again; a failure is told to the person."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.me import build_export_dm_comment, build_export_failed
from bot.delivery.kinds import Call, Kind, Rendering, register_kind
from bot.services import outbox
from bot.services.delivery import Outgoing
from bot.services.export import EXPORT, record_rows, records_csv
from bot.slack.files import harmless, upload_file
from bot.slack.sender import SENT, Outcome, open_conversation


def _render(r: Rendering) -> Call:
    rows = record_rows(r.session, r.row.team_id, r.row.recipient_id, r.now)
    return {"csv": records_csv(rows), "count": len(rows), "day": r.payload.get("day", "")}


def _send(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    opened = harmless(open_conversation(client, [row.recipient_id]))
    if opened.status != SENT or not opened.channel:
        return opened
    day = call["day"]
    return upload_file(client, opened.channel, call["csv"].encode("utf-8"),
                       filename=f"mutual-records-{day}.csv", title=f"Your Mutual records ({day})",
                       comment=build_export_dm_comment(int(call["count"])))


def _tell(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    outbox.message(session, row.team_id, f"{row.key}:failed", row.recipient_id,
                   build_export_failed(reason), now)


register_kind(Kind(EXPORT, _render, send=_send, method="files.upload", checkable=False,
                   on_failed=_tell))

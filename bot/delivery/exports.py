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
from bot.services.export import EXPORT, Names
from bot.services.export_personal import PersonalExport, personal_csv, personal_export
from bot.slack.files import harmless, upload_file
from bot.slack.names import SlackNames, channel_name, person_name
from bot.slack.sender import SENT, Outcome, open_conversation

# Looking names up must leave the upload most of the claim's minute (bot/delivery/run.py).
LOOKUPS_MAX, NAMES_WITHIN = 25, 5.0


def _render(r: Rendering) -> Call:
    return {"export": personal_export(r.session, r.row.team_id, r.row.recipient_id, r.now),
            "day": r.payload.get("day", "")}


def _send(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    opened = harmless(open_conversation(client, [row.recipient_id]))
    if opened.status != SENT or not opened.channel:
        return opened
    export: PersonalExport = call["export"]
    # Names Mutual lacks are asked for now, briefly: where Slack is slow the file has ids.
    names = Names(person=SlackNames(client, person_name, known=export.people, limit=LOOKUPS_MAX,
                                    seconds=NAMES_WITHIN),
                  channel=SlackNames(client, channel_name, limit=LOOKUPS_MAX, seconds=NAMES_WITHIN))
    data = personal_csv(export, names)
    day = call["day"]
    return upload_file(client, opened.channel, data.encode("utf-8"),
                       filename=f"mutual-records-{day}.csv", title=f"Your Mutual records ({day})",
                       comment=build_export_dm_comment(len(export.rows), export.zone))


def _tell(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    outbox.message(session, row.team_id, f"{row.key}:failed", row.recipient_id,
                   build_export_failed(reason), now)


register_kind(Kind(EXPORT, _render, send=_send, method="files.upload", checkable=False,
                   on_failed=_tell))

"""`/mutual export`: a person's own records as a CSV they can read — who helped whom by name,
the channel as #name, dates in their own time zone — with the ids in columns of their own, so
the file still joins with anything else. Names are what Mutual knows when the file is made;
an id it cannot name stands alone."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, Member
from bot.services.export import Lookup, Names, Row, member_names, record_rows, safe_cell
from bot.services.settings import valid_timezone

FIELDS = ("date", "helper", "receiver", "note", "channel", "source", "status", "record_id",
          "helper_id", "receiver_id", "channel_id", "message_ts", "created_at_utc")


@dataclass(frozen=True)
class PersonalExport:
    rows: list[Row]
    zone: str  # the person's time zone (Slack's `tz`), UTC when Mutual does not know it
    people: dict[str, str]  # the names Mutual has cached for the people in the rows


def personal_export(session: Session, team_id: str, user_id: str,
                    now: datetime | None = None) -> PersonalExport:
    """As of `now`, a claim they made that was declined shows as pending until it lapses: a
    "no" is told to nobody before an unanswered claim would have lapsed (PRODUCT.md §4c)."""
    rows = record_rows(session, team_id, user_id)
    if now is not None:
        hidden = set(session.scalars(select(HelpRecord.id).where(
            HelpRecord.team_id == team_id, HelpRecord.helper_id == user_id,
            HelpRecord.source == "claim", HelpRecord.status == "declined",
            HelpRecord.expires_at > now)))
        rows = [{**row, "status": "pending"} if row["id"] in hidden else row for row in rows]
    people = member_names(session, team_id, {r[k] for r in rows for k in ("helper", "receiver") if r[k]})
    member = session.get(Member, (team_id, user_id))
    zone = member.tz if member is not None and member.tz and valid_timezone(member.tz) else "UTC"
    return PersonalExport(rows, zone, people)


def _local(iso_utc: str, zone: ZoneInfo) -> str:
    return datetime.fromisoformat(iso_utc).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _named(lookup: Lookup, some_id: str | None, shown: Callable[[str], str] = str) -> str:
    if not some_id:
        return ""
    name = lookup(some_id)
    return shown(name) if name else some_id


def personal_csv(export: PersonalExport, names: Names) -> str:
    """The file: header first (the date column names the zone), every cell safe to open in a
    spreadsheet; a name nobody could give is shown as the id."""
    zone = ZoneInfo(export.zone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"date ({export.zone})", *FIELDS[1:]])
    for row in export.rows:
        helper, receiver, channel = row["helper"], row["receiver"], row["channel"]
        writer.writerow([safe_cell(value) for value in (
            _local(row["created_at"], zone), _named(names.person, helper),
            _named(names.person, receiver), row["note"],
            _named(names.channel, channel, lambda name: f"#{name}"), row["source"], row["status"],
            row["id"], helper or "", receiver or "", channel or "", row["message_ts"] or "",
            row["created_at"])])
    return out.getvalue()

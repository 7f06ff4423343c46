"""A workspace's data in the shape PRODUCT.md §1 gives, streamed: rows are fetched in batches
and written as they come, so a million records take the memory of a few thousand."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, Member, OutboxItem, Workspace
from bot.services import export_asks, intros
from bot.services.followups import followup_rows
from bot.services.outbox import PLANNED

EXPORT = "export"  # outbox kind: a person's records as a CSV file, by DM (`/mutual export`)
# PRODUCT.md's keys, then (added, never renamed) the names they stood for at export time.
RECORD_FIELDS = ("id", "helper", "receiver", "source", "status", "note", "channel",
                 "message_ts", "created_at", "helper_name", "receiver_name", "channel_name")
BATCH = 2_000  # rows per fetch (a server-side cursor on PostgreSQL) and per write
# A spreadsheet reads a cell starting with one of these as a formula (a tab or CR can precede
# one); OWASP's advice for CSV injection is to make such cells text with a leading quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, Any]
Progress = Callable[[str, int], None]  # (section, rows written so far)
Lookup = Callable[[str], str | None]  # an id -> its name now, or None (shown as the id)


def _no_name(_: str) -> str | None:
    return None


@dataclass(frozen=True)
class Names:
    """How ids get their names at export time: people from Mutual's cached profiles, channels
    from Slack (bot/slack/channels.py). Nothing known: None, and the id stands alone."""

    person: Lookup = _no_name
    channel: Lookup = _no_name


NO_NAMES = Names()


def _named(lookup: Lookup, some_id: str | None) -> str | None:
    return lookup(some_id) if some_id else None


def member_names(session: Session, team_id: str, user_ids: Iterable[str] | None = None) -> dict[str, str]:
    """Names Mutual has cached for this workspace's people (only `user_ids`, when given)."""
    query = select(Member.user_id, Member.name).where(Member.team_id == team_id, Member.name != "")
    if user_ids is not None:
        query = query.where(Member.user_id.in_(list(user_ids)))
    return {user_id: name for user_id, name in session.execute(query)}


def iso(value: datetime | None) -> str | None:
    # Values are aware UTC (UTCDateTime); isoformat is twice as fast as strftime, which counts
    # at a million rows.
    return value.isoformat(timespec="seconds")[:19] + "Z" if value is not None else None


def workspace_exists(session: Session, team_id: str) -> bool:
    return session.get(Workspace, team_id) is not None


def workspace_ids(session: Session, limit: int) -> list[str]:
    return list(session.scalars(select(Workspace.team_id).order_by(Workspace.team_id).limit(limit)))


def iter_records(session: Session, team_id: str, user_id: str | None = None,
                 names: Names = NO_NAMES) -> Iterator[Row]:
    r = HelpRecord
    query = (select(r.id, r.helper_id, r.receiver_id, r.source, r.status, r.note, r.channel_id,
                    r.message_ts, r.created_at)
             .where(r.team_id == team_id).order_by(r.id).execution_options(yield_per=BATCH))
    if user_id is not None:
        query = query.where((r.helper_id == user_id) | (r.receiver_id == user_id))
    for id_, helper, receiver, source, status, note, channel, ts, created in session.execute(query):
        yield {"id": id_, "helper": helper, "receiver": receiver, "source": source,
               "status": status, "note": note, "channel": channel, "message_ts": ts,
               "created_at": iso(created), "helper_name": _named(names.person, helper),
               "receiver_name": _named(names.person, receiver),
               "channel_name": _named(names.channel, channel)}


def count_records(session: Session, team_id: str, user_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(HelpRecord).where(
        HelpRecord.team_id == team_id,
        (HelpRecord.helper_id == user_id) | (HelpRecord.receiver_id == user_id))) or 0)


def record_rows(session: Session, team_id: str, user_id: str | None = None,
                names: Names = NO_NAMES) -> list[Row]:
    """Records as a list: one person's (`/mutual export`) are few."""
    return list(iter_records(session, team_id, user_id, names))


def iter_intros(session: Session, team_id: str, names: Names = NO_NAMES) -> Iterator[Row]:
    for i in intros.intro_rows(session, team_id):
        introducer, a, b = i.introducer_id or None, i.a_id or None, i.b_id or None
        yield {"id": i.id, "introducer": introducer, "a": a, "b": b, "reason": i.reason,
               "status": i.status, "created_at": iso(i.created_at),
               "connected_at": iso(i.connected_at), "introducer_name": _named(names.person, introducer),
               "a_name": _named(names.person, a), "b_name": _named(names.person, b)}


def iter_nudges(session: Session, team_id: str) -> Iterator[Row]:
    """The planned messages in the outbox (nudges, reminders, summaries) and what became of
    them; replies to what people did are theirs to see in Slack, not a record."""
    n = OutboxItem
    query = (select(n.id, n.kind, n.recipient_id, n.subject, n.status, n.due_at, n.sent_at)
             .where(n.team_id == team_id, n.priority == PLANNED).order_by(n.id)
             .execution_options(yield_per=BATCH))
    for id_, kind, recipient, subject, status, due_at, sent_at in session.execute(query):
        yield {"id": id_, "kind": kind, "recipient": recipient, "subject": subject,
               "status": status, "due_at": iso(due_at), "sent_at": iso(sent_at)}


def _no_progress(section: str, count: int) -> None:
    pass


def _batches(rows: Iterable[Row]) -> Iterator[list[Row]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def write_json(session: Session, team_id: str, out: TextIO,
               progress: Progress = _no_progress, names: Names = NO_NAMES) -> dict[str, int]:
    """One JSON object, `{"team", "records", "intros", "nudges", …}`, written as the rows arrive;
    returns how many rows each list got."""
    encoder = json.JSONEncoder(ensure_ascii=False)
    sections = {"records": iter_records(session, team_id, names=names),
                "intros": iter_intros(session, team_id, names),
                "nudges": iter_nudges(session, team_id),
                "followups": iter(followup_rows(session, team_id)),
                "asks": iter(export_asks.ask_rows(session, team_id)),
                "offers": iter(export_asks.offer_rows(session, team_id)),
                "offers_by_via": iter(export_asks.offers_by_via(session, team_id)),
                "ask_me_about": iter(export_asks.ask_me_about_rows(session, team_id))}
    counts: dict[str, int] = {}
    out.write('{"team": ' + encoder.encode(team_id))
    for name, rows in sections.items():
        out.write(f', "{name}": [')
        count = 0
        for batch in _batches(rows):
            # A list's encoding without its brackets: the batch goes to the C encoder at once.
            out.write((", " if count else "") + encoder.encode(batch)[1:-1])
            count += len(batch)
            progress(name, count)
        out.write("]")
        counts[name] = count
    out.write("}\n")
    return counts


def safe_cell(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _csv_row(row: Row) -> list[Any]:
    return [safe_cell(row[field]) for field in RECORD_FIELDS]


def write_records_csv(rows: Iterable[Row], out: TextIO, progress: Progress = _no_progress) -> int:
    """The records as CSV (header first), every cell safe to open in a spreadsheet."""
    # Rows go through a buffer and out a batch at a time: a write per row costs more than the
    # formatting. RFC 4180's CRLF: with "\n" alone a note holding a bare CR would go out
    # unquoted and split its row in two.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RECORD_FIELDS)
    count = 0
    for batch in _batches(rows):
        writer.writerows(map(_csv_row, batch))
        count += len(batch)
        out.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
        progress("records", count)
    out.write(buffer.getvalue())  # the header alone, when there are no records
    return count


def records_csv(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    write_records_csv(rows, out)
    return out.getvalue()

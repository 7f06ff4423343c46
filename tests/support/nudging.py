"""Building scheduler scenarios: workspaces, people, help records, outbox rows; a fake timer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, Member, OutboxItem, Workspace
from bot.db.session import Database
from bot.services import counts
from bot.services.questions import GATHER as GATHER
from bot.services.workspaces import ensure_workspace
from tests.support.slack_double import TEAM, SlackDouble


def workspace(session: Session, now: datetime, team: str = TEAM, **settings: Any) -> Workspace:
    ws = ensure_workspace(session, team, now)
    for name, value in settings.items():
        setattr(ws, name, value)
    session.flush()
    return ws


def member(session: Session, user: str, now: datetime, team: str = TEAM, tz_offset: int = 0,
           tz: str | None = "Europe/London", **fields: Any) -> Member:
    row = session.get(Member, (team, user))
    if row is None:
        row = Member(team_id=team, user_id=user, name=user.title(), fetched_at=now,
                     nudges_enabled=True)
        session.add(row)
    row.tz, row.tz_offset = tz, tz_offset
    for name, value in fields.items():
        setattr(row, name, value)
    session.flush()
    return row


# Help given several times is spread over this long by default, ending at `at`: a suggestion
# to give back needs help spread over two weeks (PRODUCT.md §4).
SPREAD = timedelta(days=14)


def helped(session: Session, helper: str, receiver: str, at: datetime, times: int = 1,
           team: str = TEAM, status: str = "confirmed", note: str = "", source: str = "command",
           expires_at: datetime | None = None, spread: timedelta = SPREAD) -> list[HelpRecord]:
    """`times` records, the first `spread` before `at`, the rest evenly after it."""
    moments = [at - spread * (times - 1 - i) / (times - 1) if times > 1 else at
               for i in range(times)]
    rows = [HelpRecord(team_id=team, helper_id=helper, receiver_id=receiver, source=source,
                       status=status, note=note, created_at=when, updated_at=when,
                       expires_at=expires_at) for when in moments]
    session.add_all(rows)
    session.flush()
    if status == "confirmed":  # as bot.services.recording keeps them
        for row in rows:
            counts.added(session, team, helper, receiver, source, row.created_at, row.created_at)
    return rows


def thank_over_weeks(mutual: Any, receiver: str, helper: str, notes: Any,
                     start: datetime) -> None:
    """`/thanks` over HTTP once a week from `start`, one note each; the app's clock is left at
    the last one. Help spread like this, then quiet for three days, may bring a suggestion to
    give back (PRODUCT.md §4)."""
    from tests.support import payloads

    for week, note in enumerate(notes):
        mutual.clock.set(start + timedelta(weeks=week))
        reply = mutual.post(payloads.command("/thanks", f"<@{helper}> for {note}", user=receiver))
        assert reply.status == 200, reply.body
        mutual.settle()


def nudge_rows(db: Database, **where: Any) -> list[OutboxItem]:
    """The planned rows of the outbox (nudges, reminders, posts), not replies to requests."""
    with db.session() as s:
        query = select(OutboxItem).where(OutboxItem.priority == 1).order_by(OutboxItem.id)
        for column, value in where.items():
            query = query.where(getattr(OutboxItem, column) == value)
        return list(s.scalars(query))


def add_nudge(session: Session, key: str, recipient: str, due: datetime, now: datetime,
              kind: str = "one_sided", team: str = TEAM, subject: str | None = "UBOB",
              payload: dict[str, Any] | None = None, **fields: Any) -> OutboxItem:
    payload = payload or {"helper": subject, "count": 3, "window_days": 90, "notes": []}
    fields.setdefault("status", "pending")
    fields.setdefault("attempts", 0)
    row = OutboxItem(team_id=team, key=key, kind=kind, recipient_id=recipient, subject=subject,
                payload=json.dumps(payload), due_at=due, created_at=now, **fields)
    session.add(row)
    session.flush()
    return row


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """action_id -> value of every button in a message's blocks (as the double recorded it)."""
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    found: dict[str, str] = {}
    for block in blocks:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("type") == "button":
                found[element["action_id"]] = element.get("value", "")
    return found


def text_of(message: dict[str, Any]) -> str:
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks) + " " + str(message.get("text", ""))


class FakeTimer:
    """A monotonic clock that moves only when the delivery loop sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def days(n: float) -> timedelta:
    return timedelta(days=n)


def jobs_runner(db: Database, slack: SlackDouble, mutual: Any) -> Any:
    """`run(at)`: every scheduled job once as of `at`, with the live app's clock moved there
    too, then wait until its deliverer has sent what is due (it races run_all's own delivery;
    the outbox's claims make that harmless)."""
    from bot.jobs.scheduler import run_all
    from bot.slack.sender import single_workspace_clients

    clients = single_workspace_clients(slack.api_url, "xoxb-test")

    def run(at: datetime) -> dict[str, object]:
        mutual.clock.set(at)
        result = run_all(db, at, clients, timer=FakeTimer())
        mutual.settle()
        return result

    return run

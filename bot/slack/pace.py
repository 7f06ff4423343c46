"""Pacing chat.postMessage per conversation: Slack allows about one message a second to one
channel or DM (short bursts tolerated). Every sender thread of every replica takes its turn
from one row per conversation (`post_pace`), so several messages to one DM go out a second
apart while other conversations are not held up.

The row keeps the "theoretical arrival time" of the next message (GCRA, a token bucket in one
number): a message may go at once while that time is at most BURST-1 gaps ahead of now;
otherwise it waits for its slot. Times are real (wall-clock) seconds, as Slack counts them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.db.models import PostPace
from bot.db.session import Database
from bot.db.upsert import insert_ignore

GAP = timedelta(seconds=1.0)  # one message a second per conversation
BURST = 3  # this many may go back to back before the pace applies


class Pace:
    def __init__(self, db: Database, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db, self.clock = db, clock

    def turn(self, team_id: str, channel: str, wait_at_most: float) -> tuple[float, bool]:
        """(seconds to wait, taken): the turn is taken (the slot is this caller's: send after
        waiting) when the wait is at most `wait_at_most`; otherwise nothing is reserved and
        the caller should come back after the wait."""
        now = self.clock()
        channel = conversation_digest(team_id, channel)
        key = (PostPace.team_id == team_id, PostPace.channel == channel)
        with self.db.session() as session:
            insert_ignore(session, PostPace, {"team_id": team_id, "channel": channel, "next_at": now})
            row = session.scalars(select(PostPace).where(*key).with_for_update()).one()
            arrival = max(row.next_at, now)
            wait = max(0.0, (arrival - now - GAP * (BURST - 1)).total_seconds())
            if wait > wait_at_most:
                return wait, False
            row.next_at = arrival + GAP
            return wait, True


def conversation_digest(team_id: str, channel: str) -> str:
    """What the pace row keeps of a conversation: a digest, so a DM's row does not name the
    person (`/mutual forget` leaves no trace of them here)."""
    return hashlib.sha256(f"mutual-pace:{team_id}:{channel}".encode()).hexdigest()[:32]

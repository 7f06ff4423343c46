"""Telling people about thank-you reactions (issue 19 part 3). The author hears of them as of a
`/thanks`, those recorded within the same hour gathered into one DM that goes out at the hour's
end and is rendered then from the records, so an emoji removed before it goes out is not in it
(and with nothing left, nothing is sent). The reactor, the first time one of theirs counts,
gets a private note: it counted, and removing the emoji takes it back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord
from bot.services import outbox
from bot.services.once import REACTION_COUNTED, first_time
from bot.services.outbox import REACTED, REACTION_NOTE

GATHER = timedelta(hours=1)


@dataclass(frozen=True)
class ReactionThanks:
    receiver_id: str
    channel_id: str | None


def window(now: datetime) -> tuple[datetime, datetime]:
    """The hour a reaction recorded at `now` is gathered in: its DM goes out at the end."""
    start = now.replace(minute=0, second=0, microsecond=0)
    return start, start + GATHER


def tell_of_reaction(session: Session, team_id: str, author_id: str, reactor_id: str,
                     channel_id: str, now: datetime) -> None:
    """A reaction was just recorded (or counts again): the author's gathered DM for this hour
    (one row per author and hour, whoever reacts), and the reactor's note the first time."""
    since, until = window(now)
    outbox.enqueue(session, team_id, f"{REACTED}:{author_id}:{since:%Y%m%d%H}", REACTED,
                   author_id, {"since": since.isoformat(), "until": until.isoformat()},
                   until, now, subject=author_id)
    if first_time(session, team_id, reactor_id, REACTION_COUNTED, now):
        outbox.enqueue(session, team_id, f"{REACTION_NOTE}:{reactor_id}", REACTION_NOTE,
                       reactor_id, {"channel": channel_id, "author": author_id}, now, now,
                       priority=outbox.NOW)


def reactions_between(session: Session, team_id: str, author_id: str, since: datetime,
                      until: datetime) -> list[ReactionThanks]:
    """The thank-you reactions to this author's messages that count now and were recorded (or
    counted again) in [since, until): what their gathered DM says."""
    rows = session.execute(select(HelpRecord.receiver_id, HelpRecord.channel_id).where(
        HelpRecord.team_id == team_id, HelpRecord.helper_id == author_id,
        HelpRecord.status == "confirmed", HelpRecord.source == "reaction",
        HelpRecord.receiver_id.is_not(None),
        HelpRecord.updated_at >= since, HelpRecord.updated_at < until,
    ).order_by(HelpRecord.updated_at, HelpRecord.id)).all()
    return [ReactionThanks(str(r.receiver_id), r.channel_id) for r in rows]

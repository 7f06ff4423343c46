"""Saying thanks, shared by `/thanks` and the `thank_someone` modal: the records, each helper's
DM and the App Home refreshes, written in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks.recording import build_thanked_dm
from bot.listeners.deps import Deps
from bot.services import outbox
from bot.services.forget import welcome_back
from bot.services.once import RECEIPT_HINT, first_time
from bot.services.recording import Recorded, record_thanks
from bot.services.workspaces import ensure_workspace


@dataclass(frozen=True)
class Given:
    records: list[Recorded]
    hint: bool  # the first receipt this person gets: it carries the hint on sharing and undoing

    @property
    def ids(self) -> list[int]:
        return [r.id for r in self.records]


def give_thanks(deps: Deps, team_id: str, receiver_id: str, helper_ids: list[str], note: str,
                channel_id: str | None = None) -> Given:
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        return thanks_in(session, team_id, receiver_id, helper_ids, note, channel_id, now)


def thanks_in(session: Session, team_id: str, receiver_id: str, helper_ids: list[str], note: str,
              channel_id: str | None, now: datetime, was_forgotten: bool = True) -> Given:
    """Inside the caller's transaction. `was_forgotten=False`: the receiver is known not to
    have asked Mutual to forget them (read in this transaction), so nothing to welcome back."""
    if was_forgotten:
        welcome_back(session, team_id, receiver_id)
    records = record_thanks(session, team_id, receiver_id, helper_ids, note, now,
                            channel_id=channel_id)
    for record in records:
        outbox.message(session, team_id, f"thanked:{record.id}", record.helper_id,
                       build_thanked_dm(receiver_id, note, "command"), now,
                       subject=str(record.id))
    outbox.refresh_home(session, team_id, receiver_id, *helper_ids, now=now)
    return Given(records, first_time(session, team_id, receiver_id, RECEIPT_HINT, now))

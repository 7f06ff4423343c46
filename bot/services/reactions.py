"""A thank-you reaction, from the event to the record: who may be thanked this way, and what
the record changes (the author's and reactor's App Home)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.db.models import Workspace
from bot.services import outbox
from bot.services.forget import welcome_back
from bot.services.people import Profile, problem_with
from bot.services.reacted import tell_of_reaction
from bot.services.recording import ReactionResult, base_emoji, reaction_added, reaction_removed


@dataclass(frozen=True)
class Reaction:
    team_id: str
    enterprise_id: str | None
    reactor_id: str
    author_id: str | None  # absent for files and some app messages
    emoji: str
    channel_id: str
    message_ts: str

    @property
    def key(self) -> str:
        """Its outbox key when it must be checked later: one per person, message and emoji."""
        return f"reaction:{self.channel_id}:{self.message_ts}:{self.reactor_id}:{self.emoji}"

    def payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Reaction:
        return cls(**data)


def reaction_problem(reaction: Reaction, profiles: dict[str, Profile | None],
                     forgotten: frozenset[str], guests_off: bool = False) -> bool:
    """True when this reaction thanks nobody: both must be people of this workspace (a bot's
    message, or a bot's reaction, thanks nobody; nor does a guest's where guests are left
    out), and the author must not have asked Mutual to forget them."""
    author, reactor = reaction.author_id or "", reaction.reactor_id
    for person, other in ((author, reactor), (reactor, author)):
        if problem_with(profiles.get(person), other, reaction.team_id, reaction.enterprise_id,
                        guests_off=guests_off):
            return True
    return author in forgotten


def is_thank_you(emoji: str, thank_emoji: frozenset[str]) -> bool:
    return base_emoji(emoji) in thank_emoji


def record_reaction(session: Session, workspace: Workspace, reaction: Reaction,
                    now: datetime, was_forgotten: bool = True) -> ReactionResult:
    """`was_forgotten=False`: the reactor is known (in this transaction) not to have asked
    Mutual to forget them, so there is nobody to welcome back."""
    assert reaction.author_id is not None
    result, _ = reaction_added(session, workspace, reaction.reactor_id, reaction.author_id,
                               reaction.emoji, reaction.channel_id, reaction.message_ts, now)
    if result is ReactionResult.RECORDED and was_forgotten:
        welcome_back(session, workspace.team_id, reaction.reactor_id)
    if result is ReactionResult.RECORDED:
        outbox.refresh_home(session, workspace.team_id, reaction.reactor_id, reaction.author_id,
                            now=now)
        tell_of_reaction(session, workspace.team_id, reaction.author_id, reaction.reactor_id,
                         reaction.channel_id, now)
    return result


def retract_reaction(session: Session, workspace: Workspace, reaction: Reaction,
                     now: datetime) -> ReactionResult:
    result = reaction_removed(session, workspace, reaction.reactor_id, reaction.emoji,
                              reaction.channel_id, reaction.message_ts, now)
    if result is ReactionResult.RETRACTED:
        outbox.refresh_home(session, workspace.team_id, reaction.reactor_id, now=now)
    return result

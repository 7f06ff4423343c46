"""What an intro and a request look like to the rest of the app, and the settings and facts they depend on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Intro, IntroRequest, Member, Workspace
from bot.services.parsing import NOTE_MAX
from bot.services.tact import may_tell

STATUSES = ("proposed", "declined", "expired", "open", "connected")
INTRO_GROUP = "intro_group"  # outbox kind: open the group DM of an intro (bot/delivery/intros.py)
ACTIVE = ("proposed", "open")
REASON_MAX = NOTE_MAX


# -- views -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IntroView:
    """One intro as plain values."""

    id: int
    team_id: str
    introducer_id: str
    a_id: str
    b_id: str
    reason: str
    status: str
    a_answer: str | None
    b_answer: str | None
    created_at: datetime
    opened_at: datetime | None = None
    connected_at: datetime | None = None
    a_spoke_at: datetime | None = None
    b_spoke_at: datetime | None = None
    group_channel_id: str | None = None
    request_id: int | None = None

    @property
    def parties(self) -> tuple[str, str]:
        return self.a_id, self.b_id

    def other(self, user_id: str) -> str:
        return self.b_id if user_id == self.a_id else self.a_id

    def answer_of(self, user_id: str) -> str | None:
        if user_id == self.a_id:
            return self.a_answer
        return self.b_answer if user_id == self.b_id else None

    @property
    def waiting_on(self) -> list[str]:
        """Who the intro waits for: an answer while proposed, a first message while open."""
        if self.status == "proposed":
            return [u for u, ans in ((self.a_id, self.a_answer), (self.b_id, self.b_answer)) if ans is None]
        if self.status == "open":
            return [u for u, at in ((self.a_id, self.a_spoke_at), (self.b_id, self.b_spoke_at)) if at is None]
        return []


@dataclass(frozen=True)
class IntroDue:
    """Something the scheduler may send about an intro, to `user_id`.

    For reminders and silent-party nudges `other_id` is the recipient's counterpart; for
    expiry notices (recipient = introducer) it is `a_id`, and `a_id`/`b_id` name both."""

    team_id: str
    intro_id: int
    user_id: str
    introducer_id: str
    other_id: str
    reason: str
    created_at: datetime
    a_id: str = ""
    b_id: str = ""
    group_channel_id: str | None = None
    opened_at: datetime | None = None


@dataclass(frozen=True)
class RequestView:
    id: int
    team_id: str
    requester_id: str
    connector_id: str
    target_id: str
    reason: str
    status: str
    intro_id: int | None
    created_at: datetime
    declined_at: datetime | None = None

    @property
    def waiting(self) -> bool:
        """Still waiting for the connector, as anyone but the connector may know it."""
        return self.status == "pending"


def _view(intro: Intro) -> IntroView:
    return IntroView(
        id=intro.id, team_id=intro.team_id, introducer_id=intro.introducer_id or "",
        a_id=intro.a_id or "", b_id=intro.b_id or "", reason=intro.reason, status=intro.status,
        a_answer=intro.a_answer, b_answer=intro.b_answer, created_at=intro.created_at,
        opened_at=intro.opened_at, connected_at=intro.connected_at, a_spoke_at=intro.a_spoke_at,
        b_spoke_at=intro.b_spoke_at, group_channel_id=intro.group_channel_id,
        request_id=intro.request_id,
    )


def _request_view(req: IntroRequest) -> RequestView:
    return RequestView(
        id=req.id, team_id=req.team_id, requester_id=req.requester_id or "",
        connector_id=req.connector_id or "", target_id=req.target_id or "", reason=req.reason,
        status=req.status,
        intro_id=req.intro_id, created_at=req.created_at, declined_at=req.declined_at,
    )


def _settings(session: Session, team_id: str) -> Workspace | None:
    return session.get(Workspace, team_id)


def _expiry(workspace: Workspace | None) -> timedelta:
    return timedelta(days=workspace.intro_expiry_days if workspace else 7)


def _lapsed(intro: Intro, workspace: Workspace | None, now: datetime) -> bool:
    return intro.status == "proposed" and may_tell(intro.created_at, _expiry(workspace).days, now)


def still_asking(session: Session, intro: IntroView, now: datetime) -> bool:
    """A proposed intro that has not lapsed yet (answers, and reminders, are still wanted)."""
    workspace = _settings(session, intro.team_id)
    return intro.status == "proposed" and not may_tell(intro.created_at, _expiry(workspace).days, now)


def deactivated(session: Session, team_id: str, user_ids: list[str]) -> set[str]:
    """Those of `user_ids` that Slack reported deactivated (cached members)."""
    wanted = [u for u in user_ids if u]
    if not wanted:
        return set()
    rows = session.scalars(
        select(Member.user_id).where(Member.team_id == team_id, Member.user_id.in_(wanted),
                                     Member.deleted.is_(True))
    )
    return set(rows)

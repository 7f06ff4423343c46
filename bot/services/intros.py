"""Introductions with consent on both sides, followed through to "they connected".

An intro moves proposed → open (both accepted; a group DM is opened) → connected (both wrote
there, or either said so); or, when it lapses `intro_expiry_days` after it was proposed,
proposed → declined (someone said "not now") / expired (no answer in time, or a party left the
workspace before it could open). A "not now" is recorded as that party's answer and changes
nothing else: the intro stays proposed to everyone until it lapses, and then closes exactly as
an unanswered one does (PRODUCT.md §3, §4c; bot.services.tact). Requests ask a connector to
make one: pending → made | declined | expired (a "not now" likewise waits, in `declined_at`,
until the request would have lapsed).

The scheduler acts on the queries at the bottom; it decides when to send what they find."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import BindParameter, ColumnElement, bindparam, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Intro, IntroRequest, Member, Workspace
from bot.services.asking_again import intro_not_now, request_not_now
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


# -- proposing ---------------------------------------------------------------------------------

class Refused(enum.Enum):
    TOO_FEW = "too_few"
    SAME_PERSON = "same_person"
    SELF = "self"
    EMPTY_REASON = "empty_reason"
    REASON_TOO_LONG = "reason_too_long"
    DUPLICATE = "duplicate"  # an intro of the two is under way (`Proposed.existing`)
    NOT_NOW = "not_now"  # an intro of the two closed lately without going ahead
    REQUEST_ANSWERED = "request_answered"


@dataclass(frozen=True)
class Proposed:
    """The new intro, or why not (`existing` points to the intro already under way)."""

    intro: IntroView | None
    refused: Refused | None = None
    existing: IntroView | None = None
    request: RequestView | None = None


def check_people_and_reason(invoker_id: str, a_id: str | None, b_id: str | None,
                            reason: str) -> Refused | None:
    """The checks that need no lookup, in the order a person would want to hear them."""
    if not a_id or not b_id:
        return Refused.TOO_FEW
    if a_id == b_id:
        return Refused.SAME_PERSON
    if invoker_id in (a_id, b_id):
        return Refused.SELF
    if not reason.strip():
        return Refused.EMPTY_REASON
    if len(reason) > REASON_MAX:
        return Refused.REASON_TOO_LONG
    return None


def active_between(session: Session, team_id: str, a_id: str, b_id: str,
                   now: datetime) -> IntroView | None:
    """An intro of this pair (either order) that is proposed and not lapsed, or open."""
    rows = _active(session, team_id, or_((Intro.a_id == a_id) & (Intro.b_id == b_id),
                                         (Intro.a_id == b_id) & (Intro.b_id == a_id)))
    workspace = _settings(session, team_id)
    for intro in rows:
        if not _lapsed(intro, workspace, now):
            return _view(intro)
    return None


def propose_intro(session: Session, team_id: str, introducer_id: str, a_id: str, b_id: str,
                  reason: str, now: datetime, request_id: int | None = None) -> Proposed:
    """Store a proposed intro (people already checked against Slack by the caller).

    With `request_id`, the request it answers becomes `made` in the same transaction."""
    reason = reason.strip()
    refused = check_people_and_reason(introducer_id, a_id, b_id, reason)
    if refused is not None:
        return Proposed(None, refused)
    request = None
    if request_id is not None:
        request = session.get(IntroRequest, request_id, with_for_update=True)
        if (request is None or request.team_id != team_id or request.connector_id != introducer_id
                or request.status != "pending"):
            return Proposed(None, Refused.REQUEST_ANSWERED,
                            request=_request_view(request) if request is not None else None)
    existing = active_between(session, team_id, a_id, b_id, now)
    if existing is not None:
        return Proposed(None, Refused.DUPLICATE, existing=existing)
    workspace = _settings(session, team_id)
    if workspace is not None and intro_not_now(session, workspace, a_id, b_id, now):
        return Proposed(None, Refused.NOT_NOW)
    intro = Intro(team_id=team_id, introducer_id=introducer_id, a_id=a_id, b_id=b_id,
                  reason=reason, status="proposed", request_id=request_id, created_at=now,
                  updated_at=now)
    session.add(intro)
    session.flush()
    if request is not None:
        request.status = "made"
        request.intro_id = intro.id
        request.updated_at = now
        session.flush()
    return Proposed(_view(intro), request=_request_view(request) if request is not None else None)


def get_intro(session: Session, team_id: str, intro_id: int) -> IntroView | None:
    intro = session.get(Intro, intro_id)
    return _view(intro) if intro is not None and intro.team_id == team_id else None


# -- answering ---------------------------------------------------------------------------------

class Answer(enum.Enum):
    ACCEPTED = "accepted"  # this party said yes; the other has not answered yet
    OPENED = "opened"  # both said yes: open the group DM now
    DECLINED = "declined"
    ALREADY_ANSWERED = "already_answered"  # pressed again, or the other button afterwards
    CLOSED = "closed"  # declined by the other, or no longer waiting for answers
    EXPIRED = "expired"  # too late: nothing changes
    CANT_GO_AHEAD = "cant_go_ahead"  # both said yes, but a party has left the workspace
    NOT_A_PARTY = "not_a_party"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Answered:
    outcome: Answer
    intro: IntroView | None = None
    inactive: frozenset[str] = field(default_factory=frozenset)


def answer_intro(session: Session, team_id: str, intro_id: int, user_id: str, accept: bool,
                 now: datetime) -> Answered:
    """A party's yes or no. Only a or b may answer, once, while the intro is proposed."""
    intro = session.get(Intro, intro_id, with_for_update=True)
    if intro is None or intro.team_id != team_id:
        return Answered(Answer.NOT_FOUND)
    if user_id not in (intro.a_id, intro.b_id):
        return Answered(Answer.NOT_A_PARTY)
    if intro.status == "expired" or _lapsed(intro, _settings(session, team_id), now):
        return Answered(Answer.EXPIRED, _view(intro))
    is_a = user_id == intro.a_id
    mine = intro.a_answer if is_a else intro.b_answer
    if mine is not None:
        return Answered(Answer.ALREADY_ANSWERED, _view(intro))
    if intro.status != "proposed":
        return Answered(Answer.CLOSED, _view(intro))
    answer = "accepted" if accept else "declined"
    if is_a:
        intro.a_answer, intro.a_answered_at = answer, now
    else:
        intro.b_answer, intro.b_answered_at = answer, now
    intro.updated_at = now
    inactive = frozenset(deactivated(session, team_id, [intro.introducer_id or "", intro.a_id or "",
                                                        intro.b_id or ""]))
    if not accept:
        # Told to nobody now: it closes when it would have lapsed unanswered (expire_intro).
        return Answered(Answer.DECLINED, _view(intro), inactive)
    if intro.a_answer == intro.b_answer == "accepted":
        if {intro.a_id, intro.b_id} & inactive:
            # Nobody declined; it simply cannot happen any more.
            intro.status = "expired"
            return Answered(Answer.CANT_GO_AHEAD, _view(intro), inactive)
        intro.status = "open"
        intro.opened_at = now
        return Answered(Answer.OPENED, _view(intro), inactive)
    return Answered(Answer.ACCEPTED, _view(intro), inactive)


def set_group(session: Session, team_id: str, intro_id: int, channel_id: str) -> None:
    """The group DM opened for an intro: messages there count towards "connected"."""
    intro = session.get(Intro, intro_id)
    if intro is not None and intro.team_id == team_id:
        intro.group_channel_id = channel_id


# -- following through -------------------------------------------------------------------------

class Connect(enum.Enum):
    NOTED = "noted"  # one of them wrote; waiting for the other
    CONNECTED = "connected"  # this made them connected: tell the introducer, once
    ALREADY_CONNECTED = "already_connected"
    NOT_OPEN = "not_open"
    NOT_A_PARTY = "not_a_party"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Connected:
    outcome: Connect
    intro: IntroView | None = None
    inactive: frozenset[str] = field(default_factory=frozenset)


def _connect(session: Session, intro: Intro, now: datetime) -> Connected:
    intro.status = "connected"
    intro.connected_at = now
    intro.updated_at = now
    inactive = deactivated(session, intro.team_id,
                           [intro.introducer_id or "", intro.a_id or "", intro.b_id or ""])
    return Connected(Connect.CONNECTED, _view(intro), frozenset(inactive))


def note_message(session: Session, team_id: str, channel_id: str, user_id: str,
                 now: datetime) -> Connected:
    """Someone wrote in a group DM. Connected once both a and b have written there."""
    intro = session.scalars(
        select(Intro).where(Intro.team_id == team_id, Intro.group_channel_id == channel_id,
                            Intro.status.in_(("open", "connected")))
        .order_by(Intro.opened_at.desc(), Intro.id.desc()).limit(1).with_for_update()
    ).one_or_none()
    if intro is None:
        return Connected(Connect.NOT_FOUND)
    if user_id not in (intro.a_id, intro.b_id):
        return Connected(Connect.NOT_A_PARTY, _view(intro))
    if intro.status == "connected":
        return Connected(Connect.ALREADY_CONNECTED, _view(intro))
    if user_id == intro.a_id and intro.a_spoke_at is None:
        intro.a_spoke_at = now
    elif user_id == intro.b_id and intro.b_spoke_at is None:
        intro.b_spoke_at = now
    if intro.a_spoke_at is not None and intro.b_spoke_at is not None:
        return _connect(session, intro, now)
    intro.updated_at = now
    return Connected(Connect.NOTED, _view(intro))


def is_intro_group(session: Session, team_id: str, channel_id: str) -> bool:
    return session.scalar(
        select(Intro.id).where(Intro.team_id == team_id, Intro.group_channel_id == channel_id).limit(1)
    ) is not None


def mark_connected(session: Session, team_id: str, intro_id: int, user_id: str,
                   now: datetime) -> Connected:
    """`intro_connected`: either party says they have connected."""
    intro = session.get(Intro, intro_id, with_for_update=True)
    if intro is None or intro.team_id != team_id:
        return Connected(Connect.NOT_FOUND)
    if user_id not in (intro.a_id, intro.b_id):
        return Connected(Connect.NOT_A_PARTY, _view(intro))
    if intro.status == "connected":
        return Connected(Connect.ALREADY_CONNECTED, _view(intro))
    if intro.status != "open":
        return Connected(Connect.NOT_OPEN, _view(intro))
    return _connect(session, intro, now)


# -- requests ----------------------------------------------------------------------------------

class RequestRefused(enum.Enum):
    TOO_FEW = "too_few"
    SAME_PERSON = "same_person"
    SELF_CONNECTOR = "self_connector"
    SELF_TARGET = "self_target"
    EMPTY_REASON = "empty_reason"
    REASON_TOO_LONG = "reason_too_long"
    DUPLICATE = "duplicate"  # the same request is already waiting
    ALREADY_INTRODUCED = "already_introduced"  # an intro of the two is under way
    NOT_NOW = "not_now"  # the same request, or an intro of the two, closed lately


@dataclass(frozen=True)
class Requested:
    request: RequestView | None
    refused: RequestRefused | None = None
    existing_intro: IntroView | None = None


def check_request(requester_id: str, connector_id: str | None, target_id: str | None,
                  reason: str) -> RequestRefused | None:
    if not connector_id or not target_id:
        return RequestRefused.TOO_FEW
    if connector_id == target_id:
        return RequestRefused.SAME_PERSON
    if connector_id == requester_id:
        return RequestRefused.SELF_CONNECTOR
    if target_id == requester_id:
        return RequestRefused.SELF_TARGET
    if not reason.strip():
        return RequestRefused.EMPTY_REASON
    if len(reason) > REASON_MAX:
        return RequestRefused.REASON_TOO_LONG
    return None


def request_intro(session: Session, team_id: str, requester_id: str, connector_id: str,
                  target_id: str, reason: str, now: datetime) -> Requested:
    """`/intro request`: ask `connector_id` to introduce the requester to `target_id`."""
    reason = reason.strip()
    refused = check_request(requester_id, connector_id, target_id, reason)
    if refused is not None:
        return Requested(None, refused)
    existing = active_between(session, team_id, requester_id, target_id, now)
    if existing is not None:
        return Requested(None, RequestRefused.ALREADY_INTRODUCED, existing_intro=existing)
    workspace = _settings(session, team_id)
    if workspace is not None and (
            intro_not_now(session, workspace, requester_id, target_id, now)
            or request_not_now(session, workspace, requester_id, connector_id, target_id, now)):
        return Requested(None, RequestRefused.NOT_NOW)
    waiting = session.scalars(
        select(IntroRequest).where(
            IntroRequest.team_id == team_id, IntroRequest.status == "pending",
            IntroRequest.requester_id == requester_id, IntroRequest.connector_id == connector_id,
            IntroRequest.target_id == target_id,
        ).limit(1)
    ).one_or_none()
    if waiting is not None:
        return Requested(_request_view(waiting), RequestRefused.DUPLICATE)
    request = IntroRequest(team_id=team_id, requester_id=requester_id, connector_id=connector_id,
                           target_id=target_id, reason=reason, status="pending", created_at=now,
                           updated_at=now)
    session.add(request)
    session.flush()
    return Requested(_request_view(request))


class RequestAnswer(enum.Enum):
    OK = "ok"  # pending and yours: go ahead (open the modal)
    DECLINED = "declined"
    ALREADY_ANSWERED = "already_answered"
    NOT_YOURS = "not_yours"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class RequestAnswered:
    outcome: RequestAnswer
    request: RequestView | None = None


def _connector_request(session: Session, team_id: str, request_id: int, user_id: str,
                       lock: bool) -> tuple[RequestAnswer, IntroRequest | None]:
    request = session.get(IntroRequest, request_id, with_for_update=lock)
    if request is None or request.team_id != team_id:
        return RequestAnswer.NOT_FOUND, None
    if request.connector_id != user_id:
        return RequestAnswer.NOT_YOURS, None
    if request.status != "pending" or request.declined_at is not None:
        return RequestAnswer.ALREADY_ANSWERED, request
    return RequestAnswer.OK, request


def request_to_make(session: Session, team_id: str, request_id: int, user_id: str) -> RequestAnswered:
    """`intro_request_make`: may this person make the intro this request asks for?"""
    outcome, request = _connector_request(session, team_id, request_id, user_id, lock=False)
    return RequestAnswered(outcome, _request_view(request) if request is not None else None)


def decline_request(session: Session, team_id: str, request_id: int, user_id: str,
                    now: datetime) -> RequestAnswered:
    """`intro_request_decline`: only the connector, only while pending. Told to nobody now:
    the request stays pending until it would have lapsed unanswered (`close_requests`)."""
    outcome, request = _connector_request(session, team_id, request_id, user_id, lock=True)
    if outcome is RequestAnswer.OK and request is not None:
        request.declined_at = now
        outcome = RequestAnswer.DECLINED
    return RequestAnswered(outcome, _request_view(request) if request is not None else None)


def close_requests(session: Session, now: datetime) -> list[RequestView]:
    """Requests still pending `intro_expiry_days` after they were made — declined or simply
    unanswered alike — close now: declined or expired. The requester hears it the same way."""
    rows = session.execute(
        select(IntroRequest, Workspace).join(Workspace, Workspace.team_id == IntroRequest.team_id)
        .where(IntroRequest.status == "pending", Workspace.uninstalled_at.is_(None))
        .order_by(IntroRequest.id).with_for_update(of=IntroRequest)).all()
    closed = []
    for request, workspace in rows:
        if not may_tell(request.created_at, workspace.intro_expiry_days, now):
            continue
        request.status = "declined" if request.declined_at is not None else "expired"
        request.updated_at = now
        closed.append(_request_view(request))
    return closed


def get_request(session: Session, team_id: str, request_id: int) -> RequestView | None:
    request = session.get(IntroRequest, request_id)
    return _request_view(request) if request is not None and request.team_id == team_id else None


# -- lists and the scheduler's queries ---------------------------------------------------------

_THEIRS: BindParameter[str] = bindparam("user")
_OPEN_FOR = (select(Intro).where(Intro.team_id == bindparam("team"), Intro.status.in_(ACTIVE),
                                 or_(Intro.introducer_id == _THEIRS, Intro.a_id == _THEIRS,
                                     Intro.b_id == _THEIRS))
             .order_by(Intro.created_at.desc(), Intro.id.desc()))  # built once: every Home


def open_intros_for(session: Session, team_id: str, user_id: str) -> list[IntroView]:
    """Proposed or open intros where `user_id` is the introducer, a or b; newest first."""
    return [_view(i) for i in session.scalars(_OPEN_FOR, {"team": team_id, "user": user_id})]


def _active(session: Session, team_id: str, who: ColumnElement[bool]) -> list[Intro]:
    """Proposed or open intros of the workspace matching `who`, newest first."""
    return list(session.scalars(
        select(Intro).where(Intro.team_id == team_id, Intro.status.in_(ACTIVE), who)
        .order_by(Intro.created_at.desc(), Intro.id.desc())))


def _installed(session: Session, status: str) -> list[tuple[Intro, Workspace]]:
    rows = session.execute(
        select(Intro, Workspace).join(Workspace, Workspace.team_id == Intro.team_id)
        .where(Intro.status == status, Workspace.uninstalled_at.is_(None))
        .order_by(Intro.team_id, Intro.created_at, Intro.id)
    ).all()
    return [(intro, workspace) for intro, workspace in rows]


def _deactivated_by_team(session: Session, teams: set[str]) -> set[tuple[str, str]]:
    if not teams:
        return set()
    rows = session.execute(
        select(Member.team_id, Member.user_id).where(Member.team_id.in_(teams), Member.deleted.is_(True))
    ).all()
    return {(t, u) for t, u in rows}


def _due(intro: Intro, recipient: str, other: str) -> IntroDue:
    return IntroDue(team_id=intro.team_id, intro_id=intro.id, user_id=recipient,
                    introducer_id=intro.introducer_id or "", other_id=other, reason=intro.reason,
                    created_at=intro.created_at, a_id=intro.a_id or "", b_id=intro.b_id or "",
                    group_channel_id=intro.group_channel_id, opened_at=intro.opened_at)


def intros_needing_reminder(session: Session, now: datetime) -> list[IntroDue]:
    """Proposed intros pending longer than `intro_reminder_days` (and not yet lapsed): one
    entry per party who has not answered. Skipped when any of the three has been deactivated."""
    rows = _installed(session, "proposed")
    gone = _deactivated_by_team(session, {i.team_id for i, _ in rows})
    due: list[IntroDue] = []
    for intro, ws in rows:
        age = now - intro.created_at
        if not timedelta(days=ws.intro_reminder_days) < age <= timedelta(days=ws.intro_expiry_days):
            continue
        people = (intro.introducer_id, intro.a_id, intro.b_id)
        if any((intro.team_id, p) in gone for p in people):
            continue
        for party, answer, other in ((intro.a_id, intro.a_answer, intro.b_id),
                                     (intro.b_id, intro.b_answer, intro.a_id)):
            if answer is None:
                due.append(_due(intro, party or "", other or ""))
    return due


def intros_to_expire(session: Session, now: datetime) -> list[IntroDue]:
    """Proposed intros past `intro_expiry_days`, declined or simply unanswered alike; the
    recipient is the introducer.

    Every such intro is listed so it does expire; the sender should not DM an introducer
    who has been deactivated (see `deactivated`)."""
    return [
        _due(intro, intro.introducer_id or "", intro.a_id or "")
        for intro, ws in _installed(session, "proposed")
        if may_tell(intro.created_at, ws.intro_expiry_days, now)
    ]


def expire_intro(session: Session, intro_id: int, now: datetime) -> IntroView | None:
    """proposed → declined (someone said "not now") or expired (nobody answered in time); None
    when it was no longer proposed (it opened, or was called off, meanwhile)."""
    intro = session.get(Intro, intro_id, with_for_update=True)
    if intro is None or intro.status != "proposed":
        return None
    intro.status = "declined" if "declined" in (intro.a_answer, intro.b_answer) else "expired"
    intro.updated_at = now
    return _view(intro)


def silent_parties(session: Session, now: datetime) -> list[IntroDue]:
    """Open intros where a party has not written in the group DM for more than
    `intro_silent_days` since it opened; the recipient is the silent party. Nobody is nudged
    about, or as, someone who has been deactivated."""
    rows = _installed(session, "open")
    gone = _deactivated_by_team(session, {i.team_id for i, _ in rows})
    due: list[IntroDue] = []
    for intro, ws in rows:
        if intro.opened_at is None or now - intro.opened_at <= timedelta(days=ws.intro_silent_days):
            continue
        if (intro.team_id, intro.a_id) in gone or (intro.team_id, intro.b_id) in gone:
            continue
        for party, spoke, other in ((intro.a_id, intro.a_spoke_at, intro.b_id),
                                    (intro.b_id, intro.b_spoke_at, intro.a_id)):
            if spoke is None:
                due.append(_due(intro, party or "", other or ""))
    return due


def waiting_intros(session: Session, team_id: str, now: datetime) -> list[IntroView]:
    """For the channel digest: proposed intros still waiting for an answer, and open ones where
    someone has been silent past `intro_silent_days`. Intros naming a deactivated person are
    left out (they are never named in new posts). `IntroView.waiting_on` says who it waits for."""
    workspace = _settings(session, team_id)
    if workspace is None:
        return []
    gone = {u for _, u in _deactivated_by_team(session, {team_id})}
    rows = session.scalars(
        select(Intro).where(Intro.team_id == team_id, Intro.status.in_(ACTIVE))
        .order_by(Intro.created_at, Intro.id)
    ).all()
    silent = timedelta(days=workspace.intro_silent_days)
    result: list[IntroView] = []
    for intro in rows:
        if {intro.introducer_id, intro.a_id, intro.b_id} & gone:
            continue
        if intro.status == "proposed" and _lapsed(intro, workspace, now):
            continue
        if intro.status == "open" and (intro.opened_at is None or now - intro.opened_at <= silent):
            continue
        result.append(_view(intro))
    return result


def intro_rows(session: Session, team_id: str) -> Iterator[IntroView]:
    """Every intro of a workspace, oldest first (export), fetched a batch at a time."""
    query = select(Intro).where(Intro.team_id == team_id).order_by(Intro.id)
    return (_view(i) for i in session.scalars(query.execution_options(yield_per=1_000)))

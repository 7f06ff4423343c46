"""What an introduction tells whom, written to the outbox in the transaction that changes it.

Shared by `/intro`, the intro modal, the consent buttons and the group DM's messages. Keys
name each message once (`consent:<intro>:<user>` …), so a message can be updated later by its
key, and a group DM is opened, then introduced into, then announced, each step waiting for the
one before (one resumable delivery)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks.intros import (
    build_connected_notice,
    build_consent_request,
    build_group_intro,
    build_intro_opened_notice,
    build_request_dm,
    build_request_made_notice,
)
from bot.services import closing, outbox
from bot.services.intros import INTRO_GROUP, IntroView, RequestView


def consent_key(intro_id: int, user_id: str) -> str:
    return f"consent:{intro_id}:{user_id}"


def request_key(request_id: int) -> str:
    return f"intro_request:{request_id}"


def group_key(intro_id: int) -> str:
    return f"{INTRO_GROUP}:{intro_id}"


def post_key(intro_id: int) -> str:
    return f"intro_post:{intro_id}"


def ask_parties(session: Session, intro: IntroView, request: RequestView | None,
                now: datetime) -> None:
    """Each party's consent DM; the requester of an intro they asked for hears it is made."""
    requester = request.requester_id if request is not None else None
    for party in intro.parties:
        outbox.message(session, intro.team_id, consent_key(intro.id, party), party,
                       build_consent_request(intro.introducer_id, intro.other(party), intro.reason,
                                             intro.id, party == requester),
                       now, subject=str(intro.id))
    if request is not None:
        closing.ended(session, intro.team_id, closing.REQUEST, request.id, now)
        if requester not in intro.parties:
            outbox.message(session, intro.team_id, f"intro_request_made:{request.id}", requester or "",
                           build_request_made_notice(intro.introducer_id, request.target_id, False),
                           now)
    outbox.refresh_home(session, intro.team_id, intro.introducer_id, *intro.parties, now=now)


def ask_connector(session: Session, request: RequestView, now: datetime) -> None:
    outbox.message(session, request.team_id, request_key(request.id), request.connector_id,
                   build_request_dm(request.requester_id, request.target_id, request.reason,
                                    request.id), now, subject=str(request.id))


def open_group(session: Session, intro: IntroView, inactive: frozenset[str], now: datetime) -> None:
    """Both said yes: the group DM of the three is opened, the introduction posted there, then
    the introducer is told (and both parties' messages about it say so: `closing.ended` with
    `after`) — each once the step before is done, so nobody reads "I've started a group chat"
    before there is one."""
    with_introducer = intro.introducer_id not in inactive
    members = ([intro.introducer_id] if with_introducer else []) + [intro.a_id, intro.b_id]
    outbox.enqueue(session, intro.team_id, group_key(intro.id), INTRO_GROUP, None,
                   {"users": members, "intro_id": intro.id}, now, now, subject=str(intro.id),
                   priority=outbox.NOW)
    outbox.message_into(session, intro.team_id, post_key(intro.id), group_key(intro.id),
                        build_group_intro(intro.introducer_id, intro.a_id, intro.b_id,
                                          intro.reason, intro.id), now, subject=str(intro.id))
    if with_introducer:
        outbox.message(session, intro.team_id, f"intro_opened:{intro.id}", intro.introducer_id,
                       build_intro_opened_notice(intro.a_id, intro.b_id), now,
                       after=post_key(intro.id))


def tell_connected(session: Session, intro: IntroView, inactive: frozenset[str],
                   now: datetime) -> None:
    """The introducer hears it; the group post and any nudge to say hello lose their button."""
    closing.ended(session, intro.team_id, closing.INTRO, intro.id, now, only=closing.SAYING_HELLO)
    if intro.introducer_id not in inactive:
        outbox.message(session, intro.team_id, f"intro_connected:{intro.id}", intro.introducer_id,
                       build_connected_notice(intro.a_id, intro.b_id), now)
    outbox.refresh_home(session, intro.team_id, *intro.parties, intro.introducer_id, now=now)

"""A thank-you reaction that arrived while Slack could not tell Mutual who its people are (a
rate limit, an outage): the outbox asks users.info again until it can, then records the
reaction, in the transaction that marks the row done, so it counts exactly once."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.db.models import GUESTS_OFF, Workspace
from bot.delivery.kinds import Call, Kind, Rendering, register_kind
from bot.services.delivery import Outgoing
from bot.services.forget import forgotten_among
from bot.services.outbox import CHECK_REACTION
from bot.services.people import Profile, cached_profiles, save_profile
from bot.services.reactions import Reaction, reaction_problem, record_reaction
from bot.slack.directory import UNKNOWN_USER, profile_from_user
from bot.slack.sender import REFUSED, SENT, Outcome, call


def _render(r: Rendering) -> Call:
    reaction = Reaction.from_payload(r.payload)
    people = [p for p in (reaction.author_id, reaction.reactor_id) if p]
    known = cached_profiles(r.session, r.row.team_id, people, r.now)
    return {"ask": [p for p in people if p not in known]}


def _ask(client: WebClient, row: Outgoing, call_: Call) -> Outcome:
    users: dict[str, Any] = {}
    for user_id in call_["ask"]:
        outcome = call(partial(client.users_info, user=user_id), read=lambda data: (None, None))
        if outcome.status == REFUSED and outcome.error in UNKNOWN_USER:
            users[user_id] = None
        elif outcome.status != SENT:
            return outcome  # a 429 or an outage: the row waits and asks again
        else:
            users[user_id] = outcome.data
    return Outcome(SENT, data=users)


def _record(session: Session, row: Outgoing, outcome: Outcome, now: datetime) -> None:
    reaction = Reaction.from_payload(row.payload)
    workspace = session.get(Workspace, row.team_id)
    if workspace is None:
        return
    people = [p for p in (reaction.author_id, reaction.reactor_id) if p]
    profiles: dict[str, Profile | None] = dict(cached_profiles(session, row.team_id, people, now))
    for user_id, user in (outcome.data or {}).items():
        profiles[user_id] = profile = profile_from_user(user["user"]) if user else None
        if profile is not None:
            save_profile(session, row.team_id, profile, now)
    forgotten = frozenset(forgotten_among(session, row.team_id, people))
    if not reaction_problem(reaction, profiles, forgotten, workspace.guests == GUESTS_OFF):
        record_reaction(session, workspace, reaction, now)


register_kind(Kind(CHECK_REACTION, _render, send=_ask, method="users.info", idempotent=True,
                   checkable=False, after_sent=_record))

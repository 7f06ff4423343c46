"""Opening an intro's group DM: the first step of the delivery that then posts the
introduction there and tells the three of them (bot/listeners/intro_notices.py). Opening the
same group again is harmless, so a crash part-way simply opens it again."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.intros import build_group_failed_notice
from bot.delivery.kinds import Call, Kind, Rendering, Skip, register_kind
from bot.services import intros, outbox
from bot.services.delivery import Outgoing
from bot.services.intros import INTRO_GROUP
from bot.slack.sender import Outcome, open_conversation


def _render(r: Rendering) -> Call:
    intro = intros.get_intro(r.session, r.row.team_id, int(r.payload["intro_id"]))
    if intro is None or intro.status not in ("open", "connected"):
        raise Skip("the intro is no longer open")
    return {"users": list(r.payload["users"])}


def _open(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    return open_conversation(client, call["users"])


def _remember(session: Session, row: Outgoing, outcome: Outcome, now: datetime) -> None:
    if outcome.channel:
        intros.set_group(session, row.team_id, int(row.payload["intro_id"]), outcome.channel)


def _tell_introducer(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    """Slack would not open the group DM (after retrying for the workspace's retry window):
    the introducer hears it, so the intro is not silently stuck."""
    intro = intros.get_intro(session, row.team_id, int(row.payload["intro_id"]))
    if intro is None or not intro.introducer_id:
        return
    outbox.message(session, row.team_id, f"intro_group_failed:{intro.id}", intro.introducer_id,
                   build_group_failed_notice(intro.a_id, intro.b_id), now)


register_kind(Kind(INTRO_GROUP, _render, send=_open, method="conversations.open",
                   idempotent=True, checkable=False, after_sent=_remember,
                   on_failed=_tell_introducer))

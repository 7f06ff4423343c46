"""What each message about a thing says, live (still asking) or closed (the thing ended, or
this reader answered), rendered from the database as it stands. The `close` kind
(bot/delivery/closing.py) updates a sent message to its closed form; a questions DM
(bot/delivery/questions.py) shows each of its questions live until it closes.

`LIVE` holds the questions Mutual asks later; `CLOSED` holds every family of message with
buttons (bot/services/closing.FAMILIES). A render returns None when there is nothing to show
that way (still open, or gone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.asks import build_ask_closed, build_offer_cannot_reply, build_offer_done_reply, build_offer_reminder
from bot.blocks.asks_more import build_ask_over
from bot.blocks.followups import (
    build_followup_answered,
    build_followup_question,
    build_intro_followup_answered,
    build_intro_followup_question,
    build_nothing_to_answer,
)
from bot.blocks.intros import (
    build_consent_answered,
    build_group_connected,
    build_intro_reminder,
    build_intro_silent_closed,
    build_intro_silent_nudge,
    build_request_answered,
)
from bot.blocks.nudges import build_claim_reminder
from bot.blocks.recording import build_claim_answered
from bot.blocks.requests import build_consent_withdrawn, build_request_no_longer_needed
from bot.db.models import HelpRecord, Intro
from bot.services import asks, followups, intros

Message = dict[str, Any]
# (session, team, reader, subject, now) -> the message, or None
Render = Callable[[Session, str, str, str, datetime], Message | None]


def _int(subject: str) -> int:
    return int(subject) if subject.isdigit() else 0


# -- help ("how did it go?") --------------------------------------------------------------------

def _help_question(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    records = [r for r in followups.question_records(session, team, _int(subject))
               if r.receiver_id == reader]
    if not records or followups.answer_given(session, team, followups.HELP,
                                             [r.id for r in records], reader):
        return None
    return build_followup_question(list(dict.fromkeys(r.helper_id or "" for r in records)),
                                   records[0].note, records[0].created_at, [r.id for r in records])


def _help_closed(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    first = session.get(HelpRecord, _int(subject))
    records = followups.question_records(session, team, _int(subject))
    ids = [r.id for r in records] or [_int(subject)]
    answer = followups.answer_given(session, team, followups.HELP, ids, reader)
    if answer is not None and first is not None:
        helpers = list(dict.fromkeys(r.helper_id or "" for r in records)) or [first.helper_id or ""]
        return build_followup_answered([h for h in helpers if h], first.note, answer.answer, answer.words)
    return None if records else build_nothing_to_answer()


# -- intros ---------------------------------------------------------------------------------------

def _intro(session: Session, team: str, subject: str) -> intros.IntroView | None:
    return intros.get_intro(session, team, _int(subject))


def _consent_closed(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    intro = _intro(session, team, subject)
    if intro is None or reader not in intro.parties:
        return build_nothing_to_answer()
    if intro.status == "proposed" and intro.answer_of(reader) is None:
        if intros.still_asking(session, intro, now):
            return None  # still asking this reader
        return build_consent_answered(intro, reader, expired=True)
    if intro.request_id is not None and intro.status == "expired":
        request = intros.get_request(session, team, intro.request_id)
        if request is not None and request.status == "withdrawn":
            return build_consent_withdrawn(intro, reader, request.requester_id)
    return build_consent_answered(intro, reader)


def _intro_reminder(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    intro = _intro(session, team, subject)
    if intro is None or intro.status != "proposed" or intro.answer_of(reader) is not None \
            or reader not in intro.parties or not intros.still_asking(session, intro, now):
        return None
    return build_intro_reminder(intro.id, intro.introducer_id, intro.other(reader), intro.reason)


def _silent(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    intro = _intro(session, team, subject)
    if intro is None or intro.status != "open" or reader not in intro.parties:
        return None
    spoke = intro.a_spoke_at if reader == intro.a_id else intro.b_spoke_at
    if spoke is not None:
        return None
    return build_intro_silent_nudge(intro.id, intro.introducer_id, intro.other(reader),
                                    intro.group_channel_id)


def _silent_closed(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    if _silent(session, team, reader, subject, now) is not None:
        return None
    intro = _intro(session, team, subject)
    return build_intro_silent_closed(intro, reader) if intro is not None else build_nothing_to_answer()


def _group_post_closed(session: Session, team: str, reader: str, subject: str,
                       now: datetime) -> Message | None:
    intro = _intro(session, team, subject)
    if intro is None or intro.status != "connected":
        return None
    return build_group_connected(intro.introducer_id, intro.a_id, intro.b_id, intro.reason)


def _intro_question(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    intro = followups.intro_still_asked(session, team, _int(subject))
    if intro is None or reader not in (intro.a_id, intro.b_id) or intro.connected_at is None:
        return None
    if followups.answer_given(session, team, followups.INTRO, [intro.id], reader):
        return None
    other = intro.b_id if reader == intro.a_id else intro.a_id
    return build_intro_followup_question(intro.id, intro.introducer_id or "", other or "",
                                         intro.reason, intro.connected_at)


def _intro_question_closed(session: Session, team: str, reader: str, subject: str,
                           now: datetime) -> Message | None:
    intro = session.get(Intro, _int(subject))
    answer = followups.answer_given(session, team, followups.INTRO, [_int(subject)], reader)
    if answer is not None and intro is not None:
        other = intro.b_id if reader == intro.a_id else intro.a_id
        return build_intro_followup_answered(intro.introducer_id or "", other or "",
                                             answer.answer, answer.words)
    return None if _intro_question(session, team, reader, subject, now) else build_nothing_to_answer()


def _request_closed(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    request = intros.get_request(session, team, _int(subject))
    if request is None:
        return build_nothing_to_answer()
    if request.status == "pending" and request.declined_at is None:
        return None
    if request.status == "withdrawn" and request.declined_at is None:
        return build_request_no_longer_needed(request)
    return build_request_answered(request)


# -- claims ---------------------------------------------------------------------------------------

def _claim(session: Session, team: str, subject: str) -> HelpRecord | None:
    claim = session.get(HelpRecord, _int(subject))
    return claim if claim is not None and claim.team_id == team and claim.source == "claim" else None


def _claim_reminder(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    claim = _claim(session, team, subject)
    if claim is None or claim.status != "pending" or claim.receiver_id != reader \
            or (claim.expires_at is not None and claim.expires_at <= now):
        return None
    return build_claim_reminder(claim.helper_id or "", claim.note, claim.id, claim.expires_at)


def _claim_closed(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    claim = _claim(session, team, subject)
    if claim is None or not claim.helper_id:
        return build_nothing_to_answer()
    if claim.status == "pending" and not (claim.expires_at is not None and claim.expires_at <= now):
        return None
    status = "expired" if claim.status == "pending" else claim.status
    return build_claim_answered(claim.helper_id, claim.note, status)


# -- offers -----------------------------------------------------------------------------------------

def _offer_reminder(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    offer = asks.get_offer(session, team, _int(subject))
    ask = asks.get_ask(session, team, offer.ask_id) if offer is not None else None
    if offer is None or ask is None or offer.status != "accepted" or not ask.is_open \
            or not ask.asker_id or offer.helper_id != reader:
        return None
    return build_offer_reminder(ask.asker_id, ask, offer.id)


def _offer_closed(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    if _offer_reminder(session, team, reader, subject, now) is not None:
        return None
    offer = asks.get_offer(session, team, _int(subject))
    ask = asks.get_ask(session, team, offer.ask_id) if offer is not None else None
    if offer is not None and ask is not None and ask.is_open and ask.asker_id:
        return (build_offer_done_reply(ask.asker_id) if offer.status == "done"
                else build_offer_cannot_reply())
    closed = build_ask_closed(ask)
    return {"text": closed["text"], "blocks": closed["blocks"]}


def _ask_closed(session: Session, team: str, reader: str, subject: str, now: datetime) -> Message | None:
    ask = asks.get_ask(session, team, _int(subject))
    if ask is not None and ask.is_open:
        return None
    return build_ask_over(ask)


LIVE: dict[str, Render] = {
    "followup": _help_question,
    "intro_followup": _intro_question,
    "intro_reminder": _intro_reminder,
    "intro_silent": _silent,
    "claim_reminder": _claim_reminder,
    "offer_reminder": _offer_reminder,
}
CLOSED: dict[str, Render] = {
    "followup": _help_closed,
    "intro_followup": _intro_question_closed,
    "consent": _consent_closed,
    "intro_reminder": _consent_closed,
    "intro_silent": _silent_closed,
    "intro_post": _group_post_closed,
    "intro_request": _request_closed,
    "claim": _claim_closed,
    "claim_reminder": _claim_closed,
    "offer_reminder": _offer_closed,
    "ask_offer": _ask_closed,
    "ask_open_again": _ask_closed,
    "ask_suggestion": _ask_closed,
}


def closed_form(session: Session, team: str, family: str, reader: str, subject: str,
                now: datetime) -> Message | None:
    render = CLOSED.get(family)
    return render(session, team, reader, subject, now) if render is not None else None

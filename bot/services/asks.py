"""Asks with follow-through (PRODUCT.md §4b): `/ask` posts a request in a channel; people
offer; the asker accepts an offer (a group DM of the two) and marks the ask solved by picking
who helped — each becomes a confirmed record with source `ask`, in one tap.

An ask moves open → solved | withdrawn | expired; or unposted, when Slack would not let
Mutual post it. An offer moves offered → accepted (the asker took it up) → done (the helper
says they helped) | withdrawn (they can't after all, which stays private: the asker only
hears that the ask is open again); it becomes `helped` when the asker names them on solving.
`via` says where an offer was made: "channel" (the button on the channel post); an `ask_offer`
button elsewhere carries its own (`offer_value`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.db.models import Ask, AskOffer, HelpRecord, Workspace
from bot.db.upsert import insert_ignore
from bot.services.parsing import NOTE_MAX
from bot.services.recording import record_from_ask

STATUSES = ("open", "solved", "withdrawn", "expired", "unposted")
OFFER_STATUSES = ("offered", "accepted", "done", "withdrawn", "helped")
# Where an offer can come from: the channel post's button, the buttons on the asker's private
# suggestion of people, and those on a one-sided nudge.
VIA_CHANNEL, VIA_SUGGESTION, VIA_NUDGE = "channel", "suggestion", "nudge"
VIAS = (VIA_CHANNEL, VIA_SUGGESTION, VIA_NUDGE)
ASK_MAX = NOTE_MAX
# Offers still standing: made, taken up, or done and waiting for the asker to mark it solved.
STANDING = ("offered", "accepted", "done")
# "Can't after all" on an accepted offer is a "no" (PRODUCT.md §4c): until an accepted offer
# would have lapsed (`accepted_at` + `intro_expiry_days`) it is `cannot`, which the asker and
# the channel see as still under way; then it is `withdrawn` and the asker hears the ask is
# open again, in the same words as when nobody is on it any more (bot/jobs/asks.py).
CANNOT = "cannot"
SEEMS_UNDER_WAY = ("accepted", "done", CANNOT)
ASKER_SEES = (*STANDING, CANNOT)
# Someone is on it: the channel post says so (never who).
UNDER_WAY = ("accepted", "done")
LIST_MAX = 10


@dataclass(frozen=True)
class AskView:
    id: int
    team_id: str
    asker_id: str
    text: str
    channel_id: str | None
    status: str
    source: str
    created_at: datetime
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class OfferView:
    id: int
    team_id: str
    ask_id: int
    helper_id: str
    status: str
    via: str
    created_at: datetime
    accepted_at: datetime | None = None


@dataclass(frozen=True)
class PostState:
    """What the channel post shows: the ask, whether someone is on it, and (once solved) who
    the asker said helped."""

    ask: AskView
    under_way: bool = False
    helpers: list[str] = field(default_factory=list)


def ask_view(ask: Ask) -> AskView:
    return AskView(id=ask.id, team_id=ask.team_id, asker_id=ask.asker_id or "", text=ask.text,
                   channel_id=ask.channel_id, status=ask.status, source=ask.source,
                   created_at=ask.created_at, closed_at=ask.closed_at)


def offer_view(offer: AskOffer) -> OfferView:
    return OfferView(id=offer.id, team_id=offer.team_id, ask_id=offer.ask_id,
                     helper_id=offer.helper_id or "", status=offer.status, via=offer.via,
                     created_at=offer.created_at, accepted_at=offer.accepted_at)


def _ask(session: Session, team_id: str, ask_id: int, lock: bool = False) -> Ask | None:
    ask = session.get(Ask, ask_id, with_for_update=lock)
    return ask if ask is not None and ask.team_id == team_id else None


def _offer(session: Session, team_id: str, offer_id: int, lock: bool = False) -> AskOffer | None:
    offer = session.get(AskOffer, offer_id, with_for_update=lock)
    return offer if offer is not None and offer.team_id == team_id else None


def _close(ask: Ask, status: str, now: datetime) -> None:
    ask.status = status
    ask.closed_at = ask.updated_at = now


# -- asking ------------------------------------------------------------------------------------

def create_ask(session: Session, team_id: str, asker_id: str, text: str, channel_id: str,
               now: datetime, source: str = "command") -> AskView:
    ask = Ask(team_id=team_id, asker_id=asker_id, text=text[:ASK_MAX], channel_id=channel_id,
              source=source, status="open", created_at=now, updated_at=now)
    session.add(ask)
    session.flush()
    return ask_view(ask)


def get_ask(session: Session, team_id: str, ask_id: int) -> AskView | None:
    ask = _ask(session, team_id, ask_id)
    return ask_view(ask) if ask is not None else None


def get_offer(session: Session, team_id: str, offer_id: int) -> OfferView | None:
    offer = _offer(session, team_id, offer_id)
    return offer_view(offer) if offer is not None else None


def mark_unposted(session: Session, team_id: str, ask_id: int, now: datetime) -> AskView | None:
    """Slack would not post it: nobody could see it, so it is not open."""
    ask = _ask(session, team_id, ask_id, lock=True)
    if ask is None or ask.status != "open":
        return None
    _close(ask, "unposted", now)
    return ask_view(ask)


def post_state(session: Session, team_id: str, ask_id: int) -> PostState | None:
    ask = _ask(session, team_id, ask_id)
    if ask is None:
        return None
    under_way = session.scalar(select(exists().where(
        AskOffer.team_id == team_id, AskOffer.ask_id == ask_id,
        AskOffer.status.in_(SEEMS_UNDER_WAY))))
    helpers = ask_helpers(session, team_id, ask_id) if ask.status == "solved" else []
    return PostState(ask_view(ask), bool(under_way) and ask.status == "open", helpers)


# -- offering ----------------------------------------------------------------------------------

def offer_value(ask_id: int, via: str = VIA_CHANNEL) -> str:
    """The value of an `ask_offer` button: the ask, and where the button is (if not the post)."""
    return str(ask_id) if via == VIA_CHANNEL else f"{ask_id}:{via}"


def parse_offer_value(value: str) -> tuple[int, str] | None:
    """(ask id, via) from an `ask_offer` button's value; None for anything else."""
    ask, _, via = value.partition(":")
    if not ask.isdigit() or len(ask) > 11 or (via or VIA_CHANNEL) not in VIAS:
        return None
    return int(ask), via or VIA_CHANNEL


class Offered(enum.Enum):
    NEW = "new"
    AGAIN = "again"  # they had already offered: nothing new to tell the asker
    RENEWED = "renewed"  # they had said they couldn't, and now can after all
    OWN_ASK = "own_ask"
    CLOSED = "closed"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class OfferResult:
    outcome: Offered
    ask: AskView | None = None
    offer: OfferView | None = None


def offer_help(session: Session, team_id: str, ask_id: int, helper_id: str, now: datetime,
               via: str = VIA_CHANNEL) -> OfferResult:
    """"I can help". Offering twice is harmless: one offer per person and ask."""
    ask = _ask(session, team_id, ask_id, lock=True)
    if ask is None:
        return OfferResult(Offered.NOT_FOUND)
    view = ask_view(ask)
    if ask.asker_id == helper_id:
        return OfferResult(Offered.OWN_ASK, view)
    if ask.status != "open":
        return OfferResult(Offered.CLOSED, view)
    new = insert_ignore(session, AskOffer, {
        "team_id": team_id, "ask_id": ask_id, "helper_id": helper_id, "status": "offered",
        "via": via, "created_at": now, "updated_at": now})
    offer = session.scalars(select(AskOffer).where(
        AskOffer.team_id == team_id, AskOffer.ask_id == ask_id,
        AskOffer.helper_id == helper_id)).one()
    if new:
        return OfferResult(Offered.NEW, view, offer_view(offer))
    if offer.status in ("withdrawn", CANNOT):  # back on it: the asker never heard otherwise
        offer.status = "accepted" if offer.accepted_at is not None else "offered"
        offer.updated_at = now
        return OfferResult(Offered.RENEWED, view, offer_view(offer))
    return OfferResult(Offered.AGAIN, view, offer_view(offer))


class Accepted(enum.Enum):
    ACCEPTED = "accepted"
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"
    GONE = "gone"  # the offer no longer stands
    NOT_FOUND = "not_found"


def accept_offer(session: Session, team_id: str, offer_id: int, user_id: str,
                 now: datetime) -> tuple[Accepted, AskView | None, OfferView | None]:
    offer = _offer(session, team_id, offer_id, lock=True)
    ask = _ask(session, team_id, offer.ask_id, lock=True) if offer is not None else None
    if offer is None or ask is None:
        return Accepted.NOT_FOUND, None, None
    if ask.asker_id != user_id:
        return Accepted.NOT_YOURS, ask_view(ask), offer_view(offer)
    if ask.status != "open":
        return Accepted.CLOSED, ask_view(ask), offer_view(offer)
    if offer.status in SEEMS_UNDER_WAY:
        return Accepted.ALREADY, ask_view(ask), offer_view(offer)
    if offer.status != "offered" or not offer.helper_id:
        return Accepted.GONE, ask_view(ask), offer_view(offer)
    offer.status = "accepted"
    offer.accepted_at = offer.updated_at = now
    return Accepted.ACCEPTED, ask_view(ask), offer_view(offer)


class Finished(enum.Enum):
    DONE = "done"
    CANNOT = "cannot"
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class FinishResult:
    outcome: Finished
    ask: AskView | None = None
    offer: OfferView | None = None


def finish_offer(session: Session, team_id: str, offer_id: int, user_id: str, done: bool,
                 now: datetime) -> FinishResult:
    """The helper's "Done" or "Can't after all"."""
    offer = _offer(session, team_id, offer_id, lock=True)
    ask = _ask(session, team_id, offer.ask_id, lock=True) if offer is not None else None
    if offer is None or ask is None:
        return FinishResult(Finished.NOT_FOUND)
    if offer.helper_id != user_id:
        return FinishResult(Finished.NOT_YOURS, ask_view(ask), offer_view(offer))
    if ask.status != "open":
        return FinishResult(Finished.CLOSED, ask_view(ask), offer_view(offer))
    if offer.status not in ("offered", "accepted"):
        return FinishResult(Finished.ALREADY, ask_view(ask), offer_view(offer))
    # An accepted one waits, as `cannot`, until it would have lapsed: nobody is told now.
    offer.status = "done" if done else CANNOT if offer.status == "accepted" else "withdrawn"
    offer.updated_at = now
    return FinishResult(Finished.DONE if done else Finished.CANNOT, ask_view(ask),
                        offer_view(offer))


@dataclass(frozen=True)
class Lapsed:
    """An accepted offer the helper couldn't follow through, at the moment it would have
    lapsed; `reopened`: nobody else is on the ask, so the asker hears it is open again."""

    ask: AskView
    reopened: bool


def lapse_cannot_offers(session: Session, workspace: Workspace, now: datetime) -> list[Lapsed]:
    """`cannot` offers whose lapse moment has come become `withdrawn`."""
    cutoff = now - timedelta(days=workspace.intro_expiry_days)
    offers = session.scalars(select(AskOffer).where(
        AskOffer.team_id == workspace.team_id, AskOffer.status == CANNOT,
        AskOffer.accepted_at <= cutoff).order_by(AskOffer.id).with_for_update()).all()
    lapsed = []
    for offer in offers:
        offer.status = "withdrawn"
        offer.updated_at = now
        session.flush()
        ask = _ask(session, workspace.team_id, offer.ask_id)
        if ask is None:
            continue
        others = session.scalar(select(exists().where(
            AskOffer.team_id == workspace.team_id, AskOffer.ask_id == ask.id,
            AskOffer.status.in_(SEEMS_UNDER_WAY))))
        lapsed.append(Lapsed(ask_view(ask), ask.status == "open" and not others
                             and ask.asker_id is not None))
    return lapsed


# -- closing -----------------------------------------------------------------------------------

class Closed(enum.Enum):
    CLOSED = "closed"  # solved or withdrawn, as asked
    NOT_YOURS = "not_yours"
    ALREADY = "already"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class CloseResult:
    outcome: Closed
    ask: AskView | None = None
    helpers: list[str] = field(default_factory=list)  # solved: who helped, newly recorded
    # Offers still standing when it closed (their helpers may be told, kindly).
    offers: list[OfferView] = field(default_factory=list)


def _closable(session: Session, team_id: str, ask_id: int, user_id: str) -> tuple[Ask | None, CloseResult | None]:
    ask = _ask(session, team_id, ask_id, lock=True)
    if ask is None:
        return None, CloseResult(Closed.NOT_FOUND)
    if ask.asker_id != user_id:
        return None, CloseResult(Closed.NOT_YOURS, ask_view(ask))
    if ask.status != "open":
        return None, CloseResult(Closed.ALREADY, ask_view(ask))
    return ask, None


def record_key(ask_id: int, helper_id: str) -> str:
    """A record made from an ask counts once per helper (HelpRecord.dedupe_key)."""
    return f"ask:{ask_id}:{helper_id}"


def solve_ask(session: Session, team_id: str, ask_id: int, user_id: str, helper_ids: list[str],
              now: datetime) -> CloseResult:
    """The asker marks it solved: each person they picked helped them, a confirmed record
    with source `ask` and the ask's text as its note."""
    ask, refused = _closable(session, team_id, ask_id, user_id)
    if ask is None:
        assert refused is not None
        return refused
    helpers = [h for h in dict.fromkeys(helper_ids) if h and h != user_id]
    for helper in helpers:
        record_from_ask(session, team_id, helper, user_id, ask.text, ask.channel_id,
                        record_key(ask.id, helper), now)
    standing = _standing(session, team_id, ask.id)
    for offer in standing:
        if offer.helper_id in helpers:
            offer.status = "helped"
            offer.updated_at = now
    _close(ask, "solved", now)
    return CloseResult(Closed.CLOSED, ask_view(ask), helpers,
                       [offer_view(o) for o in standing if o.helper_id not in helpers])


def withdraw_ask(session: Session, team_id: str, ask_id: int, user_id: str,
                 now: datetime) -> CloseResult:
    """The asker no longer needs it."""
    ask, refused = _closable(session, team_id, ask_id, user_id)
    if ask is None:
        assert refused is not None
        return refused
    _close(ask, "withdrawn", now)
    return CloseResult(Closed.CLOSED, ask_view(ask),
                       offers=[offer_view(o) for o in _standing(session, team_id, ask.id)])


def _standing(session: Session, team_id: str, ask_id: int) -> list[AskOffer]:
    return list(session.scalars(select(AskOffer).where(
        AskOffer.team_id == team_id, AskOffer.ask_id == ask_id, AskOffer.status.in_(STANDING),
        AskOffer.helper_id.is_not(None)).order_by(AskOffer.id)))


def ask_helpers(session: Session, team_id: str, ask_id: int) -> list[str]:
    """Who the asker said helped (those who asked Mutual to forget them are left out)."""
    return [h for h in session.scalars(select(HelpRecord.helper_id).where(
        HelpRecord.team_id == team_id, HelpRecord.source == "ask",
        HelpRecord.status == "confirmed", HelpRecord.helper_id.is_not(None),
        HelpRecord.dedupe_key.startswith(f"ask:{ask_id}:", autoescape=True),
    ).order_by(HelpRecord.id)) if h]


# -- for the scheduler ---------------------------------------------------------------------------

def expire_ask(session: Session, team_id: str, ask_id: int, now: datetime) -> AskView | None:
    ask = _ask(session, team_id, ask_id, lock=True)
    if ask is None or ask.status != "open":
        return None
    _close(ask, "expired", now)
    return ask_view(ask)

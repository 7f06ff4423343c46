"""Your open things in one place (issue 19 part 4): the claims you made that wait for the other
person, your open asks, the offers you made that still stand, and your "ask me about" list —
each a few at most, with how many there are, for the Home and `/mutual me`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.ask_queries import open_asks_of, open_offers_of
from bot.services.asks import AskView, OfferView
from bot.services.offers import AboutView, offers_of
from bot.services.recording import Recorded, claims_waiting_by

SHOWN = 3  # of each kind; "and N more" says the rest
LOOKED_AT = 10  # what is read of asks and offers, to say how many more there are


@dataclass(frozen=True)
class OpenThings:
    claims: list[Recorded] = field(default_factory=list)
    claims_total: int = 0
    asks: list[AskView] = field(default_factory=list)
    offers: list[tuple[OfferView, AskView]] = field(default_factory=list)
    about: list[AboutView] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.claims or self.asks or self.offers or self.about)


def open_things(session: Session, team_id: str, user_id: str, now: datetime) -> OpenThings:
    claims, total = claims_waiting_by(session, team_id, user_id, now, SHOWN)
    return OpenThings(claims=claims, claims_total=total,
                      asks=open_asks_of(session, team_id, user_id, LOOKED_AT),
                      offers=open_offers_of(session, team_id, user_id, LOOKED_AT),
                      about=offers_of(session, team_id, user_id))

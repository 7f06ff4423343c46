"""The field types every payload model is built from: Slack ids by their patterns, bounded
and cleaned text, and the small positive ids Mutual puts in button values."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

from bot.payloads.text import clean_text

ID_MAX = 32  # every id column is String(32)
SMALL_ID_MAX = 2**31 - 1  # an INTEGER primary key on PostgreSQL


def _blank_is_none(value: Any) -> Any:
    # Slash commands send every field, empty when it does not apply (`enterprise_id=`).
    return None if value == "" else value


# Patterns use [0-9], not \d: \d matches any Unicode digit.
UserId = Annotated[str, StringConstraints(pattern=r"^[UW][A-Z0-9]{2,31}$")]
TeamId = Annotated[str, StringConstraints(pattern=r"^[TE][A-Z0-9]{1,31}$")]
EnterpriseId = Annotated[str, StringConstraints(pattern=r"^E[A-Z0-9]{1,31}$")]
ChannelId = Annotated[str, StringConstraints(pattern=r"^[CDG][A-Z0-9]{1,31}$")]
Ts = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}\.[0-9]{1,9}$")]
# Real ones look like "4916855695380.4917139340884.8a8b3d4a…" (about 60 characters).
TriggerId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,255}$")]
EventId = Annotated[str, StringConstraints(pattern=r"^Ev[A-Za-z0-9]{1,62}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[!-~]{1,2000}$")]
# An action_id, block_id, callback_id or view id: up to 255 characters, any but controls
# (Slack makes up block_ids such as "a+B=" for blocks that were given none).
Name = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f-\x9f]{1,255}$")]
Word = Annotated[str, StringConstraints(max_length=64)]

# Where a message Mutual posted sits. Slack sends a conversation id (C/D/G); Mutual posts DMs
# to the person's id, and the Web API double echoes that id back as the channel, so a user id
# is accepted here too. It only ever addresses an update of Mutual's own message.
MessageChannelId = Annotated[str, StringConstraints(pattern=r"^[CDGUW][A-Z0-9]{1,31}$")]

OptionalEnterpriseId = Annotated[EnterpriseId | None, BeforeValidator(_blank_is_none)]
OptionalChannelId = Annotated[ChannelId | None, BeforeValidator(_blank_is_none)]


# Text people type or Slack relays, bounded and cleaned of control characters.
_CLEAN = AfterValidator(clean_text)
ShortText = Annotated[str, StringConstraints(max_length=255), _CLEAN]  # a name, a tab, a subtype
# A button's value is one Mutual wrote: nothing in it needs cleaning, so anything that would
# (a control character) means it is not Mutual's, and is refused rather than repaired.
ValueText = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00-\x1f\x7f]*$")]
InputText = Annotated[str, StringConstraints(max_length=3000), _CLEAN]  # a modal text input
CommandText = Annotated[str, StringConstraints(max_length=40_000), _CLEAN]  # a message's limit

_SMALL_ID = re.compile(r"[1-9][0-9]{0,9}")


def small_id(value: str | None) -> int | None:
    """A record, claim, intro or request id as a button carries it ("42"), or None."""
    if value is None or not _SMALL_ID.fullmatch(value):
        return None
    number = int(value)
    return number if number <= SMALL_ID_MAX else None


class Lenient(BaseModel):
    """Slack adds fields over time: unknown ones are ignored, known ones are checked."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Team(Lenient):
    id: TeamId
    enterprise_id: OptionalEnterpriseId = None


class User(Lenient):
    id: UserId
    team_id: TeamId | None = None


class Channel(Lenient):
    id: ChannelId


class Enterprise(Lenient):
    id: EnterpriseId

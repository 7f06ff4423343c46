"""The first DM Mutual ever sends a person carries one line on what Mutual is and how to turn
its suggestions off (issue 19 part 2). Decided as the row is rendered, in the transaction that
commits before the call, and tied to that row: a retried or recovered send of the same
row carries the line again; no other row ever does."""

from __future__ import annotations

from bot.blocks.once import with_first_contact
from bot.delivery.kinds import Call, Kind, Rendering, post
from bot.services.once import FIRST_CONTACT, first_time

PERSON_PREFIXES = ("U", "W")  # Slack user ids; a DM to one goes to the app's DM with them


def dm_recipient(kind: Kind, rendering: Rendering, call: Call) -> str | None:
    """The person a chat.postMessage goes to directly, or None (a channel, a group DM)."""
    if kind.send is not post:
        return None
    to = call.get("channel") or rendering.row.recipient_id
    return to if to and to.startswith(PERSON_PREFIXES) else None


def with_first_contact_line(kind: Kind, rendering: Rendering, call: Call) -> Call:
    person = dm_recipient(kind, rendering, call)
    if person is None:
        return call
    row = rendering.row
    if not first_time(rendering.session, row.team_id, person, FIRST_CONTACT, rendering.now,
                      carried_by=row.id):
        return call
    return with_first_contact(call)

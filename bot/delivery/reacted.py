"""The kinds thank-you reactions write (bot/services/reacted.py): the author's gathered DM,
rendered when it goes out from the reactions that still count, and the reactor's one-time
note — in the channel where they reacted, only they see it; as a DM where Mutual can't post
there (it isn't in the channel)."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from bot.blocks.reacted import build_reaction_counted, build_reactions_dm
from bot.delivery.kinds import Call, Kind, Rendering, Skip, register_kind
from bot.services.delivery import Outgoing
from bot.services.outbox import REACTED, REACTION_NOTE
from bot.services.reacted import reactions_between
from bot.slack.sender import REFUSED, Outcome, post_ephemeral, post_message


def _gathered(r: Rendering) -> Call:
    since, until = (datetime.fromisoformat(r.payload[k]) for k in ("since", "until"))
    reactions = reactions_between(r.session, r.row.team_id, r.row.recipient_id, since, until)
    if not reactions:
        raise Skip("every reaction it would tell of was taken back")
    return build_reactions_dm(reactions)


def _note(r: Rendering) -> Call:
    return {"channel": r.payload["channel"], **build_reaction_counted(r.payload["author"])}


def _send_note(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    rest = dict(call)
    channel = rest.pop("channel")
    outcome = post_ephemeral(client, channel, row.recipient_id, rest)
    if outcome.status == REFUSED:  # not in that channel (or it's gone): tell them directly
        return post_message(client, row.recipient_id, rest, row.key)
    return outcome


register_kind(Kind(REACTED, _gathered))
register_kind(Kind(REACTION_NOTE, _note, send=_send_note, method="chat.postEphemeral",
                   checkable=False))

"""The `close` kind: a message Mutual sent, rendered again from the database as its thing now
stands and sent with chat.update (bot/services/closing.py decides when) — a message of its own
in its closed form (bot/delivery/forms.py), a questions DM whole."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.delivery.forms import closed_form
from bot.delivery.kinds import Call, Kind, Rendering, Skip, register_kind
from bot.delivery.questions import compose
from bot.services.closing import CLOSE, family_of
from bot.services.delivery import Outgoing, sent_at
from bot.services.outbox import SENT
from bot.services.questions import QUESTIONS
from bot.slack.sender import Outcome, update_message


def _close(r: Rendering) -> Call:
    of = str(r.payload.get("of") or "")
    status, channel, ts = sent_at(r.session, r.row.team_id, of)
    if status != SENT or not channel or not ts:
        raise Skip("the message was never sent")
    family = family_of(of)
    if family == QUESTIONS:
        msg = compose(r.session, r.row.team_id, r.row.recipient_id, of, r.now, again=True)
    else:
        msg = closed_form(r.session, r.row.team_id, family, r.row.recipient_id,
                          r.row.subject or "", r.now)
    if msg is None:
        raise Skip("nothing to change")
    return {"channel": channel, "ts": ts, "text": msg["text"], "blocks": msg["blocks"]}


def _send_close(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    rest = dict(call)
    return update_message(client, rest.pop("channel"), rest.pop("ts"), rest)


register_kind(Kind(CLOSE, _close, send=_send_close, method="chat.update", idempotent=True,
                   checkable=False))

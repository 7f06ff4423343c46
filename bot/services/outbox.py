"""The one road out: everything Mutual sends to Slack is an outbox row, written here in the
same transaction as the change that causes it, so a committed change always gets its message
and a rolled-back one never does. A deliverer (bot/delivery) sends the rows afterwards.

Rows carry either the rendered message (requests render with a builder before writing) or the
plain values a registered kind renders at send time (planned nudges, summaries, App Home). A
row's `key` is its identity: writing the same key twice writes one row.

    pending ──claim──▶ sending ──▶ sent
       ▲                  │  ├───▶ failed     (Slack refused it for good, or retries ran out)
       └──held/retry──────┘  └───▶ cancelled  (no longer wanted: answered, snoozed, muted …)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db.models import OutboxItem
from bot.db.upsert import insert_ignore

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
LIVE = (PENDING, SENDING)  # rows that will still become a message
DONE = (SENT, FAILED, CANCELLED)
# An answer to something a person just did goes out before planned messages; refreshes of
# App Home tabs that changed because of someone else go last, so under load a person's DM or
# receipt never queues behind a stream of re-rendered Homes (the Home catches up, coalesced).
NOW, PLANNED, BACKGROUND = 0, 1, 2
# Kinds every request can write (their senders live in bot/delivery/messages.py).
MESSAGE = "message"  # chat.postMessage of a rendered message, to a person or a channel
UPDATE = "update"  # chat.update of a message Mutual sent earlier, or one a button sits on
DELETE = "delete"  # chat.delete of a message Mutual sent earlier
RESPOND = "respond"  # a post to an interaction's response_url
EPHEMERAL = "ephemeral"  # chat.postEphemeral: a message only one person in a channel sees
HOME = "home"  # views.publish of a person's App Home, rendered from the database at send time
CHECK_REACTION = "check_reaction"  # a reaction whose people Slack couldn't tell us about in time
VIEW_UPDATE = "view_update"  # views.update of a modal a button was pressed in
REACTED = "reacted"  # an author's thank-you reactions of one hour, told together (services/reacted)
REACTION_NOTE = "reaction_note"  # a reactor's one-time note that their reaction counted
NOTIFY_CHANNEL = "mutual_outbox"  # PostgreSQL: wakes the deliverers of every replica
RESPONSE_URL_LIFE = timedelta(minutes=30)  # Slack: valid for 30 minutes (and 5 posts)

_TABLE = cast(Table, OutboxItem.__table__)


def enqueue(session: Session, team_id: str, key: str, kind: str, recipient_id: str | None,
            payload: dict[str, Any], due_at: datetime, now: datetime, subject: str | None = None,
            *, priority: int = PLANNED, after: str | None = None,
            not_after: datetime | None = None) -> bool:
    """Write a message to the outbox unless its key was used before; True when it is new.

    The key is the message's identity (e.g. `claim_reminder:42`): two runners, or one that
    runs twice, write one row. A post to a channel is a row whose recipient is the channel.
    With `after`, the row waits until the row keyed `after` is done (and is cancelled if that
    one was not sent)."""
    new = insert_ignore(session, OutboxItem, {
        "team_id": team_id, "key": key, "kind": kind, "recipient_id": recipient_id,
        "subject": subject, "payload": _json(payload), "status": PENDING, "priority": priority,
        "due_at": due_at, "not_after": not_after, "after_key": after, "attempts": 0,
        "requeue": False, "created_at": now,
    })
    if new:
        written(session)
    return new


def coalesce(session: Session, team_id: str, key: str, kind: str, recipient_id: str,
             payload: dict[str, Any], now: datetime, subject: str | None = None,
             after: str | None = None, priority: int = NOW) -> None:
    """One row per key that is sent again whenever it is asked for: a burst of requests before
    it goes out costs one send, with the latest payload; a request while it is in flight sends
    it once more afterwards (`requeue`). For App Home publishes and button updates."""
    values = {"team_id": team_id, "key": key, "kind": kind, "recipient_id": recipient_id,
              "subject": subject, "payload": _json(payload), "status": PENDING,
              "priority": priority, "due_at": now, "after_key": after, "attempts": 0, "requeue": False,
              "created_at": now}
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    in_flight = _TABLE.c.status == SENDING
    stmt = insert(_TABLE).values(**values).on_conflict_do_update(
        index_elements=["team_id", "key"],
        set_={"status": case((in_flight, SENDING), else_=PENDING),
              "requeue": case((in_flight, True), else_=False),
              "payload": values["payload"], "due_at": now, "attempts": 0, "last_error": None,
              "not_after": None, "after_key": after, "created_at": now,
              "priority": priority})
    session.execute(stmt)
    written(session)


def written(session: Session) -> None:
    """Note that this transaction wrote outbox rows: once it commits, deliverers are woken
    (in this process by the session's after-commit hook; on PostgreSQL every replica's by
    NOTIFY, which the server delivers only if the transaction commits)."""
    if session.info.get("outbox"):
        return
    session.info["outbox"] = True
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})


def _json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


# -- what requests write -----------------------------------------------------------------------

def message(session: Session, team_id: str, key: str, to: str, msg: dict[str, Any],
            now: datetime, *, subject: str | None = None, after: str | None = None,
            priority: int = NOW) -> bool:
    """A rendered message (`{"text", "blocks"}`) to a person (their DM with the app) or a
    channel, optionally only after the row keyed `after` is done."""
    return enqueue(session, team_id, key, MESSAGE, to, {"message": msg}, now, now, subject,
                   priority=priority, after=after)


def message_into(session: Session, team_id: str, key: str, channel_of: str, msg: dict[str, Any],
                 now: datetime, *, subject: str | None = None) -> bool:
    """A message into the conversation the row keyed `channel_of` opened or posted to, once
    that row is sent (e.g. the introduction, into the group DM opened for it)."""
    return enqueue(session, team_id, key, MESSAGE, None, {"message": msg, "channel_of": channel_of},
                   now, now, subject, priority=NOW, after=channel_of)


def update_sent(session: Session, team_id: str, of: str, msg: dict[str, Any], now: datetime,
                subject: str | None = None, after: str | None = None) -> None:
    """Replace a message Mutual sent earlier (the row keyed `of`), e.g. a consent DM whose
    buttons are answered. Waits for that message (and `after`, if given) to go out; dropped
    if it never did."""
    coalesce(session, team_id, f"update:{of}", UPDATE, "", {"message": msg, "of": of}, now,
             subject, after=after or of)


def delete_sent(session: Session, team_id: str, of: str, now: datetime,
                subject: str | None = None) -> None:
    """Delete a message Mutual sent earlier (the row keyed `of`) once it has gone out: a
    thank-you taken back leaves its DM empty-handed otherwise."""
    coalesce(session, team_id, f"{DELETE}:{of}", DELETE, "", {"of": of}, now, subject, after=of)


def update_at(session: Session, team_id: str, channel: str, ts: str, msg: dict[str, Any],
              now: datetime, subject: str | None = None, after: str | None = None) -> None:
    """Replace the message at (channel, ts): the one a pressed button sits on."""
    coalesce(session, team_id, f"update:{channel}:{ts}", UPDATE, channel,
             {"message": msg, "channel": channel, "ts": ts}, now, subject, after=after)


def ephemeral(session: Session, team_id: str, key: str, channel: str, user_id: str,
              msg: dict[str, Any], now: datetime) -> bool:
    """A message only `user_id` sees, in `channel` (not kept by Slack, so not looked up after
    a crash: sent at most once)."""
    return enqueue(session, team_id, key, EPHEMERAL, user_id,
                   {"message": msg, "channel": channel}, now, now, priority=NOW)


def respond(session: Session, team_id: str, key: str, response_url: str, msg: dict[str, Any],
            now: datetime, subject: str | None = None, after: str | None = None,
            chose: Iterable[str] = ()) -> bool:
    """A post to an interaction's response_url (an ephemeral reply, a public share, or
    `replace_original`). It lives 30 minutes; a reply that cannot go by then is dropped. A
    public one (`in_channel`) names only those in `chose` (bot.services.tact)."""
    return enqueue(session, team_id, key, RESPOND, None,
                   {"url": response_url, "message": msg, "chose": sorted(set(chose))},
                   now, now, subject, priority=NOW, after=after, not_after=now + RESPONSE_URL_LIFE)


def show_home(session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """Publish this person's App Home tab (they just opened it), rendered from the database
    when sent; from now on what changes it re-publishes it (`refresh_home`)."""
    coalesce(session, team_id, f"{HOME}:{user_id}", HOME, user_id, {}, now)


_IN_FLIGHT = _TABLE.c.status == SENDING
# A Home still waiting (or in flight) keeps its place: one its owner just opened stays an answer.
# The rows are locked in key order (PostgreSQL: the sub-select's FOR UPDATE; SQLite has one
# writer at a time) in the same statement: two replicas refreshing the same two Homes at once
# (two people thanking each other) take them in one order and never deadlock.
_HOMES_IN_ORDER = (select(OutboxItem.id)
                   .where(OutboxItem.team_id == bindparam("team"), OutboxItem.kind == HOME,
                          OutboxItem.key.in_(bindparam("keys", expanding=True)))
                   .order_by(OutboxItem.key).with_for_update())
_REFRESH = (update(OutboxItem)
            .where(OutboxItem.id.in_(_HOMES_IN_ORDER.scalar_subquery()))
            .values(status=case((_IN_FLIGHT, SENDING), else_=PENDING),
                    priority=case((_TABLE.c.status.in_(LIVE), _TABLE.c.priority), else_=BACKGROUND),
                    requeue=case((_IN_FLIGHT, True), else_=False), due_at=bindparam("now"),
                    attempts=0, last_error=None, not_after=None, created_at=bindparam("now"))
            .returning(OutboxItem.id).execution_options(synchronize_session=False))


def refresh_home(session: Session, team_id: str, *user_ids: str | None, now: datetime) -> None:
    """Re-publish the App Home tabs of those among these people who have opened it (their
    Home row exists: `show_home`), rendered from the database when sent. Nobody else's is
    published: a tab nobody looks at is not worth a render and a rate-limited call, and it is
    rendered fresh the moment they open it."""
    keys = sorted({f"{HOME}:{u}" for u in user_ids if u})
    if keys and session.execute(_REFRESH, {"team": team_id, "keys": keys, "now": now}).all():
        written(session)


def cancel_pending(session: Session, team_id: str, recipient_id: str | None, reason: str,
                   kind: str | None = None, subject: str | None = None) -> int:
    """Cancel messages still waiting (e.g. nudges about a pair that was just muted)."""
    conditions = [OutboxItem.team_id == team_id, OutboxItem.status == PENDING]
    if recipient_id is not None:
        conditions.append(OutboxItem.recipient_id == recipient_id)
    if kind is not None:
        conditions.append(OutboxItem.kind == kind)
    if subject is not None:
        conditions.append(OutboxItem.subject == subject)
    rows = session.execute(update(OutboxItem).where(*conditions)
                           .values(status=CANCELLED, last_error=reason)
                           .returning(OutboxItem.id)).all()
    return len(rows)


def update_view(session: Session, team_id: str, view_id: str, view: dict[str, Any],
                now: datetime, subject: str | None = None) -> None:
    """Replace the modal a button was pressed in (e.g. a closing view's "Take it back");
    the latest view asked for wins."""
    coalesce(session, team_id, f"{VIEW_UPDATE}:{view_id}", VIEW_UPDATE, "",
             {"view_id": view_id, "view": view}, now, subject)


def is_known(session: Session, team_id: str, channel: str, ts: str) -> bool:
    """Whether the message at (channel, ts) is one Mutual sent and keeps track of."""
    return session.execute(select(OutboxItem.id).where(
        OutboxItem.team_id == team_id, OutboxItem.sent_channel == channel,
        OutboxItem.sent_ts == ts).limit(1)).first() is not None


def cancel_unsent(session: Session, team_id: str, key: str, reason: str) -> bool:
    """Call off the message keyed `key` if it has not started going out; True if it was.
    (One already on its way, or sent, is for `update_sent` to replace.)"""
    return session.execute(update(OutboxItem).where(
        OutboxItem.team_id == team_id, OutboxItem.key == key, OutboxItem.status == PENDING)
        .values(status=CANCELLED, last_error=reason).returning(OutboxItem.id)).first() is not None

"""What every button handler needs: the id a button carries, the message it sits on, and the
two ways to answer a press — replace that message, or reply privately — both through the
outbox, in the transaction that records the press."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.payloads.commands import SlashCommand
from bot.payloads.interactive import BlockActions, GlobalShortcut, MessageShortcut
from bot.services import outbox
from bot.services.undo import IDS_MAX
from bot.services.workspaces import ensure_workspace


@dataclass(frozen=True)
class Press:
    """A button carrying a row id, pressed by `user_id` of `team_id`."""

    item_id: int
    user_id: str
    team_id: str


# What may be answered through a response_url: a press, a shortcut, a command.
Answerable = BlockActions | MessageShortcut | GlobalShortcut | SlashCommand


def press_of(press: BlockActions, team_id: str) -> Press | None:
    """The press, or None when the button's value is not an id Mutual wrote (nothing to do)."""
    item_id = press.action.value_int
    return None if item_id is None else Press(item_id, press.user_id, team_id)


def record_ids_of(press: BlockActions) -> list[int]:
    """The records a button stands for ("12,13": the people one /thanks named), at most
    IDS_MAX of them."""
    return press.action.value_ids[:IDS_MAX]


def container_of(press: BlockActions) -> tuple[str | None, str | None]:
    """The message the pressed button sits on."""
    container = press.container
    channel = (container.channel_id if container else None) or (
        press.channel.id if press.channel else None)
    return channel, (container.message_ts if container else None) or (
        press.message.ts if press.message else None)


def replace_here(session: Session, team_id: str, press: BlockActions, msg: dict[str, Any],
                 now: datetime, after: str | None = None) -> None:
    """Swap the message the button sits on for `msg`, so it cannot be pressed again."""
    channel, ts = container_of(press)
    if channel and ts:
        ensure_workspace(session, team_id, now)
        outbox.update_at(session, team_id, channel, ts, msg, now, after=after)


def replace_untracked(session: Session, team_id: str, press: BlockActions, msg: dict[str, Any],
                      now: datetime) -> None:
    """Swap the pressed message for `msg` only if Mutual does not know it (one sent before it
    kept track): a message it knows is closed with everything else about its thing
    (bot.services.closing), which keeps the other questions of a questions DM as they are."""
    channel, ts = container_of(press)
    if channel and ts and not outbox.is_known(session, team_id, channel, ts):
        replace_here(session, team_id, press, msg, now)


def reply(session: Session, team_id: str, source: Answerable, msg: dict[str, Any],
          now: datetime, what: str, after: str | None = None) -> str | None:
    """A reply to the person who pressed, through the interaction's response_url (ephemeral,
    `replace_original` or `in_channel`, as `msg` says); its outbox key, or None when the
    interaction has no response_url (a modal, App Home)."""
    url = source.response_url
    if not url:
        return None
    key = f"reply:{source.trigger_id}:{what}"
    ensure_workspace(session, team_id, now)
    outbox.respond(session, team_id, key, url, msg, now, after=after)
    return key


def typed_in(body: dict[str, Any], block_id: str, action_id: str) -> str:
    """What was typed in a message's input block when a button beside it was pressed (Slack
    sends the message's inputs as `state.values`); "" when nothing was.

    It reads the raw body: a message's inputs are not in the typed model (BlockActions), and
    checking them there would newly refuse presses the listener serves today."""
    values = (body.get("state") or {}).get("values") or {}
    value = ((values.get(block_id) or {}).get(action_id) or {}).get("value")
    return value if isinstance(value, str) else ""

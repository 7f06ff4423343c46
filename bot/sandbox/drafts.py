"""Input blocks in a message (a box to type in beside its buttons): `set` fills them when no
modal is open, and a button pressed on that message carries what was typed as
`state.values`, as Slack's clients send it. Drafts live for the session, like text typed into
a message box that was never sent."""

from __future__ import annotations

from typing import Any

from bot.sandbox import forms
from bot.sandbox.session import LineError, Sandbox
from bot.sandbox.state import Message, View


def _as_view(sb: Sandbox, msg: Message) -> View:
    return View(f"message-{msg.number}", sb.me.id, {"blocks": msg.blocks},
                values=sb.drafts.setdefault((sb.me.id, msg.number), {}))


def message_with_inputs(sb: Sandbox) -> Message | None:
    """The last message with buttons the current person saw, if it has boxes to type in."""
    try:
        kind, number, _ = sb.pressable_surface()
    except LineError:
        return None
    msg = sb.state.message(number) if kind == "message" else None
    if msg is None or not any(b.get("type") == "input" for b in msg.blocks):
        return None
    return msg


def set_in_message(sb: Sandbox, msg: Message, field_and_value: tuple[forms.Field, str]) -> None:
    field, raw = field_and_value
    try:
        parsed = forms.parse(field, raw, sb.state)
    except forms.FormError as e:
        raise LineError(str(e)) from None
    sb.drafts.setdefault((sb.me.id, msg.number), {}).setdefault(field.block_id, {})[
        field.action_id] = parsed
    sb.note(f"  {field.label} (in #{msg.number}): {forms.shown_value(parsed, sb.render) or '(empty)'}")


def view_of(sb: Sandbox, msg: Message) -> View:
    return _as_view(sb, msg)


def state_of(sb: Sandbox, msg: Message) -> dict[str, Any]:
    """`state` for a button pressed on `msg`: every input's value, typed or initial."""
    if not any(b.get("type") == "input" for b in msg.blocks):
        return {"values": {}}
    return {"values": forms.values(_as_view(sb, msg))}

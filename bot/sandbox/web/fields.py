"""What a person chose in the page, as Slack puts it in a payload: `view.state.values` for a
modal or a message's boxes, and `actions[0]` for a button, menu or picker used in a message,
a Home tab or a modal.

The page sends only names and the values it was offered (`f3=UBOB`, an option's value); each is
checked against the element the server holds, so nothing the page sends becomes a value the
element did not offer."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox import forms
from bot.sandbox.render import timestamp
from bot.sandbox.state import State, View

Form = dict[str, list[str]]
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
TIME = re.compile(r"^\d\d:\d\d$")
ONE = {"users_select": "selected_user", "conversations_select": "selected_conversation",
       "channels_select": "selected_channel"}
MANY = {"multi_users_select": "selected_users", "multi_conversations_select": "selected_conversations",
        "multi_channels_select": "selected_channels"}


class Refused(ValueError):
    """A value the element did not offer, worded for the person."""


def options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    groups = element.get("option_groups") or [{"options": element.get("options") or []}]
    return [o for g in groups for o in g.get("options") or [] if isinstance(o, dict)]


def chosen(element: dict[str, Any], raw: list[str], state: State) -> dict[str, Any]:
    """The element's value for what was picked, in Slack's shape (without type or ids)."""
    kind = str(element.get("type", ""))
    raw = [r for r in raw if r]
    if kind in ONE:
        return {ONE[kind]: _known(kind, raw[0], state) if raw else None}
    if kind in MANY:
        return {MANY[kind]: [_known(kind, r, state) for r in dict.fromkeys(raw)]}
    if kind in ("static_select", "overflow", "radio_buttons", "external_select"):
        return {"selected_option": _option(element, raw[0]) if raw else None}
    if kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        return {"selected_options": [_option(element, r) for r in dict.fromkeys(raw)]}
    if kind == "datepicker":
        if raw and not DATE.match(raw[0]):
            raise Refused("Pick a date.")
        return {"selected_date": raw[0] if raw else None}
    if kind == "timepicker":
        if raw and not TIME.match(raw[0]):
            raise Refused("Pick a time.")
        return {"selected_time": raw[0] if raw else None}
    raise Refused(f"The sandbox can't use a {kind} here yet.")


def _known(kind: str, wanted: str, state: State) -> str:
    if "users" in kind:
        person = state.people.get(wanted)
        if person is None or person.deleted:
            raise Refused("That person isn't in this workspace.")
        return wanted
    if wanted not in state.conversations:
        raise Refused("That conversation isn't in this workspace.")
    return wanted


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    for option in options_of(element):
        if str(option.get("value", "")) == value:
            return option
    raise Refused("That choice isn't on the list any more; have another look.")


def state_values(view: View, form: Form, state: State) -> dict[str, dict[str, dict[str, Any]]]:
    """Every input block's value from the form fields `f<n>` (what the person typed or picked),
    in the view's `values` shape; text is checked as the terminal's forms check it."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for field in forms.fields(view):
        raw = form.get(f"f{field.number}", [])
        if field.kind in forms.TEXT_KINDS:
            try:
                value = forms.parse(field, raw[0] if raw else "", state)
            except forms.FormError as e:
                raise Refused(str(e)) from None
        else:
            value = {"type": field.kind, **chosen(field.element, raw, state)}
        out.setdefault(field.block_id, {})[field.action_id] = value
    return out


def action(element: dict[str, Any], block_id: str, raw: list[str], state: State) -> dict[str, Any]:
    """`actions[0]` for this element used with these values (none for a button)."""
    kind = str(element.get("type", ""))
    base: dict[str, Any] = {"type": kind, "action_id": element.get("action_id", ""),
                            "block_id": block_id, "action_ts": timestamp()}
    if kind == "button":
        base.update(text=element.get("text"), value=element.get("value", ""))
        if element.get("style"):
            base["style"] = element["style"]
        return base
    if element.get("placeholder"):
        base["placeholder"] = element["placeholder"]
    return {**base, **chosen(element, raw, state)}


def element_at(blocks: list[dict[str, Any]], at: str) -> tuple[dict[str, Any], str]:
    """The element at `<block>.<element>` (`a`: the section's accessory) and its block_id."""
    try:
        block_index, _, element_index = at.partition(".")
        block = blocks[int(block_index)]
        element = block["accessory"] if element_index == "a" else block["elements"][int(element_index)]
    except (ValueError, IndexError, KeyError, TypeError):
        raise Refused("That button isn't there any more; have another look.") from None
    if not isinstance(element, dict):
        raise Refused("That button isn't there any more; have another look.")
    return element, str(block.get("block_id") or f"b{int(block_index)}")

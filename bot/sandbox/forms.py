"""Modals as forms: each input block is a numbered field a person fills by name or number
(`set 1 @bob`, `set note the review`), then `submit` or `cancel`. Values are kept the way
Slack puts them in `view.state.values`, initial values included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from bot.sandbox.pick import pick
from bot.sandbox.render import Renderer
from bot.sandbox.state import State, View

TEXT_KINDS = ("plain_text_input", "email_text_input", "url_text_input", "number_input")
YES = {"yes", "y", "on", "true", "1", "checked"}
NO = {"no", "n", "off", "false", "0", "none", "unchecked", "-"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Field:
    number: int
    label: str
    block_id: str
    action_id: str
    element: dict[str, Any]
    optional: bool
    hint: str

    @property
    def kind(self) -> str:
        return str(self.element.get("type", ""))


class FormError(ValueError):
    """A value the form cannot take, worded for the person."""


def fields(view: View) -> list[Field]:
    found: list[Field] = []
    for index, block in enumerate(view.view.get("blocks") or []):
        if block.get("type") != "input" or not isinstance(block.get("element"), dict):
            continue
        element = block["element"]
        found.append(Field(len(found) + 1, str((block.get("label") or {}).get("text", "")),
                           str(block.get("block_id") or f"input{index}"),
                           str(element.get("action_id") or f"action{index}"), element,
                           bool(block.get("optional")), str((block.get("hint") or {}).get("text", ""))))
    return found


def find(view: View, name: str) -> Field:
    """A field by its number, or by words of its label (unique)."""
    all_fields = fields(view)
    if not all_fields:
        raise FormError("This modal has no fields to fill.")
    matches = pick(all_fields, name, lambda f: f.number, lambda f: f.label)
    if len(matches) == 1:
        return matches[0]
    if name.strip().isdigit():
        raise FormError(f"There is no field {name}; this form has fields 1 to {len(all_fields)}.")
    if not matches:
        raise FormError(f"No field of this form is called “{name}”. Fields: "
                        + ", ".join(f"{f.number} {f.label}" for f in all_fields))
    raise FormError(f"“{name}” could be " + " or ".join(f"{f.number} ({f.label})" for f in matches)
                    + "; use the number.")


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    return list(element.get("options") or [])


def _option(element: dict[str, Any], raw: str, state: State | None = None) -> dict[str, Any]:
    options = _options(element)
    wanted = raw.strip().lower()
    # An option that is a person (a mention, its value their id) can be picked as @name.
    person = state.person_named(wanted.lstrip("@")) if state is not None and wanted else None
    for option in options:
        if wanted in (str(option.get("value", "")).lower(), _label(option).lower()):
            return option
        if person is not None and option.get("value") == person.id:
            return option
    starts = [o for o in options if _label(o).lower().startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    raise FormError(f"“{raw}” is not one of: " + ", ".join(_label(o) for o in options))


def _label(option: dict[str, Any]) -> str:
    return str((option.get("text") or {}).get("text", option.get("value", "")))


def initial(element: dict[str, Any]) -> dict[str, Any]:
    """The value Slack reports for an input nobody touched."""
    kind = element.get("type")
    if kind in TEXT_KINDS:
        return {"type": kind, "value": element.get("initial_value")}
    if kind == "users_select":
        return {"type": kind, "selected_user": element.get("initial_user")}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(element.get("initial_users") or [])}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": element.get("initial_conversation")}
    if kind == "channels_select":
        return {"type": kind, "selected_channel": element.get("initial_channel")}
    if kind in ("static_select", "radio_buttons", "external_select"):
        return {"type": kind, "selected_option": element.get("initial_option")}
    if kind in ("checkboxes", "multi_static_select"):
        return {"type": kind, "selected_options": list(element.get("initial_options") or [])}
    if kind == "multi_conversations_select":
        return {"type": kind, "selected_conversations": list(element.get("initial_conversations") or [])}
    if kind == "multi_channels_select":
        return {"type": kind, "selected_channels": list(element.get("initial_channels") or [])}
    if kind == "datepicker":
        return {"type": kind, "selected_date": element.get("initial_date")}
    if kind == "timepicker":
        return {"type": kind, "selected_time": element.get("initial_time")}
    return {"type": kind, "value": None}


def values(view: View) -> dict[str, dict[str, dict[str, Any]]]:
    """`view.state.values` as Slack sends it: every input, typed or initial."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for field in fields(view):
        typed = view.values.get(field.block_id, {}).get(field.action_id)
        out[field.block_id] = {field.action_id: typed or initial(field.element)}
    return out


def parse(field: Field, raw: str, state: State) -> dict[str, Any]:
    """What a person typed, as the field's value; FormError when it does not fit."""
    kind, element, raw = field.kind, field.element, raw.strip()
    if kind in TEXT_KINDS:
        if kind == "number_input":
            return {"type": kind, "value": _number(element, raw)}
        limit = int(element.get("max_length") or 3000)
        if len(raw) > limit:
            raise FormError(f"“{field.label}” takes up to {limit} characters; that is {len(raw)}.")
        return {"type": kind, "value": raw or None}
    if kind == "users_select":
        return {"type": kind, "selected_user": _person(raw, state) if raw else None}
    if kind == "multi_users_select":
        people = [_person(word, state) for word in raw.replace(",", " ").split()]
        return {"type": kind, "selected_users": list(dict.fromkeys(people))}
    if kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
        if not raw or raw.lower() in NO:
            return {"type": kind, key: None}
        conv = state.channel_named(raw)
        if conv is None:
            raise FormError(f"There is no channel {raw}; try " + ", ".join(
                f"#{c.name}" for c in state.conversations.values() if c.kind == "channel") + ".")
        return {"type": kind, key: conv.id}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": _option(element, raw) if raw else None}
    if kind in ("checkboxes", "multi_static_select"):
        options = _options(element)
        if raw.lower() in YES and len(options) == 1:
            return {"type": kind, "selected_options": options}
        if raw.lower() in NO:
            return {"type": kind, "selected_options": []}
        # "@bob @carol" picks people; otherwise options are separated by commas.
        parts = raw.replace(",", " ").split() if raw.startswith("@") else raw.split(",")
        return {"type": kind, "selected_options": [_option(element, part, state) for part in parts]}
    raise FormError(f"The sandbox can't fill a {kind} field yet.")


def choose_loaded(field: Field, raw: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """An external_select's choice among the options the app loaded for what was typed: the
    only one, or the one whose value or label it is (or starts), as a person would click it."""
    kind, raw = field.kind, raw.strip()
    if not raw or raw.lower() in NO:
        if not field.optional:
            raise FormError(f"“{field.label}” needs a choice: type a few letters of one.")
        return {"type": kind, "selected_option": None}
    if len(options) == 1:
        return {"type": kind, "selected_option": options[0]}
    try:
        return {"type": kind, "selected_option": _option({"options": options}, raw)}
    except FormError:
        shown = ", ".join(_label(o) for o in options[:8]) + (" …" if len(options) > 8 else "")
        raise FormError(f"Mutual offers no single “{raw}” for “{field.label}”"
                        + (f"; it offers: {shown}" if options else "") + ".") from None


def _number(element: dict[str, Any], raw: str) -> str | None:
    if not raw:
        return None
    if not NUMBER.match(raw) or ("." in raw and not element.get("is_decimal_allowed")):
        raise FormError(f"“{raw}” isn't a whole number.")
    low, high = element.get("min_value"), element.get("max_value")
    if low is not None and float(raw) < float(low) or high is not None and float(raw) > float(high):
        raise FormError(f"Pick a number from {low} to {high}.")
    return raw


def _person(raw: str, state: State) -> str:
    person = state.person_named(raw)
    if person is None:
        raise FormError(f"There's no {raw} here; people: "
                        + ", ".join("@" + p.name for p in state.people.values()) + ".")
    return person.id


def missing(view: View) -> list[Field]:
    """Required fields still empty: Slack's client will not submit until they are filled."""
    current = values(view)
    return [f for f in fields(view) if not f.optional and _empty(current[f.block_id][f.action_id])]


def _empty(value: dict[str, Any]) -> bool:
    return not any(v for k, v in value.items() if k != "type")


def shown_value(value: dict[str, Any], renderer: Renderer) -> str:
    if value.get("selected_user"):
        return "@" + renderer.person(value["selected_user"])
    if value.get("selected_users"):
        return " ".join("@" + renderer.person(u) for u in value["selected_users"])
    for key in ("selected_conversation", "selected_channel"):
        if value.get(key):
            return "#" + renderer.channel(value[key])
    if value.get("selected_option"):
        return _label(value["selected_option"])
    if value.get("selected_options"):
        return ", ".join(renderer.text(_label(o)) for o in value["selected_options"])
    if value.get("value"):
        return str(value["value"])
    return ""


HOW = {"users_select": "@name", "multi_users_select": "@name @name …", "number_input": "a number",
       "external_select": "type to search",
       "conversations_select": "#channel", "channels_select": "#channel",
       "checkboxes": "yes or no", "plain_text_input": "text"}


def render(view: View, renderer: Renderer) -> Text:
    """The modal as a form: its words, then each field with its value and how to fill it."""
    body = view.view
    out = Text()
    out.append(f"▣ {renderer.text((body.get('title') or {}).get('text', 'Mutual'))}", style="bold")
    out.append("  (a modal: only you can see it)", style="dim")
    current = values(view)
    numbered = {f.block_id: f for f in fields(view)}
    for index, block in enumerate(body.get("blocks") or []):
        field = numbered.get(str(block.get("block_id") or f"input{index}"))
        if block.get("type") == "input" and field is not None:
            value = shown_value(current[field.block_id][field.action_id], renderer)
            out.append(f"\n  [{field.number}] {field.label}", style="bold")
            out.append(" (optional)" if field.optional else "", style="dim")
            out.append(": ")
            out.append(value or "—", style="cyan" if value else "dim")
            choices = [renderer.text(_label(o)) for o in _options(field.element)]
            if field.kind == "checkboxes" and len(choices) == 1:
                choices = ["yes", "no"]
            how = " | ".join(choices) if choices and len(choices) <= 8 else HOW.get(field.kind, "")
            if how:
                out.append(f"   ({how})", style="dim")
            error = view.errors.get(field.block_id)
            if error:
                out.append(f"\n      ⚠ {renderer.text(error)}", style="bold red")
        else:
            part, _ = renderer.blocks([block])
            if part.plain:
                out.append("\n  ")
                out.append_text(part)
    submit = (body.get("submit") or {}).get("text")
    close = (body.get("close") or {}).get("text", "Cancel")
    if fields(view):
        out.append(f"\n  Fill a field with `set <number or name> <value>`; `submit` ({submit}) or "
                   f"`cancel` ({close}).", style="dim")
    elif not submit:
        out.append(f"\n  [{close}]", style="dim")
    return out

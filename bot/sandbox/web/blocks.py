"""Block Kit as HTML: the blocks of a message, a Home tab or a modal, drawn as Slack draws them.

Each interactive element carries `data-at="<block>.<element>"` (its place in the blocks; `a`
for a section's accessory), so a click names the element and the server reads the element
itself from the blocks it holds — the page never says what an action's value is. A modal's
input blocks become form fields named `f<n>` (bot/sandbox/forms numbers them), the same names
an input block inside a message gets, so one reader turns both into `view.state.values`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from bot.sandbox import forms
from bot.sandbox.state import View
from bot.sandbox.web.mrkdwn import Mrkdwn, plain_html

Block = dict[str, Any]
SELECTS = ("static_select", "external_select", "users_select", "conversations_select",
           "channels_select")
MULTI = ("multi_static_select", "multi_external_select", "multi_users_select",
         "multi_conversations_select", "multi_channels_select")


@dataclass(frozen=True)
class Choices:
    """What a people or conversation menu lists: (id, shown name)."""

    people: list[tuple[str, str]]
    channels: list[tuple[str, str]]


def _text(obj: Any) -> str:
    return str((obj or {}).get("text", "")) if isinstance(obj, dict) else ""


class BlockKit:
    def __init__(self, md: Mrkdwn, choices: Choices, file_url: Callable[[str], str]) -> None:
        self.md = md
        self.choices = choices
        self.file_url = file_url

    # -- text objects ------------------------------------------------------------------------
    def text(self, obj: Any) -> Markup:
        """A text object: mrkdwn or plain_text."""
        if not isinstance(obj, dict):
            return Markup("")
        if obj.get("type") == "mrkdwn":
            return self.md(_text(obj))
        return plain_html(_text(obj), emoji=obj.get("emoji", True) is not False)

    # -- blocks ------------------------------------------------------------------------------
    def blocks(self, blocks: list[Block], view: View | None = None) -> Markup:
        """Blocks of a message or view; `view` (its values and errors) for input blocks."""
        fields = {f.block_id: f for f in forms.fields(view)} if view is not None else {}
        values = forms.values(view) if view is not None else {}
        parts = []
        for index, block in enumerate(blocks):
            if not isinstance(block, dict):
                continue
            block_id = str(block.get("block_id") or f"input{index}")
            field = fields.get(block_id)
            if block.get("type") == "input" and field is not None:
                value = values[field.block_id][field.action_id]
                parts.append(self.input(block, field, value, view.errors.get(block_id) if view else None))
            else:
                parts.append(self.block(block, index))
        return Markup("").join(parts)

    def block(self, block: Block, index: int) -> Markup:
        kind = block.get("type")
        if kind == "section":
            return self._section(block, index)
        if kind == "header":
            return Markup('<div class="bk-header">{}</div>').format(self.text(block.get("text")))
        if kind == "divider":
            return Markup('<hr class="bk-divider">')
        if kind == "context":
            items = [self._image(e, "bk-context-image") if e.get("type") == "image"
                     else Markup("<span>{}</span>").format(self.text(e))
                     for e in block.get("elements") or [] if isinstance(e, dict)]
            return Markup('<div class="bk-context">{}</div>').format(Markup("").join(items))
        if kind == "image":
            title = Markup('<div class="bk-image-title">{}</div>').format(self.text(block.get("title"))) \
                if block.get("title") else Markup("")
            return Markup('<div class="bk-image">{}{}</div>').format(title, self._image(block, ""))
        if kind == "actions":
            items = [self.element(e, f"{index}.{i}") for i, e in enumerate(block.get("elements") or [])
                     if isinstance(e, dict)]
            return Markup('<div class="bk-actions">{}</div>').format(Markup("").join(items))
        if kind == "rich_text":
            return Markup('<div class="bk-section">{}</div>').format(self.md(_rich_text(block)))
        if kind == "input":  # an input Slack would draw but no field was found for: its label
            return Markup('<div class="bk-section">{}</div>').format(self.text(block.get("label")))
        return Markup("")

    def _section(self, block: Block, index: int) -> Markup:
        body = Markup('<div class="bk-text">{}</div>').format(self.text(block.get("text"))) \
            if block.get("text") else Markup("")
        fields = [Markup('<div class="bk-field">{}</div>').format(self.text(f))
                  for f in block.get("fields") or []]
        if fields:
            body += Markup('<div class="bk-fields">{}</div>').format(Markup("").join(fields))
        accessory = block.get("accessory")
        side = Markup("")
        if isinstance(accessory, dict):
            side = Markup('<div class="bk-accessory">{}</div>').format(
                self._image(accessory, "bk-thumb") if accessory.get("type") == "image"
                else self.element(accessory, f"{index}.a"))
        return Markup('<div class="bk-section"><div class="bk-main">{}</div>{}</div>').format(body, side)

    def _image(self, element: Block, css: str) -> Markup:
        source = element.get("slack_file") or {}
        url = self.file_url(str(source["id"])) if isinstance(source, dict) and source.get("id") \
            else str(element.get("image_url") or "")
        if not url.startswith(("/", "https://", "http://")):
            url = ""
        return Markup('<img class="{}" src="{}" alt="{}">').format(css, url, element.get("alt_text", ""))

    # -- interactive elements ----------------------------------------------------------------
    def element(self, element: Block, at: str) -> Markup:
        """A button, menu, picker or choice list that sends an action when used."""
        kind = str(element.get("type", ""))
        if kind == "button":
            style = element.get("style") if element.get("style") in ("primary", "danger") else ""
            return Markup('<button type="button" class="bk-button {}" data-at="{}"{}>{}</button>').format(
                style, at, self._confirm(element.get("confirm")), self.text(element.get("text")))
        if kind == "overflow":
            items = [Markup('<button type="button" class="menu-item" data-at="{}" data-option="{}">{}'
                            "</button>").format(at, o.get("value", ""), self.text(o.get("text")))
                     for o in element.get("options") or []]
            return Markup('<details class="bk-overflow"><summary title="More actions">⋯</summary>'
                          '<div class="menu">{}</div></details>').format(Markup("").join(items))
        if kind in SELECTS or kind in MULTI:
            return Markup('<select class="bk-select" data-at="{}"{}{}>{}</select>').format(
                at, self._confirm(element.get("confirm")), Markup(" multiple") if kind in MULTI else "",
                self._options(element, [], placeholder=True))
        if kind in ("checkboxes", "radio_buttons"):
            return self._choice_list(element, f"at-{at}", [], Markup(' data-at="{}"').format(at))
        if kind in ("datepicker", "timepicker"):
            kind_attr = "date" if kind == "datepicker" else "time"
            initial = element.get("initial_date" if kind == "datepicker" else "initial_time") or ""
            return Markup('<input class="bk-picker" type="{}" value="{}" data-at="{}">').format(
                kind_attr, initial, at)
        if kind == "image":
            return self._image(element, "bk-thumb")
        return Markup("")

    @staticmethod
    def _confirm(confirm: Any) -> Markup:
        """A confirm dialog's words as data attributes: the page asks before sending."""
        if not isinstance(confirm, dict):
            return Markup("")
        return Markup(' data-confirm-title="{}" data-confirm-text="{}" data-confirm-yes="{}" '
                      'data-confirm-no="{}" data-confirm-style="{}"').format(
            _text(confirm.get("title")), _text(confirm.get("text")),
            _text(confirm.get("confirm")) or "Confirm", _text(confirm.get("deny")) or "Cancel",
            confirm.get("style", ""))

    def _options(self, element: Block, chosen: list[str], placeholder: bool) -> Markup:
        """<option>s of a menu: its own options (and groups), or people, or channels."""
        kind = str(element.get("type", ""))
        out: list[Markup] = []
        if placeholder and kind not in MULTI:
            words = _text(element.get("placeholder")) or "Select an item"
            out.append(Markup('<option value=""{}>{}</option>').format(
                Markup("") if chosen else Markup(" selected"), words))
        if "users" in kind:
            pairs = self.choices.people
        elif "conversations" in kind or "channels" in kind:
            pairs = self.choices.channels
        else:
            pairs = []
            groups = element.get("option_groups") or [{"options": element.get("options") or []}]
            for group in groups:
                for option in group.get("options") or []:
                    pairs.append((str(option.get("value", "")), _text(option.get("text"))))
        for value, label in pairs:
            selected = Markup(" selected") if value in chosen else Markup("")
            out.append(Markup('<option value="{}"{}>{}</option>').format(value, selected, plain_html(label)))
        return Markup("").join(out)

    def _choice_list(self, element: Block, name: str, chosen: list[str], extra: Markup) -> Markup:
        kind = "radio" if element.get("type") == "radio_buttons" else "checkbox"
        items = []
        for option in element.get("options") or []:
            value = str(option.get("value", ""))
            described = Markup('<span class="bk-option-desc">{}</span>').format(
                self.text(option.get("description"))) if option.get("description") else Markup("")
            items.append(Markup('<label class="bk-choice"><input type="{}" name="{}" value="{}"{}{}>'
                                "<span>{}{}</span></label>").format(
                kind, name, value, Markup(" checked") if value in chosen else Markup(""), extra,
                self.text(option.get("text")), described))
        return Markup('<div class="bk-choices">{}</div>').format(Markup("").join(items))

    # -- input blocks (modals, and boxes to type in inside a message) ------------------------
    def input(self, block: Block, field: forms.Field, value: dict[str, Any], error: str | None) -> Markup:
        optional = Markup(' <span class="optional">(optional)</span>') if field.optional else Markup("")
        hint = Markup('<div class="bk-hint">{}</div>').format(self.text(block.get("hint"))) \
            if block.get("hint") else Markup("")
        problem = Markup('<div class="bk-error" role="alert">{}</div>').format(self.md(error)) \
            if error else Markup("")
        return Markup('<div class="bk-input{}" data-field="{}"><label class="bk-label" for="f{}">{}{}</label>'
                      "{}{}{}</div>").format(
            " has-error" if error else "", field.number, field.number, self.text(block.get("label")),
            optional, self.control(field, value), problem, hint)

    def control(self, field: forms.Field, value: dict[str, Any]) -> Markup:
        """The form control of one field, showing its current value."""
        element, kind, name = field.element, field.kind, f"f{field.number}"
        required = Markup("") if field.optional else Markup(" required")
        placeholder = _text(element.get("placeholder"))
        if kind in forms.TEXT_KINDS:
            current = value.get("value") or ""
            if kind == "number_input":
                return Markup('<input id="{}" name="{}" type="number" step="{}" min="{}" max="{}" '
                              'value="{}" placeholder="{}"{}>').format(
                    name, name, "any" if element.get("is_decimal_allowed") else "1",
                    element.get("min_value", ""), element.get("max_value", ""), current, placeholder, required)
            limit = element.get("max_length") or 3000
            if element.get("multiline"):
                return Markup('<textarea id="{}" name="{}" rows="4" maxlength="{}" placeholder="{}"{}>{}'
                              "</textarea>").format(name, name, limit, placeholder, required, current)
            kind_attr = {"email_text_input": "email", "url_text_input": "url"}.get(kind, "text")
            return Markup('<input id="{}" name="{}" type="{}" maxlength="{}" value="{}" placeholder="{}"{}>').format(
                name, name, kind_attr, limit, current, placeholder, required)
        if kind in ("checkboxes", "radio_buttons"):
            chosen = [str(o.get("value")) for o in value.get("selected_options") or []]
            if value.get("selected_option"):
                chosen = [str(value["selected_option"].get("value"))]
            return self._choice_list(element, name, chosen, Markup(""))
        if kind in ("datepicker", "timepicker"):
            current = value.get("selected_date") or value.get("selected_time") or ""
            return Markup('<input id="{}" name="{}" type="{}" value="{}"{}>').format(
                name, name, "date" if kind == "datepicker" else "time", current, required)
        if kind in SELECTS or kind in MULTI:
            return Markup('<select id="{}" name="{}" class="bk-select"{}{}>{}</select>').format(
                name, name, Markup(" multiple") if kind in MULTI else "", required,
                self._options(element, chosen_of(value), placeholder=True))
        return Markup('<div class="bk-hint">{}</div>').format(f"(a {kind} field)")


def chosen_of(value: dict[str, Any]) -> list[str]:
    """The ids or option values a menu's current value holds."""
    for key in ("selected_user", "selected_conversation", "selected_channel"):
        if value.get(key):
            return [str(value[key])]
    for key in ("selected_users", "selected_conversations", "selected_channels"):
        if value.get(key):
            return [str(v) for v in value[key]]
    if value.get("selected_option"):
        return [str(value["selected_option"].get("value"))]
    return [str(o.get("value")) for o in value.get("selected_options") or []]


def _rich_text(block: Block) -> str:
    pieces: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":  # rich text is literal: escaped as Slack escapes
                pieces.append(str(node.get("text", "")).replace("&", "&amp;").replace("<", "&lt;")
                              .replace(">", "&gt;"))
            elif node.get("type") == "user":
                pieces.append(f"<@{node.get('user_id', '')}>")
            for child in node.get("elements") or []:
                walk(child)

    walk(block)
    return "".join(pieces)

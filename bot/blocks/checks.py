"""What Slack refuses, checked the way Slack checks it (the numbers are bot/blocks/limits.py).

The local stand-ins for Slack's Web API (the test suite's and the simulated workspace's) both
answer with `refusal(method, params)`, and the ack bodies Mutual returns over HTTP go through
`ack_problems`, so a builder that breaks a limit fails loudly wherever it is reached. Each
function returns plain-English problems (empty when all is well), naming where they are."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import limits as L

Problems = list[str]
MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
VIEW_METHODS = {"views.open": "modal", "views.push": "modal", "views.update": None,
                "views.publish": "home"}
TEXT_TYPES = ("plain_text", "mrkdwn")
SELECTS = ("static_select", "multi_static_select")
PICKERS = ("users_select", "multi_users_select", "conversations_select",
           "multi_conversations_select", "channels_select", "multi_channels_select",
           "external_select", "multi_external_select", "datepicker", "timepicker",
           "datetimepicker", "number_input", "email_text_input", "url_text_input")


def decoded(value: Any) -> Any:
    """Form-encoded calls carry JSON arguments (blocks, view) as strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# -- what a Web API method answers -----------------------------------------------------------
def refusal(method: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's error answer to this call, or None when Slack would take it."""
    if method in MESSAGE_METHODS:
        return message_refusal(params)
    if method in VIEW_METHODS:
        problems = view_problems(decoded(params.get("view")), VIEW_METHODS[method])
        if problems:
            return {"ok": False, "error": "invalid_arguments",
                    "response_metadata": {"messages": problems}}
    return None


def message_refusal(params: dict[str, Any]) -> dict[str, Any] | None:
    """chat.postMessage / postEphemeral / update, a `response_url` post, a command's ack."""
    if params.get("delete_original"):
        return None
    blocks = decoded(params.get("blocks"))
    text = params.get("text")
    if blocks:
        problems = block_problems(blocks, L.MESSAGE_BLOCKS)
        if problems:
            return {"ok": False, "error": "invalid_blocks", "errors": problems}
        if block_text_length(blocks) > L.MESSAGE_BLOCK_TEXT:
            return {"ok": False, "error": "msg_blocks_too_long"}
    if not isinstance(text, str) or not text.strip():
        # Slack takes blocks without `text` with a warning; Mutual promises a fallback always.
        return {"ok": False, "error": "no_text",
                "response_metadata": {"messages": ["a plain-text fallback `text` must go "
                                                   "beside the blocks"]}}
    if len(text) > L.MESSAGE_TEXT:
        return {"ok": False, "error": "msg_too_long"}
    return None


def message_problems(params: dict[str, Any]) -> Problems:
    refused = message_refusal(params)
    if refused is None:
        return []
    return refused.get("errors") or (refused.get("response_metadata") or {}).get("messages") \
        or [refused["error"]]


def ack_problems(body: Any) -> Problems:
    """What Slack would refuse in the body of Mutual's HTTP answer to a command, a button, a
    modal submission or an options request (empty bodies are fine)."""
    if not isinstance(body, dict) or not body:
        return []
    action = body.get("response_action")
    if action in ("update", "push"):
        return view_problems(body.get("view"), "modal")
    if action == "errors":
        errors = body.get("errors")
        if not isinstance(errors, dict) or not errors:
            return ["response_action errors needs a non-empty `errors` object"]
        return [f"errors[{k}] is not text" for k, v in errors.items() if not isinstance(v, str)]
    if action is not None:
        return [] if action == "clear" else [f"unknown response_action {action!r}"]
    if "options" in body or "option_groups" in body:
        if body.get("options") == []:
            return []  # nothing matches what was typed
        return _options(body, "options", L.SUGGESTED_OPTIONS, "the suggested options")
    if "text" in body or "blocks" in body:
        return message_problems(body)
    return []


# -- views -----------------------------------------------------------------------------------
def view_problems(view: Any, kind: str | None) -> Problems:
    if not isinstance(view, dict):
        return ["the view is missing or not an object"]
    if view.get("type") not in ("modal", "home") or (kind and view.get("type") != kind):
        return [f"the view must be a {kind or 'modal or home'}"]
    problems: Problems = []
    if view["type"] == "modal":
        problems += _text(view.get("title"), L.VIEW_TITLE, "the modal's title", plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                problems += _text(view[key], L.VIEW_BUTTON, f"the modal's {key}", plain_only=True)
        blocks = view.get("blocks") or []
        if any(isinstance(b, dict) and b.get("type") == "input" for b in blocks) \
                and "submit" not in view:
            problems.append("a modal with inputs needs a submit button")
    problems += _string(view.get("private_metadata"), L.PRIVATE_METADATA, "private_metadata")
    problems += _string(view.get("callback_id"), L.CALLBACK_ID, "callback_id")
    problems += _string(view.get("external_id"), L.EXTERNAL_ID, "external_id")
    return problems + block_problems(view.get("blocks"), L.VIEW_BLOCKS)


# -- blocks ----------------------------------------------------------------------------------
def block_problems(blocks: Any, max_blocks: int) -> Problems:
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    if len(blocks) > max_blocks:
        return [f"{len(blocks)} blocks; at most {max_blocks}"]
    problems: Problems = []
    seen: set[str] = set()
    for n, block in enumerate(blocks):
        where = f"blocks[{n}]"
        if not isinstance(block, dict):
            problems.append(f"{where} is not an object")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            problems += _string(block_id, L.BLOCK_ID, f"{where}.block_id")
            if block_id in seen:
                problems.append(f"{where}.block_id {block_id!r} is used twice")
            seen.add(str(block_id))
        problems += _block(block, where)
    return problems


def _block(block: dict[str, Any], where: str) -> Problems:
    kind = block.get("type")
    if kind == "section":
        if "text" not in block and "fields" not in block:
            return [f"{where}: a section needs text or fields"]
        problems = _text(block["text"], L.SECTION_TEXT, f"{where}.text") if "text" in block else []
        if "fields" in block:
            problems += _list(block["fields"], L.SECTION_FIELDS, f"{where}.fields")
            for i, field in enumerate(block["fields"] or []):
                problems += _text(field, L.FIELD_TEXT, f"{where}.fields[{i}]")
        if "accessory" in block:
            problems += _element(block["accessory"], f"{where}.accessory")
        return problems
    if kind == "header":
        return _text(block.get("text"), L.HEADER_TEXT, f"{where}.text", plain_only=True)
    if kind == "context":
        problems = _list(block.get("elements"), L.CONTEXT_ELEMENTS, f"{where}.elements")
        for i, element in enumerate(block.get("elements") or []):
            if isinstance(element, dict) and element.get("type") == "image":
                problems += _image(element, f"{where}.elements[{i}]")
            else:
                problems += _text(element, L.TEXT_OBJECT, f"{where}.elements[{i}]")
        return problems
    if kind == "actions":
        problems = _list(block.get("elements"), L.ACTIONS_ELEMENTS, f"{where}.elements")
        for i, element in enumerate(block.get("elements") or []):
            problems += _element(element, f"{where}.elements[{i}]")
        return problems
    if kind == "input":
        problems = _text(block.get("label"), L.INPUT_LABEL, f"{where}.label", plain_only=True)
        if "hint" in block:
            problems += _text(block["hint"], L.INPUT_HINT, f"{where}.hint", plain_only=True)
        return problems + _element(block.get("element"), f"{where}.element")
    if kind == "image":
        return _image(block, where)
    if kind in ("divider", "rich_text"):
        return []
    return [f"{where}: unknown block type {kind!r}"]


def _element(element: Any, where: str) -> Problems:
    if not isinstance(element, dict):
        return [f"{where} is missing or not an object"]
    kind = element.get("type")
    problems = _string(element.get("action_id"), L.ACTION_ID, f"{where}.action_id")
    if "placeholder" in element:
        problems += _text(element["placeholder"], L.PLACEHOLDER, f"{where}.placeholder",
                          plain_only=True)
    if "confirm" in element:
        problems += _confirm(element["confirm"], f"{where}.confirm")
    if kind == "button":
        problems += _text(element.get("text"), L.BUTTON_TEXT, f"{where}.text", plain_only=True)
        problems += _string(element.get("value"), L.BUTTON_VALUE, f"{where}.value")
        problems += _string(element.get("url"), L.BUTTON_URL, f"{where}.url")
    elif kind in SELECTS:
        problems += _options(element, "options", L.SELECT_OPTIONS, where)
    elif kind in ("checkboxes", "radio_buttons"):
        problems += _options(element, "options", L.CHECKBOX_OPTIONS, where)
    elif kind == "overflow":
        problems += _options(element, "options", L.OVERFLOW_OPTIONS, where)
    elif kind == "plain_text_input":
        problems += _text_input(element, where)
    elif kind == "image":
        problems += _image(element, where)
    elif kind not in PICKERS:
        problems.append(f"{where}: unknown element type {kind!r}")
    return problems


def _text_input(element: dict[str, Any], where: str) -> Problems:
    most = element.get("max_length", L.TEXT_INPUT_MAX)
    if not isinstance(most, int) or not 0 < most <= L.TEXT_INPUT_MAX:
        return [f"{where}.max_length must be 1-{L.TEXT_INPUT_MAX}"]
    least = element.get("min_length", 0)
    if not isinstance(least, int) or least > most:
        return [f"{where}.min_length is above max_length"]
    initial = element.get("initial_value")
    if isinstance(initial, str) and len(initial) > most:
        return [f"{where}.initial_value is {len(initial)} characters; max_length is {most}"]
    return []


def _options(element: dict[str, Any], key: str, most: int, where: str) -> Problems:
    groups = element.get("option_groups")
    options: list[Any]
    if groups is not None:
        problems = _list(groups, L.OPTION_GROUPS, f"{where}.option_groups")
        options = [o for g in groups or [] if isinstance(g, dict) for o in g.get("options") or []]
    else:
        given = element.get(key)
        problems = _list(given, most, f"{where}.{key}")
        options = given if isinstance(given, list) else []
    values = set()
    for i, option in enumerate(options):
        problems += _option(option, f"{where}.{key}[{i}]")
        if isinstance(option, dict):
            values.add(option.get("value"))
    chosen = list(element.get("initial_options") or [])
    if element.get("initial_option") is not None:
        chosen.append(element["initial_option"])
    for option in chosen:
        if not isinstance(option, dict) or option.get("value") not in values:
            problems.append(f"{where}: an initial option is not one of its options")
    return problems


def _option(option: Any, where: str) -> Problems:
    if not isinstance(option, dict):
        return [f"{where} is not an object"]
    problems = _text(option.get("text"), L.OPTION_TEXT, f"{where}.text")
    problems += _string(option.get("value"), L.OPTION_VALUE, f"{where}.value")
    if "description" in option:
        problems += _text(option["description"], L.OPTION_DESCRIPTION, f"{where}.description")
    return problems


def _confirm(confirm: Any, where: str) -> Problems:
    if not isinstance(confirm, dict):
        return [f"{where} is not an object"]
    problems = _text(confirm.get("title"), L.CONFIRM_TITLE, f"{where}.title", plain_only=True)
    problems += _text(confirm.get("text"), L.CONFIRM_TEXT, f"{where}.text")
    for key in ("confirm", "deny"):
        problems += _text(confirm.get(key), L.CONFIRM_BUTTON, f"{where}.{key}", plain_only=True)
    return problems


def _image(image: dict[str, Any], where: str) -> Problems:
    return (_string(image.get("alt_text"), L.IMAGE_ALT_TEXT, f"{where}.alt_text", required=True)
            + _string(image.get("image_url"), L.IMAGE_URL, f"{where}.image_url"))


# -- the smallest pieces ---------------------------------------------------------------------
def _text(obj: Any, most: int, where: str, plain_only: bool = False) -> Problems:
    if not isinstance(obj, dict) or obj.get("type") not in TEXT_TYPES:
        return [f"{where} must be a text object"]
    if plain_only and obj["type"] != "plain_text":
        return [f"{where} must be plain_text"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{where} must not be empty"]
    if len(text) > most:
        return [f"{where} is {len(text)} characters; at most {most}"]
    return []


def _string(value: Any, most: int, where: str, required: bool = False) -> Problems:
    if value is None:
        return [f"{where} is missing"] if required else []
    if not isinstance(value, str):
        return [f"{where} must be a string"]
    if len(value) > most:
        return [f"{where} is {len(value)} characters; at most {most}"]
    return []


def _list(items: Any, most: int, where: str) -> Problems:
    if not isinstance(items, list) or not items:
        return [f"{where} must be a non-empty list"]
    if len(items) > most:
        return [f"{where} has {len(items)} items; at most {most}"]
    return []


def block_text_length(blocks: Any) -> int:
    """Characters of text in a message's blocks, as Slack counts toward `msg_blocks_too_long`."""
    if isinstance(blocks, list):
        return sum(block_text_length(b) for b in blocks)
    if not isinstance(blocks, dict):
        return 0
    own = len(blocks["text"]) if blocks.get("type") in TEXT_TYPES \
        and isinstance(blocks.get("text"), str) else 0
    return own + sum(block_text_length(v) for k, v in blocks.items() if isinstance(v, dict | list))

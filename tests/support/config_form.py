"""The settings modal as an admin submits it: what Slack sends back for each input."""

from __future__ import annotations

from typing import Any


def unchanged(element: dict[str, Any]) -> dict[str, Any]:
    """An input's state when the admin left it as the modal showed it."""
    kind = element["type"]
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": element.get("initial_conversation")}
    if kind in ("static_select", "external_select"):
        return {"type": kind, "selected_option": element["initial_option"]}
    if kind == "checkboxes":
        return {"type": kind, "selected_options": element.get("initial_options", [])}
    return {"type": kind, "value": element["initial_value"]}


def submitted(view: dict[str, Any], **changed: dict[str, Any]) -> dict[str, Any]:
    """`view.state.values` for the modal `view`, with `changed` inputs (by block_id) replaced."""
    values = {}
    for block in view["blocks"]:
        if block["type"] == "input":
            block_id = block["block_id"]
            values[block_id] = {block_id: changed.get(block_id) or unchanged(block["element"])}
    return values

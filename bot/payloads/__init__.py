"""One road in: every request body Slack sends Mutual, parsed once into a typed model.

`read_payload(body)` returns the model for the request's surface — `SlashCommand`,
`EventCallback`, `BlockActions`, `ViewSubmission`, `ViewClosed`, `MessageShortcut`,
`GlobalShortcut`, `BlockSuggestion` — or `Ignored` for what Mutual does not listen to, or
`Handshake` for Slack's own checks (url_verification, ssl_check), which Bolt answers. It raises `Unreadable`
naming the surface and the first field that is missing or wrong, never its value.

The contract with listeners: the edge middleware (bot/edge.py) runs before every listener and
sets `context["payload"]` to the checked model, so a listener only ever sees a request that
parsed, came from the installed workspace and is not a replay. Read it instead of `body`:

    command: SlashCommand = context["payload"]       # .user_id .team_id .channel_id .text
    press: BlockActions = context["payload"]         # .user_id .team_id .action.value_int
                                                     # .action.value_ids .action.value_user
                                                     # .action.days .where -> (channel, ts)
    submitted: ViewSubmission = context["payload"]   # .view.state.value(block, action).text
                                                     # .selected_user .selected_users
                                                     # .record_help_meta .intro_request_id
    delivery: EventCallback = context["payload"]     # .event_id .team_id .event (typed by type)
    shortcut: MessageShortcut = context["payload"]   # .message.user .message.ts .channel.id
    suggest: BlockSuggestion = context["payload"]    # .action_id .query (options to load)

Text fields (command text, modal inputs, names) are bounded and already cleaned of control
characters (bot.payloads.text.clean_text); ids match Slack's patterns; every id a button
carries is a small positive int."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.payloads.commands import SlashCommand
from bot.payloads.events import EVENT_MODELS, EventCallback
from bot.payloads.interactive import (
    BlockActions,
    BlockSuggestion,
    GlobalShortcut,
    Interaction,
    MessageShortcut,
    ViewClosed,
    ViewSubmission,
)
from bot.payloads.text import clean_text

Payload = (SlashCommand | EventCallback | BlockActions | ViewSubmission | ViewClosed
           | MessageShortcut | GlobalShortcut | BlockSuggestion)
INTERACTIONS: dict[str, type[Interaction]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
    "view_closed": ViewClosed,
    "message_action": MessageShortcut,
    "shortcut": GlobalShortcut,
    "block_suggestion": BlockSuggestion,
}


@dataclass(frozen=True)
class Handshake:
    """Slack checking the app is there (url_verification, ssl_check): Bolt answers it."""


@dataclass(frozen=True)
class Ignored:
    """A request Mutual does not listen to (answered with a quiet 200)."""

    surface: str
    payload: Payload | None = None


NOT_SLACK = "a request of no kind Slack sends"


class Unreadable(Exception):
    """A request Mutual cannot act on: `field` is the first wrong one ("-" for the whole body),
    `problem` what is wrong with it. Neither carries the value."""

    def __init__(self, surface: str, field: str, problem: str,
                 payload: dict[str, Any] | None = None) -> None:
        super().__init__(f"{surface}: {field} ({problem})")
        self.surface, self.field, self.problem = surface, field, problem
        self.body = payload or {}


def read_payload(body: dict[str, Any]) -> Payload | Ignored | Handshake:
    kind = body.get("type")
    if kind in ("url_verification", "ssl_check") or body.get("ssl_check") == "1":
        return Handshake()
    if "command" in body and kind is None:
        return _validate(SlashCommand, body, "command")
    if kind == "event_callback":
        event = body.get("event")
        event_type = event.get("type") if isinstance(event, dict) else None
        if not isinstance(event, dict) or not isinstance(event_type, str):
            raise Unreadable("event", "event.type", "missing", body)
        if event_type not in EVENT_MODELS:
            return Ignored(f"event {_shown(event_type)}")
        return _validate(EventCallback, body, f"event {event_type}")
    if not isinstance(kind, str):
        raise Unreadable(NOT_SLACK, "type", "missing", body)
    model = INTERACTIONS.get(kind)
    if model is None:
        return Ignored(f"a {_shown(kind)} request")
    return _validate(model, body, kind)


def _validate(model: Any, body: dict[str, Any], surface: str) -> Payload | Ignored:
    try:
        payload = model.model_validate(body)
    except ValidationError as e:
        first = e.errors(include_url=False, include_input=False, include_context=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "-"
        raise Unreadable(_surface(surface, body), field, first["type"], body) from None
    return payload if payload.listened else Ignored(payload.surface, payload)


def _surface(surface: str, body: dict[str, Any]) -> str:
    """"command /thanks", "block_actions claim_confirm": the kind and, when readable, its id."""
    if surface == "command":
        detail: Any = body.get("command")
    elif surface == "block_suggestion":
        detail = body.get("action_id")
    elif surface == "block_actions":
        actions = body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else None
        detail = first.get("action_id") if isinstance(first, dict) else None
    elif surface in ("view_submission", "view_closed"):
        view = body.get("view")
        detail = view.get("callback_id") if isinstance(view, dict) else None
    elif surface.startswith("event"):
        return surface
    else:
        detail = body.get("callback_id")
    return f"{surface} {_shown(detail)}" if isinstance(detail, str) else surface


def _shown(name: str) -> str:
    """An id from the request, safe for a log line (ids are short words; anything else is cut)."""
    return clean_text(name)[:40].encode("ascii", "replace").decode()

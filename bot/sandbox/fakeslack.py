"""A local, stateful stand-in for Slack's Web API, on 127.0.0.1 (port 0) in this process.

It answers every method Mutual calls from the sandbox's State (bot/sandbox/methods.py) and
takes file uploads and `response_url` posts; recording calls and misbehaving on request
(errors, 429s, rate limits, slow answers, refused connections) come from LocalApi, which the
test suite's double builds on too."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.blocks.checks import refusal
from bot.sandbox.localapi import LocalApi, Scripted
from bot.sandbox.methods import Methods
from bot.sandbox.state import BOT_USER_ID, State

logger = logging.getLogger(__name__)


@dataclass
class Target:
    """Where a `response_url` post lands: the person, the conversation, the pressed message."""

    user: str
    channel: str
    original: int | None


class FakeSlack(LocalApi):
    def __init__(self, state: State, clock: Callable[[], datetime], files_dir: Path) -> None:
        self.state = state
        self.changes: list[tuple[str, Any]] = []  # what the terminal has yet to show
        self.version = 0  # counts changes, so the browser can ask cheaply whether to look again
        self.methods = Methods(state, clock, files_dir, self._changed)
        self.notes: list[str] = []  # unknown methods, for --raw
        self._targets: dict[str, Target] = {}
        self._ids = itertools.count(1)
        super().__init__()

    def _bind(self) -> None:
        super()._bind()
        self.methods.base_url = self.base

    # -- what people do (the sandbox's side of Slack) ----------------------------------------
    def new_trigger(self, user: str) -> str:
        trigger = f"{next(self._ids)}.{int(time.time())}.sandbox"
        with self.lock:
            self.methods.triggers[trigger] = user
        return trigger

    def new_response_url(self, user: str, channel: str, original: int | None = None) -> str:
        key = f"R{next(self._ids):06d}"
        with self.lock:
            self._targets[key] = Target(user, channel, original)
        return f"{self.base}/respond/{key}"

    # -- what the terminal shows -------------------------------------------------------------
    def take_changes(self) -> list[tuple[str, Any]]:
        with self.lock:
            changes, self.changes = self.changes, []
        return changes

    def _changed(self, kind: str, what: Any) -> None:
        self.changes.append((kind, what))
        self.version += 1

    # -- answering ---------------------------------------------------------------------------
    def ok(self, method: str, params: dict[str, Any]) -> Scripted:
        refused = self._refused(method, params)
        if refused is not None:
            return Scripted(200, refused, {})
        handler = self.methods.table.get(method)
        if handler is None:
            self.notes.append(f"Mutual called {method}, which the sandbox does not simulate; "
                              "it answered ok")
            return Scripted(200, {"ok": True}, {})
        return Scripted(200, handler(params), {})

    def upload(self, file_id: str, data: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.answer("upload", {"file_id": file_id, "size": len(data)}, headers)
        with self.lock:
            ok = self.methods.receive_upload(file_id, data)
        return (200 if ok else 404), {"ok": ok}

    def respond(self, key: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """A post to a `response_url`: a reply only the person sees, a post in the channel, or
        a change to the message whose button was pressed."""
        self.answer("response_url", {**body, "_url": f"/respond/{key}"}, headers)
        refused = self._refused("response_url", body)
        if refused is not None:
            return 400, refused
        with self.lock:
            target = self._targets.get(key)
            if target is None:
                return 404, {"ok": False, "error": "expired_url"}
            original = self.state.message(target.original) if target.original else None
            methods = self.methods
            conv = self.state.conversations.get(target.channel) or methods.conversation(target.channel)
            if conv is None:
                return 404, {"ok": False, "error": "channel_not_found"}
            if body.get("delete_original") and original is not None:
                original.deleted = True
                self._changed("deleted", original.number)
                return 200, {"ok": True}
            if body.get("replace_original") and original is not None:
                original.text = str(body.get("text") or "")
                original.blocks = body.get("blocks") or []
                original.edited = True
                self._changed("updated", original.number)
                return 200, {"ok": True}
            public = body.get("response_type") == "in_channel"
            methods.add(conv, BOT_USER_ID, body, ephemeral_to=None if public else target.user)
            return 200, {"ok": True}

    @staticmethod
    def _refused(method: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """What real Slack would refuse (bot/blocks/checks.py), said where the person sees it."""
        refused = refusal(method, params)
        if refused is not None:
            details = refused.get("errors") or (refused.get("response_metadata") or {}).get("messages")
            logger.warning("Slack refused %s: %s %s", method, refused["error"], details or "")
        return refused

"""Block Kit drawn for a terminal with rich: sections, fields, context, headers, dividers,
images, files, and every button or menu choice numbered so a person can `press` it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.text import Text

from bot.sandbox.mrkdwn import emoji, plain_text, styled
from bot.sandbox.state import BOT_USER_ID, Message, State

RULE = "─" * 48


@dataclass(frozen=True)
class Pressable:
    """A button, or one choice of a menu, and the `actions[0]` Slack sends when it is used."""

    number: int
    label: str
    action: dict[str, Any]
    confirm: dict[str, Any] | None = None


def _text_of(obj: Any) -> str:
    return str((obj or {}).get("text", "")) if isinstance(obj, dict) else ""


def pressables(blocks: list[dict[str, Any]]) -> list[Pressable]:
    """Every button and menu choice on a message or view, numbered from 1 in reading order."""
    found: list[Pressable] = []

    def add(element: dict[str, Any], block_id: str) -> None:
        kind = element.get("type")
        base = {"type": kind, "action_id": element.get("action_id", ""), "block_id": block_id}
        if kind == "button":
            action = {**base, "text": element.get("text"), "value": element.get("value", "")}
            found.append(Pressable(len(found) + 1, _text_of(element.get("text")), action,
                                   element.get("confirm")))
        elif kind in ("static_select", "overflow", "radio_buttons"):
            for option in element.get("options") or []:
                key = "selected_option"
                action = {**base, key: option}
                found.append(Pressable(len(found) + 1, _text_of(option.get("text")), action,
                                       element.get("confirm")))

    for index, block in enumerate(blocks):
        block_id = str(block.get("block_id") or f"b{index}")
        if block.get("type") == "actions":
            for element in block.get("elements") or []:
                add(element, block_id)
        elif block.get("type") == "section" and isinstance(block.get("accessory"), dict):
            add(block["accessory"], block_id)
    return found


class Renderer:
    def __init__(self, state: State) -> None:
        self.state = state
        self._inputs = 0

    # -- names ---------------------------------------------------------------------------------
    def person(self, user_id: str) -> str:
        if user_id == BOT_USER_ID:
            return "Mutual"
        person = self.state.people.get(user_id)
        return person.name if person else user_id

    def channel(self, channel_id: str) -> str:
        conv = self.state.conversations.get(channel_id)
        return conv.name if conv and conv.name else channel_id

    def text(self, mrkdwn: str) -> str:
        return emoji(plain_text(mrkdwn, self.person, self.channel))

    def where(self, channel_id: str, viewer: str) -> str:
        conv = self.state.conversations.get(channel_id)
        if conv is None:
            return channel_id
        if conv.kind == "channel":
            return f"#{conv.name}"
        if viewer not in conv.members:
            names = [self.person(p) for p in conv.members]
            return ("DM of " if conv.kind == "im" else "group DM of ") + _join(names)
        others = [self.person(p) for p in conv.members if p != viewer]
        if conv.kind == "im":
            return f"DM with {others[0]}" if others else "DM"
        return "group DM with " + _join(others)

    def when(self, ts: str, viewer: str) -> str:
        person = self.state.people.get(viewer)
        zone = ZoneInfo(person.tz if person else "UTC")
        return datetime.fromtimestamp(float(ts), zone).strftime("%a %d %b %H:%M")

    # -- messages ------------------------------------------------------------------------------
    def message(self, msg: Message, viewer: str) -> tuple[Text, Text, list[Pressable]]:
        """(heading, body, buttons): print the body with `indented`."""
        head = Text()
        head.append(f"#{msg.number} ", style="bold magenta")
        head.append(self.person(msg.user), style="bold green" if msg.by_app else "bold")
        head.append(f" · {self.where(msg.channel, viewer)} · {self.when(msg.ts, viewer)}", style="dim")
        if msg.ephemeral_to:
            head.append(" · only you can see this", style="dim italic")
        if msg.edited:
            head.append(" · (edited)", style="dim")
        body, buttons = self.blocks(msg.blocks) if msg.blocks else (self.plain(msg.text), [])
        lines = [body] if body.plain else []
        for file in msg.files:
            lines.append(Text(f"📎 {file.get('title') or file.get('name')} — saved to "
                              f"{file.get('path')}", style="cyan"))
        shown = "  ".join(f"{emoji(f':{e}:')} {len(who)}" for e, who in msg.reactions.items() if who)
        if shown:
            lines.append(Text(shown, style="dim"))
        return head, Text("\n").join(lines), buttons

    def plain(self, mrkdwn: str) -> Text:
        return styled(mrkdwn, self.person, self.channel)

    def blocks(self, blocks: list[dict[str, Any]]) -> tuple[Text, list[Pressable]]:
        buttons = pressables(blocks)
        by_action: dict[tuple[str, str], list[Pressable]] = {
            (p.action["block_id"], p.action["action_id"]): [] for p in buttons}
        for p in buttons:
            by_action[(p.action["block_id"], p.action["action_id"])].append(p)
        parts: list[Text] = []
        self._inputs = 0  # a message's boxes are numbered for `set <n>`, in reading order
        for index, block in enumerate(blocks):
            block_id = str(block.get("block_id") or f"b{index}")
            part = self.block(block, block_id, by_action)
            if part is not None:
                parts.append(part)
        return Text("\n").join(parts), buttons

    def block(self, block: dict[str, Any], block_id: str,
              by_action: dict[tuple[str, str], list[Pressable]]) -> Text | None:
        kind = block.get("type")
        if kind == "section":
            out = self.plain(_text_of(block.get("text")))
            for field in block.get("fields") or []:
                out.append("\n")
                out.append_text(self.plain(_text_of(field)))
            accessory = block.get("accessory")
            if isinstance(accessory, dict):
                extra = self._element(accessory, block_id, by_action)
                if extra is not None:
                    out.append("\n")
                    out.append_text(extra)
            return out
        if kind == "header":
            return Text(self.text(_text_of(block.get("text"))), style="bold underline")
        if kind == "divider":
            return Text(RULE, style="dim")
        if kind == "context":
            out = Text(style="dim")
            for element in block.get("elements") or []:
                if element.get("type") == "image":
                    out.append(f"[image: {element.get('alt_text', '')}] ")
                else:
                    out.append_text(self.plain(_text_of(element)))
                    out.append(" ")
            out.rstrip()
            return out
        if kind == "image":
            return Text(f"[image: {block.get('alt_text', '')}] {block.get('image_url', '')}", style="cyan")
        if kind == "actions":
            pieces = [self._element(e, block_id, by_action) for e in block.get("elements") or []]
            return Text("  ").join(p for p in pieces if p is not None)
        if kind == "rich_text":
            return Text(_rich_text(block))
        if kind == "input":  # a box to type in, in a message: `set` fills it before a press
            self._inputs += 1
            optional = " (optional)" if block.get("optional") else ""
            return Text(f"✎ {self.text(_text_of(block.get('label')))}{optional} — type in it "
                        f"with `set {self._inputs} <text>`, then press a button", style="dim")
        return None

    def _element(self, element: dict[str, Any], block_id: str,
                 by_action: dict[tuple[str, str], list[Pressable]]) -> Text | None:
        kind = element.get("type")
        mine = by_action.get((block_id, str(element.get("action_id", ""))), [])
        if kind == "button" and mine:
            style = {"primary": "bold green", "danger": "bold red"}.get(str(element.get("style")), "bold")
            return Text(f"[{mine[0].number}] {self.text(mine[0].label)}", style=style)
        if kind in ("static_select", "overflow", "radio_buttons") and mine:
            out = Text(self.text(_text_of(element.get("placeholder")) or "Choose") + " ", style="dim")
            out.append("  ".join(f"[{p.number}] {self.text(p.label)}" for p in mine), style="bold")
            return out
        if kind == "image":
            return Text(f"[image: {element.get('alt_text', '')}]", style="cyan")
        return None


def indented(console: Console, text: Text, indent: int = 3) -> Text:
    """`text` wrapped to the console and indented, without trailing spaces (transcripts)."""
    out = Text()
    for i, line in enumerate(text.wrap(console, max(20, console.width - indent))):
        if i:
            out.append("\n")
        line.rstrip()
        out.append(" " * indent)
        out.append_text(line)
    return out


def _rich_text(block: dict[str, Any]) -> str:
    pieces: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                pieces.append(str(node.get("text", "")))
            for child in node.get("elements") or []:
                walk(child)

    walk(block)
    return "".join(pieces)


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def timestamp() -> str:
    return f"{time.time():.6f}"

"""The browser's face of the sandbox: the same session as the terminal's (bot/sandbox/session.py)
and the same engine calls (commands, modals, verbs), with what the terminal would print kept
as short notes for the page instead, and what it would show left to the page to draw.

Every click arrives here as one call, done under one lock (one person at one keyboard at a
time, as in the terminal), through `lines.attempt`: a problem becomes one line of explanation,
and the workspace is saved after each, so the terminal can resume it."""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.text import Text

from bot.sandbox import commands, modals, verbs
from bot.sandbox.lines import SLASHED, attempt
from bot.sandbox.render import Pressable
from bot.sandbox.session import LineError, Sandbox
from bot.sandbox.state import Message, View
from bot.sandbox.web import fields
from bot.sandbox.web.fields import Form, Refused
from bot.sandbox.workspace import Workspace

KEPT_NOTES = 60
HOME, CONVERSATION = "home", "conversation"


@dataclass(frozen=True)
class Note:
    """One line the sandbox said about something done (what the terminal would print)."""

    action: int
    text: str
    style: str

    @property
    def tone(self) -> str:
        if "red" in self.style:
            return "error"
        if "yellow" in self.style:
            return "warning"
        if "green" in self.style:
            return "good"
        return "dim" if "dim" in self.style else "plain"


class WebFace(Sandbox):
    keeps_closing_views = True  # a modal's closing message stays until the person closes it

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace, Console(file=io.StringIO(), width=100, color_system=None))
        self.lock = threading.RLock()  # one thing done at a time
        self._notes_lock = threading.Lock()
        self.notes: deque[Note] = deque(maxlen=KEPT_NOTES)
        self.action = 0  # counts things done: the page's notes belong to the latest
        self.version = 0  # bumped by everything done here (the simulated Slack counts its own)
        self.tab: dict[str, str] = {}  # person -> HOME or CONVERSATION (the Home tab is not a conversation)

    # -- what the terminal would print --------------------------------------------------------
    def out(self, text: Text, indent: int = 0) -> None:
        with self._notes_lock:
            self.notes.append(Note(self.action, text.plain.strip(), str(text.style or "")))

    def show(self, msg: Message, viewer: str | None = None) -> None:
        pass  # the page draws the conversation itself

    def show_home(self, person: Any) -> None:
        pass

    def show_modal(self, view: View) -> None:
        modals.offer_options(self, view)  # a time zone is picked from a menu here, not typed

    def changed_for_me(self, kind: str, msg: Message) -> None:
        pass  # drawn in its conversation; new until the person opens it there

    def saw(self, msg: Message) -> None:
        pass

    def mark_seen(self, person: Any) -> None:
        pass

    def latest_notes(self) -> list[Note]:
        with self._notes_lock:
            return [n for n in self.notes if n.action == self.action]

    def version_key(self) -> str:
        """Changes whenever anything on the page may have: the page polls it."""
        return f"{self.ws.slack.version}.{self.version}"

    # -- doing things -------------------------------------------------------------------------
    def do(self, what: str, call: Any, *args: Any) -> bool:
        """One thing the person did, done as the terminal does it; False if it failed (the
        reason is among the latest notes)."""
        with self.lock:
            self.action += 1
            try:
                return attempt(self, what, lambda: call(*args))
            finally:
                self.version += 1

    def send(self, text: str) -> None:
        """The message box: a slash command (Mutual's, or the sandbox's /as and /time), or a
        message in the conversation the person is in."""
        text = text.strip()
        if not text:
            raise LineError("Type a message, or a command such as /thanks @bob for the review.")
        word, _, rest = text.partition(" ")
        if word.lower().startswith("/") and word.lower()[1:] in SLASHED:
            (verbs.switch if word.lower() == "/as" else verbs.move_time)(self, rest)
        elif word.startswith("/"):
            commands.slash(self, text)
        else:
            self.tab[self.me.id] = CONVERSATION
            commands.say(self, text)

    def react(self, number: int, emoji: str) -> None:
        """A reaction clicked: added, or taken back if it was the person's own."""
        msg = self.state.message(number)
        mine = msg is not None and self.me.id in msg.reactions.get(emoji, [])
        (commands.unreact if mine else commands.react)(self, f":{emoji}: {number}")

    def press(self, surface: str, number: int, at: str, picked: list[str], form: Form,
              shown: str = "") -> None:
        """A button, menu, picker or choice used in a message, the Home tab or the modal."""
        me = self.me
        if surface == "message":
            msg = self._visible(number)
            if shown and shown != blocks_key(msg.blocks):
                raise LineError("That message has changed since you saw it; have another look.")
            blocks = msg.blocks
            if any(b.get("type") == "input" for b in blocks):  # boxes typed in travel along
                self.drafts[(me.id, number)] = self._values(View(f"message-{number}", me.id,
                                                                 {"blocks": blocks}), form)
        elif surface in ("home", "modal"):
            view = (self.state.homes if surface == "home" else self.state.modals).get(me.id)
            if view is None:
                raise LineError("That view has closed.")
            if shown and shown != blocks_key(view.view.get("blocks") or []):
                raise LineError("That view has changed since you saw it; have another look.")
            blocks = view.view.get("blocks") or []
            if surface == "modal":
                view.values = self._values(view, form, partial=True)
        else:
            raise LineError("Nothing to press there.")
        try:
            element, block_id = fields.element_at(blocks, at)
            action = fields.action(element, block_id, picked, self.state)
        except Refused as e:
            raise LineError(str(e)) from None
        label = _label(element, action)
        commands.send_press(self, Pressable(0, label, action), surface, number)

    def submit(self, form: Form) -> None:
        view = self.state.modals.get(self.me.id)
        if view is None:
            raise LineError("That modal has closed.")
        view.values = self._values(view, form)
        modals.submit(self)

    def close_modal(self) -> None:
        """× : the modal closes, every view of it (Slack tells Mutual if it asked)."""
        view = self.state.modals.get(self.me.id)
        if view is not None:
            view.stack.clear()
            view.stacked_values.clear()
            modals.close(self)

    def back(self) -> None:
        """Back, on a view Mutual pushed: the one under it again (Slack tells Mutual nothing)."""
        view = self.state.modals.get(self.me.id)
        if view is None or not view.stack:
            self.close_modal()
            return
        view.view, view.errors = view.stack.pop(), {}
        view.values = view.stacked_values.pop() if view.stacked_values else {}

    def shortcut(self, name: str, number: int | None) -> None:
        commands.shortcut(self, f'"{name}"' + (f" {number}" if number else ""))

    def become(self, person_id: str) -> None:
        person = self.state.people.get(person_id)
        verbs.switch(self, person.name if person else person_id)

    def go(self, conversation: str) -> None:
        """Open a conversation in the sidebar (nothing is sent: Slack tells apps nothing)."""
        app_dm = self.state.app_dm_of(self.me.id)  # opened on first use, as the app's Messages tab
        conv = app_dm if conversation == app_dm.id else self.state.conversations.get(conversation)
        if conv is None or self.me.id not in conv.members:
            raise LineError("You're not in that conversation.")
        self.state.where[self.me.id] = conv.id
        self.tab[self.me.id] = CONVERSATION

    def home(self) -> None:
        self.tab[self.me.id] = HOME
        verbs.home(self)

    def move_time(self, when: str) -> None:
        verbs.move_time(self, when)

    def slack(self, args: str) -> None:
        verbs.slack(self, args)

    # -- helpers ------------------------------------------------------------------------------
    def _visible(self, number: int) -> Message:
        msg = self.state.message(number)
        if msg is None or not msg.visible_to(self.me.id) or not self._member(self.me, msg):
            raise LineError(f"You can't see a message #{number}.")
        return msg

    def _values(self, view: View, form: Form, partial: bool = False) -> dict[str, Any]:
        try:
            return fields.state_values(view, form, self.state)
        except Refused as e:
            if partial:  # a press inside a modal carries what can be read of it
                return view.values
            raise LineError(str(e)) from None


def blocks_key(blocks: list[dict[str, Any]]) -> str:
    """A short fingerprint of what a message or view showed, so a click on something since
    replaced is refused instead of pressing whatever now sits in its place."""
    return hashlib.sha1(json.dumps(blocks, sort_keys=True).encode(), usedforsecurity=False).hexdigest()[:12]


def _label(element: dict[str, Any], action: dict[str, Any]) -> str:
    option = action.get("selected_option")
    if isinstance(option, dict):
        return str((option.get("text") or {}).get("text", ""))
    text = element.get("text") or element.get("placeholder") or {}
    return str(text.get("text", "")) if isinstance(text, dict) else ""

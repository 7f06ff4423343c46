"""One person at a keyboard in the simulated workspace: who they are, where they are, what
they have seen, and what to show after each line (what reached them, in full; what reached
others, in one line each)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.text import Text

from bot.blocks.checks import ack_problems
from bot.sandbox import forms
from bot.sandbox.render import Pressable, Renderer, indented, pressables
from bot.sandbox.state import BOT_USER_ID, Conversation, Message, Person, View
from bot.sandbox.workspace import Reply, Workspace


class LineError(Exception):
    """This line could not be done; the message says why, in one line."""


class Sandbox:
    # A modal Mutual answers with a closing message (no fields, no submit button) stays open
    # until the person closes it, as in Slack; the terminal prints it once and closes it.
    keeps_closing_views = False

    def __init__(self, workspace: Workspace, console: Console, raw: bool = False) -> None:
        self.ws = workspace
        self.state = workspace.state
        self.console = console
        self.raw = raw
        self.render = Renderer(self.state)
        self.surface: dict[str, tuple[str, int]] = {}  # person -> ("message", n) | ("home", 0)
        self.pending_confirm: tuple[Pressable, Any] | None = None
        # (person, message number) -> what they typed in that message's input blocks
        self.drafts: dict[tuple[str, int], dict[str, dict[str, dict[str, Any]]]] = {}
        self._calls_shown = len(workspace.slack.calls)
        self._sent_shown = len(workspace.sent)

    # -- who and where -----------------------------------------------------------------------
    @property
    def me(self) -> Person:
        return self.state.people[self.state.me]

    def here(self, person: Person | None = None) -> Conversation:
        person = person or self.me
        conv = self.state.conversations.get(self.state.where.get(person.id, ""))
        return conv if conv is not None else self.state.conversations["CGENERAL"]

    def person(self, handle: str) -> Person:
        found = self.state.person_named(handle)
        if found is None:
            raise LineError(f"There's no {handle} in this workspace. `people` lists everyone.")
        return found

    def local(self, person: Person | None = None, at: datetime | None = None) -> datetime:
        person = person or self.me
        return (at or self.ws.clock()).astimezone(ZoneInfo(person.tz))

    def prompt(self) -> str:
        modal = self.state.modals.get(self.me.id)
        form = f" [{forms_title(modal)}]" if modal else ""
        return f"{self.me.name}{form} · {self.local():%a %d %b %H:%M} ({self.me.tz}) > "

    # -- printing ----------------------------------------------------------------------------
    def out(self, text: Text, indent: int = 0) -> None:
        """Print wrapped to the terminal, with no trailing spaces (transcripts are compared)."""
        self.console.print(indented(self.console, text, indent), soft_wrap=True)

    def say(self, text: str, style: str = "") -> None:
        self.out(Text(text, style=style))

    def note(self, text: str) -> None:
        self.say(text, "dim")

    def show(self, msg: Message, viewer: str | None = None) -> None:
        viewer = viewer or self.me.id
        head, body, buttons = self.render.message(msg, viewer)
        self.console.print(head, soft_wrap=True)
        if body.plain:
            self.out(body, 3)
        if buttons and viewer == self.me.id:
            self.surface[viewer] = ("message", msg.number)

    def show_home(self, person: Person) -> None:
        home = self.state.homes.get(person.id)
        if home is None:
            self.note(f"{person.name}'s Home tab is empty: Mutual hasn't published one yet.")
            return
        body, buttons = self.render.blocks(home.view.get("blocks") or [])
        self.say(f"⌂ {person.name}'s Home tab in Mutual", "bold green")
        self.out(body, 3)
        if buttons:
            self.surface[person.id] = ("home", 0)

    def show_modal(self, view: View) -> None:
        self.out(forms.render(view, self.render))

    # -- Mutual's answers --------------------------------------------------------------------
    def check(self, reply: Reply, what: str) -> dict[str, Any]:
        """Mutual's HTTP answer: a 5xx fails the line, as Slack would show an error."""
        if reply.status >= 500:
            raise LineError(f"Mutual answered {what} with HTTP {reply.status}; Slack would show "
                            "the person an error (events are retried by Slack).")
        if reply.status >= 400:
            raise LineError(f"Mutual refused {what} with HTTP {reply.status}: {reply.body[:120]}")
        if not reply.body.strip():
            return {}
        try:
            body = json.loads(reply.body)
        except ValueError:
            return {"text": reply.body}
        problems = ack_problems(body)
        if problems:
            raise LineError(f"Slack would refuse Mutual's answer to {what}: {'; '.join(problems[:3])}")
        return body if isinstance(body, dict) else {}

    def post_reply(self, body: dict[str, Any], conv: Conversation) -> None:
        """A command's immediate answer: only the person sees it, unless it is `in_channel`."""
        if not (body.get("text") or body.get("blocks")):
            return
        public = body.get("response_type") == "in_channel"
        with self.ws.slack.lock:
            self.ws.slack.methods.add(conv, BOT_USER_ID, body, None if public else self.me.id)

    def settle_and_report(self) -> None:
        self.ws.settle()
        self.report()

    def report(self) -> None:
        """Everything that changed since the last line: shown in full when it is for the
        current person, announced in one line when it is for someone else."""
        if self.raw:
            self._show_raw()
        changes = self.ws.slack.take_changes()
        others: Counter[tuple[str, str]] = Counter()
        shown: set[tuple[str, Any]] = set()
        for kind, what in changes:
            if (kind, what) in shown:
                continue
            shown.add((kind, what))
            if kind in ("new", "updated", "deleted"):
                self._message_change(kind, int(what), others)
            elif kind == "modal":
                self._modal_change(str(what))
        for (name, where), count in sorted(others.items()):
            self.note(f"· {count} new {where}{'s' if count > 1 else ''} for {name}")
        for problem in self.ws.problems.take():
            self.say(f"· Mutual logged: {problem}", "yellow")

    def _message_change(self, kind: str, number: int, others: Counter[tuple[str, str]]) -> None:
        msg = self.state.message(number)
        if msg is None:
            return
        if kind == "deleted":
            if msg.ephemeral_to in (None, self.me.id) and self._member(self.me, msg):
                self.changed_for_me(kind, msg)
            return
        if msg.visible_to(self.me.id) and self._member(self.me, msg):
            self.changed_for_me(kind, msg)
            return
        if kind != "new":
            return
        for person_id in self._audience(msg):
            if person_id != self.me.id:
                where = "DM" if self._is_app_dm(msg.channel) else "message"
                others[(self.render.person(person_id), where)] += 1

    def changed_for_me(self, kind: str, msg: Message) -> None:
        """A message the current person can see was added, updated or deleted: the terminal
        shows it where the person is typing (the browser shows it in its conversation)."""
        if kind == "deleted":
            self.note(f"#{msg.number} was deleted.")
            return
        if kind == "updated":
            self.note(f"#{msg.number} was updated:")
        self.show(msg)
        self.saw(msg)

    def saw(self, msg: Message) -> None:
        """The current person has seen `msg` (and, in the terminal, all before it)."""
        self.state.seen[self.me.id] = max(self.state.seen.get(self.me.id, 0), msg.number)

    def _audience(self, msg: Message) -> list[str]:
        if msg.ephemeral_to:
            return [msg.ephemeral_to]
        conv = self.state.conversations.get(msg.channel)
        if conv is None or conv.kind == "channel":
            return []  # channel posts: everyone sees them when they look at the channel
        return [p for p in conv.people if p != msg.user]

    def _member(self, person: Person, msg: Message) -> bool:
        conv = self.state.conversations.get(msg.channel)
        return conv is not None and person.id in conv.members

    def _is_app_dm(self, channel: str) -> bool:
        conv = self.state.conversations.get(channel)
        return conv is not None and conv.kind == "im" and BOT_USER_ID in conv.members

    def _modal_change(self, user: str) -> None:
        view = self.state.modals.get(user)
        if view is None:
            return
        if user == self.me.id:
            self.show_modal(view)
        else:
            self.note(f"· a modal opened for {self.render.person(user)}")

    def _show_raw(self) -> None:
        sent = self.ws.sent[self._sent_shown:]
        self._sent_shown = len(self.ws.sent)
        for body in sent:
            shown = unquote_plus(body) if body.startswith(("payload=", "token=")) else body
            self.console.print(Text(f"⇢ POST /slack/events (signed) {shown}", style="magenta"), soft_wrap=True)
        calls = self.ws.slack.calls[self._calls_shown:]
        self._calls_shown = len(self.ws.slack.calls)
        for call in calls:
            params = {k: v for k, v in call.params.items() if k != "token"}
            self.console.print(Text(f"→ {call.method} {json.dumps(params, ensure_ascii=False)}",
                                    style="blue"), soft_wrap=True)
        for note in self.ws.slack.notes:
            self.console.print(Text(f"· {note}", style="yellow"))
        self.ws.slack.notes.clear()

    # -- what is unseen ----------------------------------------------------------------------
    def unseen(self, person: Person) -> list[Message]:
        return [m for m in self.state.messages
                if self.state.is_new_to(person.id, m) and m.visible_to(person.id)
                and self._member(person, m) and m.user != person.id]

    def mark_seen(self, person: Person) -> None:
        self.state.seen[person.id] = self.state.next_number - 1

    # -- pressing ----------------------------------------------------------------------------
    def pressable_surface(self) -> tuple[str, int, list[Pressable]]:
        """The last thing with buttons the current person saw: a message, or their Home tab."""
        where = self.surface.get(self.me.id)
        if where is None:
            for msg in reversed(self.state.messages):
                if msg.visible_to(self.me.id) and self._member(self.me, msg) and pressables(msg.blocks):
                    where = ("message", msg.number)
                    break
        if where is None:
            raise LineError("Nothing you've seen has buttons to press yet.")
        if where[0] == "home":
            home = self.state.homes.get(self.me.id)
            return "home", 0, pressables(home.view.get("blocks") or []) if home else []
        pressed = self.state.message(where[1])
        if pressed is None or not pressed.visible_to(self.me.id):
            raise LineError(f"Message #{where[1]} is gone.")
        return "message", pressed.number, pressables(pressed.blocks)


def forms_title(view: View) -> str:
    return str((view.view.get("title") or {}).get("text", "modal"))

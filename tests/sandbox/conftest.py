"""A sandbox in this process (its own SQLite file and simulated Slack), and a way to type into
it and read what a person would see."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from bot.sandbox.lines import run_line
from bot.sandbox.session import Sandbox
from bot.sandbox.state import Message
from bot.sandbox.workspace import Workspace


@dataclass(frozen=True)
class Seen:
    """A message as one person has it now: when it arrived in their own time, its words, its
    buttons (none once it says it has ended)."""

    number: int
    at: datetime
    text: str
    buttons: list[str]
    edited: bool
    where: str


class Typist:
    def __init__(self, sb: Sandbox, out: io.StringIO) -> None:
        self.sb = sb
        self.out = out

    def type(self, *lines: str) -> str:
        """Run the lines; what they printed. Fails the test if a line fails."""
        start = self.out.tell()
        for line in lines:
            assert run_line(self.sb, line), f"{line!r} failed:\n{self.out.getvalue()[start:]}"
        return self.out.getvalue()[start:]

    def seen_by(self, name: str, where: str = "dm") -> list[Seen]:
        """What `name` has from Mutual: in their DM with it (`dm`), in a channel (`#general`),
        or everywhere they can see (`all`), oldest first."""
        state = self.sb.state
        person = self.sb.person(name)
        if where == "dm":
            channels = {state.app_dm_of(person.id).id}
        elif where.startswith("#"):
            conv = state.channel_named(where)
            assert conv is not None, where
            channels = {conv.id}
        else:
            channels = {c.id for c in state.conversations.values() if person.id in c.members}
        return [self._seen(m, person.id) for m in state.messages
                if m.channel in channels and m.by_app and m.visible_to(person.id)]

    def _seen(self, msg: Message, viewer: str) -> Seen:
        head, body, buttons = self.sb.render.message(msg, viewer)
        zone = ZoneInfo(self.sb.state.people[viewer].tz)
        return Seen(msg.number, datetime.fromtimestamp(float(msg.ts), zone), body.plain,
                    [b.label for b in buttons], msg.edited,
                    self.sb.render.where(msg.channel, viewer))

    def saying(self, name: str, words: str, where: str = "dm") -> list[Seen]:
        """The messages `name` has from Mutual that contain `words`."""
        return [s for s in self.seen_by(name, where) if words in s.text]

    def fails(self, line: str) -> str:
        """Run a line that must fail; its one-line explanation."""
        start = self.out.tell()
        assert not run_line(self.sb, line), f"{line!r} should have failed"
        return self.out.getvalue()[start:]


@pytest.fixture
def typist(tmp_path: Path) -> Iterator[Typist]:
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, highlight=False)
    workspace = Workspace(tmp_path / "sandbox.db", fresh=True)
    try:
        yield Typist(Sandbox(workspace, console), out)
    finally:
        workspace.close()

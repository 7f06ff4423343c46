"""A sandbox in this process (its own SQLite file and simulated Slack), and a way to type into
it and read what a person would see."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from bot.sandbox.lines import run_line
from bot.sandbox.session import Sandbox
from bot.sandbox.workspace import Workspace


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

"""`mutual sandbox [--script FILE] [--db PATH] [--fresh] [--raw] [--web [--port N]]`: start
the simulated workspace, then the prompt, the script, or the page in a browser."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from bot.sandbox.session import Sandbox

DEFAULT_DB = "mutual-sandbox.db"
SCRIPT_WIDTH = 100


def run_sandbox(script: str | None, db: str | None, fresh: bool, raw: bool, web: bool = False,
                port: int = 8000) -> int:
    if web:
        if script is not None:
            print("mutual: --web and --script don't go together: a script runs in the terminal",
                  file=sys.stderr)
            return 2
        from bot.sandbox.web.serve import serve

        return serve(Path(db or DEFAULT_DB), fresh, port)
    lines: list[str] | None = None
    if script is not None:
        try:
            lines = Path(script).read_text(encoding="utf-8").splitlines()
        except OSError as e:
            print(f"mutual: can't read the script {script}: {e.strerror}", file=sys.stderr)
            return 2
    if db is None and script is not None:
        # A script runs in a fresh workspace of its own, so a tour reads the same every time.
        path, fresh = Path(tempfile.mkdtemp(prefix="mutual-sandbox-")) / DEFAULT_DB, True
    else:
        path = Path(db or DEFAULT_DB)
    interactive = lines is None and sys.stdin.isatty() and sys.stdout.isatty()
    console = Console(highlight=False, soft_wrap=False,
                      width=None if sys.stdout.isatty() else SCRIPT_WIDTH)
    from bot.sandbox.lines import run_line
    from bot.sandbox.session import Sandbox
    from bot.sandbox.workspace import Workspace

    try:
        workspace = Workspace(path, fresh=fresh)
    except OSError as e:
        print(f"mutual: the sandbox could not start at {path}: {e}", file=sys.stderr)
        return 2
    sb = Sandbox(workspace, console, raw=raw)
    try:
        _welcome(sb)
        if lines is not None:
            return run_script(sb, lines)
        if interactive:
            from bot.sandbox.repl import interactive as prompt

            return prompt(sb)
        # stdin is a pipe: read it like a script, without stopping at a failed line.
        failed = False
        for line in sys.stdin:
            if line.strip().lower() in ("quit", "exit"):
                break
            sb.out(Text(sb.prompt(), style="bold") + Text(line.rstrip("\n")))
            failed |= not run_line(sb, line)
        return 1 if failed else 0
    except KeyboardInterrupt:
        return 130
    finally:
        workspace.close()


def run_script(sb: Sandbox, lines: list[str]) -> int:
    """Each line echoed after the prompt, then what it caused; stops at the first failure."""
    from bot.sandbox.lines import QUIT, run_line

    for number, raw_line in enumerate(lines, start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower() in QUIT:
            break
        sb.console.print()
        sb.out(Text(sb.prompt(), style="bold") + Text(line))
        if not run_line(sb, line):
            sb.say(f"The script stopped at line {number}.", "bold red")
            return 1
    return 0


def _welcome(sb: Sandbox) -> None:
    ws = sb.ws
    sb.out(Text("Mutual sandbox", style="bold green") + Text(
        " — a simulated Slack workspace on this machine. Mutual itself is real: its code, its "
        "database and its scheduler; Slack and the clock are simulated."))
    how = "resumed" if ws.resumed else "a new workspace"
    sb.note(f"Database {ws.paths.db} ({how}); files Mutual shares are saved in {ws.paths.files}.")
    sb.note("Type `help` for what you can do; Tab completes commands, @names and buttons.")
    if not ws.resumed:
        general = [m for m in sb.state.messages if m.channel == "CGENERAL"]
        sb.say("You're alice, in #general:", "bold")
        for msg in general:
            sb.show(msg)

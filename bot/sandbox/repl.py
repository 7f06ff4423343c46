"""The interactive prompt (prompt_toolkit): who you are and the simulated time in the prompt,
Tab completion of commands, names, channels, buttons and form fields; Ctrl-C cancels the line,
Ctrl-D or `quit` leaves."""

from __future__ import annotations

from collections.abc import Iterable

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory

from bot.sandbox import forms
from bot.sandbox.lines import QUIT, VERBS, run_line
from bot.sandbox.manifest import COMMANDS, SHORTCUTS
from bot.sandbox.session import LineError, Sandbox

MUTUAL_WORDS = ["me", "with", "intros", "summary", "nudges", "snooze", "export", "forget", "config", "help"]
EMOJI = [":pray:", ":raised_hands:", ":heart_hands:", ":thankyou:", ":tada:", ":eyes:"]
SLACK_WORDS = ["down", "up", "429", "fail", "slow", "reset", "status"]


class SandboxCompleter(Completer):
    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        word = document.get_word_before_cursor(WORD=True)
        for choice in self._choices(text, word):
            if choice.lower().startswith(word.lower()) and choice != word:
                yield Completion(choice, start_position=-len(word))

    def _choices(self, text: str, word: str) -> list[str]:
        state = self.sb.state
        names = [f"@{p.name}" for p in state.people.values() if not p.is_bot]
        channels = [f"#{c.name}" for c in state.conversations.values() if c.kind == "channel"]
        if word.startswith("@"):
            return names
        if word.startswith("#"):
            return channels
        words = text.split()
        if len(words) == 0 or (len(words) == 1 and not text.endswith(" ")):
            return sorted([*VERBS, *COMMANDS, "/as", "/time", "quit"])
        first = words[0].lower()
        if first in ("as", "/as", "inbox"):
            return [p.name for p in state.people.values() if not p.is_bot and not p.deleted]
        if first == "/mutual" and len(words) <= 2:
            return MUTUAL_WORDS
        if first in ("react", "unreact"):
            return EMOJI
        if first == "channel":
            return channels
        if first == "dm":
            return names
        if first == "slack":
            return SLACK_WORDS
        if first == "shortcut":
            return [f'"{name}"' for name in SHORTCUTS]
        if first == "press":
            return self._buttons()
        if first == "set":
            view = state.modals.get(state.me)
            return [str(f.number) for f in forms.fields(view)] if view else []
        return []

    def _buttons(self) -> list[str]:
        try:
            _, _, buttons = self.sb.pressable_surface()
        except LineError:
            return []
        return [b.label for b in buttons] + [str(b.number) for b in buttons]


def interactive(sb: Sandbox) -> int:
    session: PromptSession[str] = PromptSession(history=InMemoryHistory(),
                                                completer=SandboxCompleter(sb),
                                                complete_while_typing=False)
    while True:
        try:
            line = session.prompt(sb.prompt())
        except KeyboardInterrupt:
            continue  # Ctrl-C: this line is dropped, the prompt comes back
        except EOFError:
            break
        if line.strip().lower() in QUIT:
            break
        run_line(sb, line)
    sb.note("Bye — your sandbox is saved; `mutual sandbox` picks up where you left off.")
    return 0

"""`/mutual <subcommand>`: a table of subcommands; anything unknown gets the help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.help import build_help
from bot.listeners.commands import mutual_nudges as nudges
from bot.listeners.commands import mutual_views as views
from bot.listeners.commands.mutual_asks import asks
from bot.listeners.commands.mutual_intros import intros
from bot.listeners.deps import Deps, team, typed
from bot.payloads.commands import SlashCommand
from bot.services.parsing import first_word

# (deps, client, team_id, command payload, the text after the subcommand) -> ack body
SubCommand = Callable[[Deps, WebClient, str, SlashCommand, str], dict[str, Any]]


def _help(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> dict[str, Any]:
    return build_help()


SUBCOMMANDS: dict[str, SubCommand] = {
    "": _help,
    "help": _help,
    "intros": intros,
    "me": views.me,
    "with": views.with_,
    "summary": views.summary,
    "export": views.export,
    "forget": views.forget,
    "config": views.config,
    "nudges": nudges.nudges,
    "snooze": nudges.snooze,
    "asks": asks,
}


def register(app: App, deps: Deps) -> None:
    @app.command("/mutual")
    def mutual(ack: Ack, client: WebClient, context: BoltContext) -> None:
        command = typed(context, SlashCommand)
        word, rest = first_word(command.text)
        handler = SUBCOMMANDS.get(word)
        if handler is None:
            ack(**build_help(f"I don't know `/mutual {word}` — here's what I can do:"))
            return
        ack(**handler(deps, client, team(context), command, rest))

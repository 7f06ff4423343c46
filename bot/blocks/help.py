"""`/mutual help`: how to use every command."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import context, message, section

USAGE = [
    ("/thanks @alex [@sam …] for <what>", "thank people who helped you"),
    ("/helped @alex <what you did>", "record help you gave; they confirm it"),
    ("/intro @alex @sam <why>", "introduce two people, once both agree"),
    ("/intro request @connector @target <why>", "ask someone for an introduction"),
    ("/mutual me", "your last 90 days: given, received, two-way and one-sided"),
    ("/mutual with @alex", "your history with one person"),
    ("/mutual intros", "your open introductions"),
    ("/mutual summary", "the team summary (admins: `summary post`)"),
    ("/mutual nudges off | on", "stop or resume private suggestions"),
    ("/mutual snooze <days>", "pause suggestions for a while"),
    ("/mutual export", "your records as a CSV file, by DM"),
    ("/mutual forget", "erase your name and notes from Mutual"),
    ("/mutual config", "workspace settings (admins)"),
    ("/ask <what you need>", "ask this channel for help; whoever offers, you hear privately"),
    ("/offer <what you can help with>", "what people can ask you about (`/offer` lists yours)"),
    ("/mutual asks", "your open asks, and offers you've made"),
]


def build_help(prefix: str | None = None) -> dict[str, Any]:
    lines = "\n".join(f"`{cmd}` — {what}" for cmd, what in USAGE)
    blocks = []
    if prefix:
        blocks.append(section(prefix))
    blocks += [
        section("*Mutual keeps your working relationships two-way.*\n" + lines),
        context("React with :pray: :raised_hands: :heart_hands: or :thankyou: to thank a "
                "message's author, or use *This helped me* from a message's ⋯ menu."),
    ]
    text = (prefix + " " if prefix else "") + "Mutual commands: " + "; ".join(c for c, _ in USAGE)
    return {"response_type": "ephemeral", **message(text, blocks)}

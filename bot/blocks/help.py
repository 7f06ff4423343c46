"""`/mutual help`: how to use every command."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import context, escape, message, section

USAGE = [
    ("/thanks @alex [@sam …] for <what>", "thank people who helped you (records help you received)"),
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
    # "<what>" in a usage line is a placeholder, not a Slack link: escaped like any text.
    lines = "\n".join(f"`{escape(cmd)}` — {what}" for cmd, what in USAGE)
    prefix = escape(prefix) if prefix else None  # it may quote what the person typed
    blocks = []
    if prefix:
        blocks.append(section(prefix))
    blocks += [
        section("*Mutual keeps your working relationships two-way.*\n" + lines),
        context("React with :pray: :raised_hands: :heart_hands: or :thankyou: to thank a "
                "message's author, or use *This helped me* from a message's ⋯ menu."),
        context("A thank-you records help you received. Helping back — an offer on someone's "
                "`/ask`, help you record with `/helped` — is what makes it two-way."),
    ]
    text = (prefix + " " if prefix else "") + "Mutual commands: " + "; ".join(escape(c) for c, _ in USAGE)
    return {"response_type": "ephemeral", **message(text, blocks)}


def build_hello(mentioned: bool) -> dict[str, Any]:
    """To someone who wrote to Mutual directly (its Messages tab) or @mentioned it: Mutual
    does not read conversations, so it says, briefly, how to reach it."""
    where = "Thanks for the mention" if mentioned else "Hi"
    text = (f"{where}! I don't read messages, but I'm happy to help: `/thanks @someone for …` "
            "records help you received, `/intro @a @b why` introduces two people, and "
            "`/mutual me` shows your own give-and-take. `/mutual help` lists everything.")
    return message(text, [section(f":wave: {text}"),
                          context("Only you can see this." if mentioned else
                                  "Your App Home tab shows your relationships at a glance.")])

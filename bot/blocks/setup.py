"""Setting Mutual up: the welcome DM to the admin who installed it, the checklist at the top of
an admin's Home until set-up is done, Mutual's hello in the channel chosen for the summary,
and word when it could not join that channel."""

from __future__ import annotations

from typing import Any

from bot import constants as ids
from bot.blocks.channel import CHANNEL_ID, channel_problem_text
from bot.blocks.kit import Block, actions, button, context, escape, message, plain, section
from bot.blocks.me import cap_blocks
from bot.services.settings import WEEKDAYS, WorkspaceConfig
from bot.services.setup import SetupLeft

HOME_BLOCKS_MAX = 100
DONE, TODO = ":white_check_mark:", ":white_large_square:"


def summary_when(config: WorkspaceConfig) -> str:
    """"on Fridays at 16:00 (Europe/London)"."""
    return (f"on {WEEKDAYS[config.summary_weekday]}s at {config.summary_hour:02d}:00 "
            f"({escape(config.timezone)})")


def _channel(channel_id: str) -> str:
    return f"<#{channel_id}>" if CHANNEL_ID.match(channel_id) else "the channel you chose"


def _emoji(config: WorkspaceConfig) -> str:
    return " ".join(f":{escape(name)}:" for name in config.thank_emoji.split(",") if name)


def _open_settings() -> dict[str, Any]:
    return button("Open settings", ids.SETUP_OPEN, "open", style="primary")


def build_welcome(config: WorkspaceConfig) -> dict[str, Any]:
    """The one DM to whoever installed Mutual (or the first admin to use it)."""
    where = (f"now {_channel(config.nudge_channel)}" if config.nudge_channel else
             "nothing is posted in any channel until you pick one")
    text = ("Thanks for adding Mutual! Three choices are yours: where the weekly team summary "
            "goes, when, and which emoji count as a thank-you. Open the settings when you're ready.")
    blocks: list[Block] = [
        section(":wave: *Thanks for adding Mutual.*"),
        section("Mutual keeps your team's working relationships two-way. People record help they "
                "got — `/thanks @someone for …`, a thank-you reaction, or *This helped me* on a "
                "message — and introduce colleagues who both agree to meet. Now and then Mutual "
                "privately suggests a way to give back to someone who keeps helping; it never "
                "ranks anyone, and never names anyone in public who didn't choose it."),
        section("*Three choices are yours:*\n"
                f"• *Where the weekly team summary goes* — {where}.\n"
                f"• *When* — now {summary_when(config)}.\n"
                f"• *Which emoji count as a thank-you* — now {_emoji(config)}."),
        actions(_open_settings(), block_id=ids.SETUP_ACTIONS_BLOCK),
        context("Change them any time with `/mutual config`. Until they're set, your Home tab in "
                "Mutual shows what's left."),
    ]
    return message(text, blocks)


def build_setup_checklist(left: SetupLeft) -> list[Block]:
    """What is left to set up, for the top of an admin's Home."""
    config = left.config
    channel = config.nudge_channel
    if channel and config.channel_problem == channel:
        channel_line = f":warning: {channel_problem_text(channel)}"
    elif channel:
        channel_line = f"{DONE} The summary and digest go to {_channel(channel)}."
    else:
        channel_line = (f"{TODO} *Pick a channel for the weekly summary and digest* — nothing is "
                        "posted until you do.")
    when = summary_when(config)
    when_line = (f"{DONE} The summary goes out {when}." if left.configured else
                 f"{TODO} *Check the day, time and time zone* — now {when}.")
    return [
        {"type": "header", "text": plain("Finish setting up Mutual")},
        section(f"{channel_line}\n{when_line}", block_id=ids.SETUP_BLOCK),
        actions(_open_settings(), block_id=ids.SETUP_ACTIONS_BLOCK),
        context("Only admins see this, until it's done."),
        {"type": "divider"},
    ]


def with_setup(home: dict[str, Any], checklist: list[Block]) -> dict[str, Any]:
    """The Home view with the checklist on top (still within Slack's 100 blocks)."""
    return {**home, "blocks": cap_blocks([*checklist, *home["blocks"]], HOME_BLOCKS_MAX)}


def build_channel_hello(config: WorkspaceConfig) -> dict[str, Any]:
    """Mutual's first post in the channel an admin chose: what will appear there, and when."""
    digest = ", and a short digest on Mondays" if config.digest_enabled else ""
    text = (f"Hello! I'm Mutual. I'll post the team's weekly summary here {summary_when(config)}"
            f"{digest} — counts only: I never name anyone here who didn't choose it.")
    return message(text, [
        section(f":wave: {text}"),
        context("Got help from someone? `/thanks @name for …` records it; only the two of you "
                "see it unless you share it."),
    ])


def build_channel_join_failed(channel_id: str, reason: str) -> dict[str, Any]:
    text = (f"I couldn't join {_channel(channel_id)} to post the weekly summary there (Slack said "
            f"`{escape(reason[:60])}`). Pick another channel with /mutual config.")
    return message(text, [section(f":warning: {text}")])

"""The weekly team summary and the channel digest: counts under the privacy floor, warm, never
a ranking, and naming nobody (PRODUCT.md §4c; the deliverer refuses a channel post that
names anyone). Introducers whose intros connected are thanked in a DM of their own."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import Block, context, escape, message, section
from bot.blocks.me import cap_blocks
from bot.services.concentration import Concentration
from bot.services.summary import PRIVACY_FLOOR, ChannelDigest, Figure, Period, TeamSummary

NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten"}


def period_words(period: Period) -> str:
    first, last = period.days[0], period.days[-1]
    return f"{first:%a %d %b} – {last:%a %d %b}"


def _count(figure: Figure, one: str, many: str) -> str | None:
    if not figure.shown:
        return None
    return f"*{figure.value:,}* {one if figure.value == 1 else many}"


def _lines(*parts: str | None) -> list[str]:
    return [p for p in parts if p]


def build_team_summary(summary: TeamSummary, ephemeral: bool = False) -> dict[str, Any]:
    words = period_words(summary.period)
    blocks: list[Block] = [section(f":seedling: *The week in Mutual* · {words}")]
    week = _lines(
        _count(summary.help, "time someone helped a colleague", "times people helped a colleague"),
        _count(summary.givers, "person gave help", "people gave help"),
        _count(summary.receivers, "person was helped", "people were helped"),
        _count(summary.new_two_way, "relationship became two-way", "relationships became two-way"),
        _count(summary.intros_made, "introduction was offered", "introductions were offered"),
        _count(summary.intros_connected, "introduction connected", "introductions connected"),
    )
    if week:
        blocks.append(section("*This week*\n" + "\n".join(f"• {line}" for line in week)))
    days = summary.window_days
    two, one = summary.two_way, summary.one_way
    relationships = _lines(
        _count(two, "two-way relationship", "two-way relationships"),
        _count(one, "one-way so far", "one-way so far"),
        concentration_line(summary.concentration),
    )
    if relationships:
        blocks.append(section(f"*Over the last {days} days*\n"
                              + "\n".join(f"• {line}" for line in relationships)))
        if one.shown and one.value:
            blocks.append(context("One-way is often just *not yet*: it becomes two-way when "
                                  "help goes back the other way — a hand with an ask, a review, "
                                  "an introduction."))
    if not summary.anything_shown:
        blocks.append(section("A quiet week — or a small one. Figures appear once at least "
                              f"{PRIVACY_FLOOR} people are part of them."))
    else:
        blocks.append(context(f"Figures are shown only where at least {PRIVACY_FLOOR} people "
                              "are involved. Nobody is ranked; giving is not a scoreboard."))
    if ephemeral:
        blocks.append(context("Only you can see this. Admins can post it with "
                              "`/mutual summary post`."))
    text = f"The week in Mutual ({words})" + (
        ": " + "; ".join(line.replace("*", "") for line in week) if week else "")
    reply = message(text, cap_blocks(blocks))
    return {"response_type": "ephemeral", **reply} if ephemeral else reply


# Shares of a whole, as people say them.
FRACTIONS = ((0.1, "a tenth"), (0.2, "a fifth"), (0.25, "a quarter"), (1 / 3, "a third"),
             (0.4, "two fifths"), (0.5, "half"), (0.6, "three fifths"), (2 / 3, "two thirds"),
             (0.75, "three quarters"), (0.8, "four fifths"), (0.9, "nine tenths"), (1.0, "all"))


def share_words(share: float) -> str:
    """0.21 → "about a fifth"; 0.2 → "a fifth"."""
    value, words = min(FRACTIONS, key=lambda f: abs(f[0] - share))
    return words if abs(value - share) < 0.005 else f"about {words}"


def concentration_line(figure: Concentration | None) -> str | None:
    """"Half the people gave two thirds of the help" — never who, and only where each side of
    the share (those who gave it, everyone else) has at least the privacy floor of people: a
    share of a small team picks out the few it describes."""
    if figure is None or not figure.help:
        return None
    if min(figure.top_people, figure.people - figure.top_people) < PRIVACY_FLOOR:
        return None
    people, given = share_words(figure.people_share), share_words(figure.help_share)
    return f"{people[0].upper()}{people[1:]} of the people gave {given} of the help"


def build_digest(digest: ChannelDigest) -> dict[str, Any]:
    words = period_words(digest.period)
    blocks: list[Block] = [section(f":mailbox_with_mail: *This week's Mutual digest* · {words}")]
    figures = _lines(
        _count(digest.waiting, "introduction is waiting for a reply",
               "introductions are waiting for a reply"),
        _count(digest.new_two_way, "relationship became two-way this week",
               "relationships became two-way this week"),
        _count(digest.one_sided, "relationship is one-sided for now",
               "relationships are one-sided for now"),
    )
    if figures:
        blocks.append(section("\n".join(f"• {line}" for line in figures)))
    if digest.waiting.shown and digest.waiting.value:
        blocks.append(context("If one of them is yours, your DMs from Mutual have it — a reply, "
                              "even “not now”, is always welcome."))
    if not figures:
        blocks.append(section("A quiet week — or a small one. Counts appear once at least "
                              f"{PRIVACY_FLOOR} people are part of them."))
    blocks.append(context(f"Counts only, and only where at least {PRIVACY_FLOOR} people are "
                          "involved: nobody is named, here or anywhere else."))
    text = f"This week's Mutual digest ({words})" + (
        ": " + "; ".join(line.replace("*", "") for line in figures) if figures else "")
    return message(text, cap_blocks(blocks))


def build_connector_thanks(period: Period, connected: int) -> dict[str, Any]:
    """To an introducer whose introductions connected this week: privately."""
    made = ("An introduction you made" if connected == 1
            else f"{NUMBER_WORDS.get(connected, f'{connected:,}').capitalize()} introductions you made")
    text = (f"{made} turned into {'a conversation' if connected == 1 else 'conversations'} this "
            "week — thank you for connecting people.")
    return message(text, [section(f":handshake: {text}"),
                          context(f"The week of {period_words(period)}. Only you can see this.")])


def build_summary_posting(channel_id: str, with_chart: bool) -> dict[str, Any]:
    text = (f"Posting this week's summary in <#{channel_id}>"
            + (", with its chart." if with_chart else "."))
    return {"response_type": "ephemeral", **message(text, [section(f":outbox_tray: {text}")])}


def build_post_failed(channel_id: str, error: str) -> dict[str, Any]:
    """To the admin whose `/mutual summary post` could not be posted at all."""
    if error == "private_channel":  # bot.slack.sender.PRIVATE_CHANNEL
        text = (f"I couldn't post the summary in <#{channel_id}>: it's a private channel I "
                "haven't been invited to, so nothing was posted. Invite me there with "
                "`/invite @Mutual`, then try again.")
    else:
        text = (f"I couldn't post the summary in <#{channel_id}> (Slack said "
                f"`{escape(error)}`), so nothing was posted. Please try again in a while.")
    return message(text, [section(f":warning: {text}")])

"""The weekly team summary and the channel digest: aggregates under the privacy floor, warm,
and never a ranking. Only introducers whose intros connected, and the people in intros still
waiting for a reply, are named."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import Block, context, escape, join_people, mention, message, section
from bot.blocks.me import bulleted, cap_blocks
from bot.services.concentration import Concentration
from bot.services.summary import PRIVACY_FLOOR, ChannelDigest, Figure, Period, TeamSummary, Waiting

CREDIT_MAX = 20
WAITING_MAX = 15


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
    if summary.credited:
        shown = summary.credited[:CREDIT_MAX]
        more = len(summary.credited) - len(shown)
        names = join_people(shown) + (f" and {more} more" if more > 0 else "")
        blocks.append(section(f":handshake: *Thank you, connectors:* {names} — "
                              "your introductions turned into conversations this week."))
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
    """"A fifth of the people gave two thirds of the help" — never who; only where at least
    the privacy floor of people are involved."""
    if figure is None or figure.people < PRIVACY_FLOOR or not figure.help:
        return None
    people, given = share_words(figure.people_share), share_words(figure.help_share)
    return f"{people[0].upper()}{people[1:]} of the people gave {given} of the help"


def _waiting_line(intro: Waiting) -> str:
    if intro.status == "open":
        return (f"{mention(intro.a_id)} and {mention(intro.b_id)} (introduced by "
                f"{mention(intro.introducer_id)}) — the group chat is ready for a first hello.")
    return (f"{mention(intro.a_id)} and {mention(intro.b_id)} (introduced by "
            f"{mention(intro.introducer_id)}) — waiting to hear back.")


def build_digest(digest: ChannelDigest) -> dict[str, Any]:
    words = period_words(digest.period)
    blocks: list[Block] = [section(f":mailbox_with_mail: *This week's Mutual digest* · {words}")]
    if digest.waiting:
        lines = [_waiting_line(i) for i in digest.waiting]
        blocks.append(section(f"*Introductions waiting for a reply ({len(digest.waiting)})*\n"
                              + bulleted(lines, WAITING_MAX)))
        blocks.append(context("If one of these is yours, a quick reply — even “not now” — "
                              "helps everyone."))
    figures = _lines(
        _count(digest.new_two_way, "relationship became two-way this week",
               "relationships became two-way this week"),
        _count(digest.one_sided, "relationship is one-sided for now",
               "relationships are one-sided for now"),
    )
    if figures:
        blocks.append(section("\n".join(f"• {line}" for line in figures)))
    if digest.empty:
        blocks.append(section("Nothing is waiting on anyone this week. :sparkles:"))
    blocks.append(context(f"Counts appear only where at least {PRIVACY_FLOOR} people are "
                          "involved; nobody's one-sided relationships are ever named."))
    text = f"This week's Mutual digest ({words}): {len(digest.waiting)} introductions waiting for a reply."
    return message(text, cap_blocks(blocks))


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

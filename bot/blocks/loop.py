"""What `/mutual me` and App Home say about paying it forward and about the viewer's own
introductions. In words, never a score; only the viewer sees either."""

from __future__ import annotations

from bot.blocks.kit import Block, context, mention, section
from bot.blocks.nudges import period
from bot.services.views import PassingOn, PersonalView

LINES_MAX = 10


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n:,} times")


def _others(line: PassingOn) -> str:
    if line.others_helped == 1:
        return f"you've helped someone else {_times(line.times_helped)}"
    if line.others_helped == 0:  # all of it to people no longer named
        return f"you've helped others {_times(line.times_helped)}"
    return f"you've helped {line.others_helped:,} others"


def passing_on_line(line: PassingOn) -> str:
    """"<@bob> helped you 4 times; you've helped 3 others in that time" (the same window: the
    rule that spares them a suggestion counts it so, whichever came first)."""
    return (f"{mention(line.other_id)} helped you {_times(line.received)}; {_others(line)} "
            "in that time")


def passing_on_blocks(view: PersonalView) -> list[Block]:
    if not view.passing_on:
        return []
    lines = "\n".join(f"• {passing_on_line(p)}" for p in view.passing_on[:LINES_MAX])
    more = len(view.passing_on) - LINES_MAX
    if more > 0:
        lines += f"\n_…and {more:,} more_"
    return [section(f"*Passing it on* :seedling:\n{lines}"),
            context("Help often comes back around through someone else. While you keep "
                    "passing it on, Mutual won't suggest giving back to them.")]


def passed_on_ids(view: PersonalView) -> set[str]:
    """The helpers shown under "Passing it on" (not repeated under "They've helped you")."""
    return {p.other_id for p in view.passing_on}


def intro_worth_blocks(view: PersonalView) -> list[Block]:
    """"3 of your 4 intros this quarter were worth it, say the people you introduced"."""
    worth = view.intro_worth
    if worth is None or not worth.answered:
        return []
    intros = "intro" if worth.answered == 1 else "intros"
    verb = "was" if worth.worth == 1 else "were"
    text = (f"{worth.worth:,} of your {worth.answered:,} {intros} {period(view.window_days)} "
            f"{verb} worth it, say the people you introduced.")
    return [section(f"*Your introductions* :handshake:\n{text}"),
            context("Only you see this, about your own introductions.")]

"""Closing the loop: "how did it go?" after help, "was it worth it?" after an intro, and the
answers as the helper or introducer hears them. Pure: values in, Block Kit out.

The optional words are an input block inside the question itself, so one press sends the
answer and whatever was typed with it: no form to open (nothing waits on Slack before the
ack, and nothing is lost if Slack is slow to open one) and the question stays complete in the
DM for as long as it takes to answer it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import constants as ids
from bot.blocks.kit import (
    Block,
    actions,
    button,
    context,
    date,
    join_people,
    mention,
    message,
    plain,
    quote,
    section,
    short,
)
from bot.services.followups import (
    NOT_NEEDED,
    NOT_WORTH_IT,
    ONGOING,
    WORDS_MAX,
    WORKED,
    WORTH_IT,
)

HELP_BUTTONS = ((WORKED, "It worked", ids.FOLLOWUP_WORKED),
                (ONGOING, "Still working on it", ids.FOLLOWUP_ONGOING),
                (NOT_NEEDED, "Didn't need it after all", ids.FOLLOWUP_NOT_NEEDED))
INTRO_BUTTONS = ((WORTH_IT, "Yes, it was worth it", ids.INTRO_WORTH_IT),
                 (NOT_WORTH_IT, "Not really", ids.INTRO_NOT_WORTH_IT))
ANSWER_OF = {action: answer for answer, _, action in HELP_BUTTONS + INTRO_BUTTONS}


def _words_input(label: str) -> Block:
    return {"type": "input", "block_id": ids.FOLLOWUP_WORDS_BLOCK, "optional": True,
            "label": plain(label),
            "element": {"type": "plain_text_input", "action_id": ids.FOLLOWUP_WORDS_INPUT,
                        "multiline": True, "max_length": WORDS_MAX,
                        "placeholder": plain("Anything you'd like them to know")}}


def _their_words(words: str) -> str:
    return f"\nIn their words:\n{quote(words)}" if words else ""


def _your_words(words: str) -> str:
    return f"\nYou added:\n{quote(words)}" if words else ""


# -- help ------------------------------------------------------------------------------------

def build_followup_question(helper_ids: list[str], note: str, helped_at: datetime,
                            record_ids: list[int]) -> dict[str, Any]:
    """To whoever received help with a note, once, some days later."""
    who = join_people(helper_ids)
    text = f"How did it go with “{short(note)}”? Tell {who}."
    value = ",".join(map(str, record_ids))
    # Asked by Mutual, not by them: it never claims the helper wants to know.
    blocks: list[Block] = [
        section(f":seedling: On {date(helped_at)}, {who} helped you with:\n{quote(note)}\n"
                "How did it go?"),
        _words_input("A few words for them"),
        actions(*(button(label, action, value, style="primary" if answer == WORKED else None)
                  for answer, label, action in HELP_BUTTONS)),
        context(f"Only {who} will see your answer. No answer is fine too."),
    ]
    return message(text, blocks)


HELP_ANSWERED = {
    WORKED: "You told {who} it worked — thanks for closing the loop.",
    ONGOING: "You told {who} you're still working on it.",
    NOT_NEEDED: "You told {who} you didn't need it after all.",
}


def build_followup_answered(helper_ids: list[str], note: str, answer: str,
                            words: str) -> dict[str, Any]:
    """Replaces the question once answered (the first answer stands)."""
    text = HELP_ANSWERED.get(answer, HELP_ANSWERED[WORKED]).format(who=join_people(helper_ids))
    body = f":white_check_mark: {text}\n{quote(note)}{_your_words(words)}"
    return message(text, [section(body)])


HELP_TOLD = {
    WORKED: ":tada: {who} says your help with “{note}” worked.",
    ONGOING: ":seedling: {who} is still working on “{note}” — your help is part of it.",
    NOT_NEEDED: "{who} didn't need help with “{note}” after all — thanks for being there "
                "when they asked.",
}


def build_followup_told(receiver_id: str, note: str, answer: str, words: str) -> dict[str, Any]:
    """To the helper, privately: how it went."""
    line = HELP_TOLD.get(answer, HELP_TOLD[WORKED]).format(who=mention(receiver_id),
                                                           note=short(note))
    text = line.split(" ", 1)[1] if line.startswith(":") else line
    blocks: list[Block] = [section(line + _their_words(words)),
                           context("Only you can see this: they told you through Mutual.")]
    return message(text, blocks)


# -- intros ----------------------------------------------------------------------------------

def build_intro_followup_question(intro_id: int, introducer_id: str, other_id: str,
                                  reason: str, connected_at: datetime) -> dict[str, Any]:
    """To each of the two, once, some days after they connected."""
    who, other = mention(introducer_id), mention(other_id)
    text = f"Was meeting {other} worth it? Only {who}, who introduced you, will hear your answer."
    reason_lines = f"\n{quote(reason)}" if reason else ""
    blocks: list[Block] = [
        section(f":handshake: {who} introduced you to {other}, and you connected on "
                f"{date(connected_at)}.{reason_lines}\nWas it worth it?"),
        _words_input("A few words for them"),
        actions(*(button(label, action, str(intro_id),
                         style="primary" if answer == WORTH_IT else None)
                  for answer, label, action in INTRO_BUTTONS)),
        context(f"Only {who} will hear your answer. No answer is fine too."),
    ]
    return message(text, blocks)


def build_intro_followup_answered(introducer_id: str, other_id: str, answer: str,
                                  words: str) -> dict[str, Any]:
    who = mention(introducer_id) if introducer_id else "the person who introduced you"
    other = mention(other_id) if other_id else "them"
    if answer == WORTH_IT:
        text = f"You told {who} meeting {other} was worth it — thanks for letting them know."
    else:
        text = f"You told {who} meeting {other} didn't lead anywhere this time. Thanks for saying."
    return message(text, [section(f":white_check_mark: {text}{_your_words(words)}")])


def build_intro_followup_told(party_id: str, other_id: str, answer: str,
                              words: str) -> dict[str, Any]:
    """To the introducer, privately."""
    who, other = mention(party_id), mention(other_id) if other_id else "the person you introduced"
    if answer == WORTH_IT:
        text = f"{who} says meeting {other} was worth it — thanks to your introduction."
        line = f":sparkles: {text}"
    else:
        text = (f"{who} says meeting {other} didn't lead anywhere this time. That happens — "
                "thanks for thinking of them.")
        line = text
    blocks: list[Block] = [section(line + _their_words(words)),
                           context("Only you can see this.")]
    return message(text, blocks)


def build_answer_not_yours() -> dict[str, Any]:
    text = "This question was meant for someone else, so nothing was changed."
    return {"response_type": "ephemeral", "replace_original": False,
            **message(text, [section(text)])}


def build_nothing_to_answer() -> dict[str, Any]:
    text = "There's nothing to answer here any more, so nothing was sent."
    return message(text, [section(text)])

"""Messages and modals for recording help. Pure functions: values in, Block Kit out."""

from __future__ import annotations

import re
from typing import Any

from bot import constants as ids
from bot.blocks.kit import (
    Block,
    actions,
    button,
    context,
    escape,
    join_people,
    mention,
    message,
    plain,
    quote,
    section,
    short,
)
from bot.blocks.undo import UNDO_HINT, undo_blocks, undo_button
from bot.services.asking_again import ClaimRefused
from bot.services.parsing import NOTE_MAX, PEOPLE_MAX
from bot.services.people import Problem
from bot.services.recording import ClaimAnswer

# A message link as chat.getPermalink gives it: nothing that could close the link early.
PERMALINK = re.compile(r"https://[^\s<>|]{1,500}")
# How a thank-you came, as a sentence about it: "{who} thanked you…" / "…, and added:".
SOURCE_WORDS = {
    "command": "{who} thanked you",
    "reaction": "{who} thanked you with a thank-you reaction",
    "shortcut": "{who} says a message of yours helped them",
    "claim": "{who} thanked you",
}


def _note_lines(note: str) -> str:
    return f"\n{quote(note)}" if note else ""


def _quoted(note: str) -> str:
    """A note inside a one-line receipt: short, escaped, in quotes."""
    return f"“{short(note)}”"


def _for_note(note: str) -> str:
    return f" for {_quoted(note)}" if note else ""


def build_thanks_receipt(helper_ids: list[str], note: str, record_ids: list[int],
                         hint: bool = False) -> dict[str, Any]:
    """The ephemeral receipt the person saying thanks sees: one line — what was recorded and
    who was told — with its buttons beside it; the hint on sharing and undoing only the first
    time (`hint`)."""
    people = join_people(helper_ids)
    text = f"Noted your thanks to {people}" + (f" for: {escape(note)}" if note else "") + \
        " — I've let them know privately."
    blocks: list[Block] = [
        section(f":handshake: Noted your thanks to {people}{_for_note(note)} — I've let them "
                "know privately."),
        *([context(f"Only they know — share it if you'd like the channel to see. {UNDO_HINT}")]
          if hint else []),
        actions(
            button("Share in channel", ids.THANKS_SHARE, ",".join(map(str, record_ids))),
            undo_button(record_ids),
        ),
    ]
    return {"response_type": "ephemeral", **message(text, blocks)}


def build_shared_thanks(receiver_id: str, helper_ids: list[str], note: str) -> dict[str, Any]:
    """The public post when someone chooses "Share in channel"."""
    people = join_people(helper_ids)
    text = f"{mention(receiver_id)} thanked {people}" + (f" for: {escape(note)}" if note else "")
    body = f":raised_hands: {mention(receiver_id)} thanked {people}" + (
        f" for:\n{quote(note)}" if note else "."
    )
    return {"response_type": "in_channel", "replace_original": False,
            **message(text, [section(body)])}


def build_receipt_shared(helper_ids: list[str]) -> dict[str, Any]:
    text = f"Shared in the channel — thanks for recognising {join_people(helper_ids)}."
    return {"response_type": "ephemeral", "replace_original": True,
            **message(text, [section(f":white_check_mark: {text}")])}


def build_thanked_dm(
    receiver_id: str, note: str, source: str, permalink: str | None = None
) -> dict[str, Any]:
    """The private note to someone who was thanked."""
    said = SOURCE_WORDS.get(source, SOURCE_WORDS["command"]).format(who=mention(receiver_id))
    # "…thanked you for: the review"; a message that helped: "…helped them, and added: …".
    joined = ", and added:" if source == "shortcut" else " for:"
    text = f"{said}{joined} {escape(note)}" if note else f"{said}."
    body = f":sparkles: {said}{joined}\n{quote(note)}" if note else f":sparkles: {said}."
    blocks = [section(body)]
    if permalink and PERMALINK.fullmatch(permalink):
        blocks.append(context(f"<{permalink}|See the message>"))
    return message(text, blocks)


def build_claim_receipt(receiver_id: str, note: str, expiry_days: int,
                        hint: bool = False) -> dict[str, Any]:
    """One line: what was asked of whom; how a claim counts and lapses only the first time."""
    text = (f"I've asked {mention(receiver_id)} to confirm that you helped them"
            + (f" — {_quoted(note)}." if note else "."))
    blocks = [section(f":hourglass_flowing_sand: {text}")]
    if hint:
        blocks.append(context("It counts once they confirm. The request lapses quietly after "
                              f"{expiry_days} days."))
    return {"response_type": "ephemeral", **message(text, blocks)}


def build_claim_request(helper_id: str, note: str, record_id: int) -> dict[str, Any]:
    """The DM asking the receiver to confirm a `/helped` claim."""
    text = f"{mention(helper_id)} says they helped you: {escape(note)}"
    blocks: list[Block] = [
        section(f":wave: {mention(helper_id)} says they helped you with:\n{quote(note)}"),
        context("Confirming keeps a record of it. If it doesn't ring a bell, "
                "decline — they won't be told."),
        actions(
            button("Yes, they helped", ids.CLAIM_CONFIRM, str(record_id), style="primary"),
            button("Not really", ids.CLAIM_DECLINE, str(record_id)),
        ),
    ]
    return message(text, blocks)


def claim_refused_text(refused: ClaimRefused | None, receiver_id: str, in_modal: bool = False) -> str:
    """A second claim to someone while one is open, or soon after one lapsed: the second says
    nothing of how the first ended."""
    who = "them" if in_modal else mention(receiver_id)
    if refused is ClaimRefused.WAITING:
        return (f"You've already asked {who} to confirm something you did for them, and it's "
                "still open — nothing new was sent.")
    return (f"I can't ask {who} to confirm another one just now, so nothing was sent. Another "
            "time, it may be the right moment.")


def build_claim_refused(refused: ClaimRefused | None, receiver_id: str) -> dict[str, Any]:
    return build_error(claim_refused_text(refused, receiver_id))


def build_claim_answered(helper_id: str, note: str, outcome: str) -> dict[str, Any]:
    """Replaces the claim DM once answered, so its buttons cannot be pressed again."""
    words = {
        "confirmed": f":white_check_mark: You confirmed that {mention(helper_id)} helped you.",
        "declined": f"Okay — I won't record that {mention(helper_id)} helped you. "
                    "They won't be told.",
        "expired": f"This request from {mention(helper_id)} has lapsed, so nothing was recorded.",
        "withdrawn": f"{mention(helper_id)} withdrew this request, so there's nothing to do.",
    }
    text = words.get(outcome, "This request was already answered.")
    return message(text, [section(text + _note_lines(note))])


def build_claim_withdrawn(receiver_id: str, outcome: ClaimAnswer) -> dict[str, Any]:
    """The answer to *Withdraw* on a claim you made (confirmed or lapsed meanwhile: a "not
    really" reads as withdrawn, as a silence would)."""
    text = {ClaimAnswer.WITHDRAWN: f"Withdrawn — {mention(receiver_id)} won't be asked to "
                                   "confirm it any more.",
            ClaimAnswer.CONFIRMED: f"{mention(receiver_id)} had already confirmed it, so it "
                                   "stays."}.get(outcome, "It had already lapsed, so nothing "
                                                           "changed.")
    return {"response_type": "ephemeral", "replace_original": False,
            **message(text, [section(text)])}


def build_claim_confirmed_dm(receiver_id: str, note: str) -> dict[str, Any]:
    text = f"{mention(receiver_id)} confirmed that you helped them."
    return message(text, [section(f":handshake: {text}{_note_lines(note)}")])


PROBLEM_WORDS = {
    Problem.NOT_FOUND: "I couldn't find {who} in this workspace.",
    Problem.SELF: "You can't record help from yourself — it only counts between two people.",
    Problem.BOT: "{who} is a bot or an app, so there's no one to thank there.",
    Problem.DEACTIVATED: "{who} is no longer active in this workspace.",
    Problem.FORGOTTEN: "{who} has asked Mutual to forget them, so it leaves them out.",
    Problem.OTHER_WORKSPACE: "{who} is from another workspace, and Mutual only records help "
                             "within this one.",
    Problem.GUEST: "{who} is a guest here, and this workspace has Mutual leave guests out, so "
                   "nothing was saved.",
    Problem.GUEST_SELF: "This workspace has Mutual leave guests out, so nothing was saved — "
                        "a thank-you in the conversation itself means just as much.",
}


# The same problems for someone recording help they gave (`/helped`): nobody there to confirm.
GIVING_WORDS = {
    **PROBLEM_WORDS,
    Problem.SELF: "You can't record help you gave yourself — it only counts between two people.",
    Problem.BOT: "{who} is a bot or an app, so there's no one to confirm it.",
}


def problem_text(user_id: str, problem: Problem, giving: bool = False) -> str:
    return (GIVING_WORDS if giving else PROBLEM_WORDS)[problem].format(who=mention(user_id))


def saved_nothing(reason: str) -> str:
    """A reason, saying once that nothing was saved."""
    return reason if "nothing was saved" in reason.lower() else f"{reason} Nothing was saved."


def build_refused(reason: str) -> dict[str, Any]:
    """Someone named can't take part, or Slack couldn't say in time: why, and (once) that
    nothing was saved — no usage example, since what was typed was fine."""
    if reason == SLACK_BUSY:
        return build_busy()
    return build_error(saved_nothing(reason))


SLACK_BUSY = "Slack is busy just now, so nothing was saved — please try again in a minute."
FORM_BUSY = ("Slack was busy, so the form didn't open and nothing was saved — please try again "
             "in a minute.")


def build_busy(text: str = SLACK_BUSY) -> dict[str, Any]:
    """Slack could not answer in time: nothing was saved, and the person can simply retry."""
    text = escape(text)
    return {"response_type": "ephemeral",
            **message(text, [section(f":hourglass: {text}")])}


def build_error(text: str, hint: str | None = None) -> dict[str, Any]:
    """An ephemeral refusal: what went wrong and how to do it right. Nothing was saved.
    Both may quote what the person typed, so both are escaped (mentions stay live)."""
    text, hint = escape(text), escape(hint) if hint else None
    blocks: list[Block] = [section(f":information_source: {text}")]
    if hint:
        blocks.append(context(hint))
    return {"response_type": "ephemeral", **message(text, blocks)}


def unknown_handle(handle: str) -> str:
    """A bare @name Slack did not turn into a mention: Mutual never guesses who it means."""
    return (f"I couldn't tell who {handle} is. Pick them from the list Slack shows as you type @, "
            "so the name turns into a mention.")


THANKS_USAGE = "Try `/thanks @alex for the code review` — mention one or more people."
HELPED_USAGE = "Try `/helped @alex reviewed the launch plan` — one person and what you did."


def too_many_people(count: int) -> str:
    return (f"That's {count:,} people — Mutual thanks up to {PEOPLE_MAX} at once. Could you "
            "split it into a few thank-yous? Nothing was recorded.")


def build_note_too_long(length: int, usage: str) -> dict[str, Any]:
    return build_error(
        f"That note is {length:,} characters; Mutual keeps notes up to {NOTE_MAX}. "
        "Could you shorten it? Nothing was saved.",
        usage,
    )


def _note_input(optional: bool, initial: str = "", label: str = "What did they help with?") -> Block:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": ids.NOTE_INPUT,
                               "multiline": True, "max_length": NOTE_MAX}
    if initial:
        element["initial_value"] = initial[:NOTE_MAX]
    return {"type": "input", "block_id": ids.NOTE_BLOCK, "optional": optional,
            "label": plain(label), "element": element}


def _modal(callback_id: str, title: str, submit: str, blocks: list[Block],
           private_metadata: str = "") -> dict[str, Any]:
    return {"type": "modal", "callback_id": callback_id, "title": plain(title),
            "submit": plain(submit), "close": plain("Cancel"), "blocks": blocks,
            "private_metadata": private_metadata}


def build_record_help_modal(author_id: str, private_metadata: str) -> dict[str, Any]:
    """The "This helped me" modal: who helped is the message's author; the note is optional."""
    blocks = [
        section(f"Record that {mention(author_id)} helped you with this message."),
        _note_input(optional=True, label="Add a note"),
    ]
    return _modal(ids.RECORD_HELP, "This helped me", "Record", blocks, private_metadata)


def build_thank_someone_modal(initial_users: list[str] | None = None) -> dict[str, Any]:
    picker: dict[str, Any] = {"type": "multi_users_select", "action_id": ids.PEOPLE_INPUT,
                              "placeholder": plain("Who helped you?"), "max_selected_items": PEOPLE_MAX}
    if initial_users:
        picker["initial_users"] = initial_users[:PEOPLE_MAX]
    blocks = [
        {"type": "input", "block_id": ids.PEOPLE_BLOCK, "label": plain("Who helped you?"),
         "element": picker},
        _note_input(optional=True, label="What for?"),
    ]
    return _modal(ids.THANK_SOMEONE, "Say thanks", "Thank them", blocks)


def build_helped_modal(initial_user: str | None = None) -> dict[str, Any]:
    picker: dict[str, Any] = {"type": "users_select", "action_id": ids.PERSON_INPUT,
                              "placeholder": plain("Whom did you help?")}
    if initial_user:
        picker["initial_user"] = initial_user
    blocks = [
        {"type": "input", "block_id": ids.PERSON_BLOCK, "label": plain("Whom did you help?"),
         "element": picker},
        _note_input(optional=False, label="What did you do?"),
        context("They'll be asked to confirm; it counts once they do."),
    ]
    return _modal(ids.HELPED_MODAL, "Record help you gave", "Ask them", blocks)


def build_modal_done(text: str, undo_ids: list[int] | None = None,
                     hint: bool = False) -> dict[str, Any]:
    """A modal's closing view after a submission; with `undo_ids`, a thank-you that can be
    taken back for a while (the hint saying so only the first time: `hint`)."""
    blocks = [section(escape(text)), *(undo_blocks(undo_ids, hint) if undo_ids else [])]
    return {"type": "modal", "title": plain("Mutual"), "close": plain("Done"), "blocks": blocks}

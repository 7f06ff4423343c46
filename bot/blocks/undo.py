"""Taking a thank-you back (`thanks_undo`): the button, and what the receipt, the closing view
and the helper's DM say afterwards. Pure: values in, Block Kit out."""

from __future__ import annotations

from typing import Any

from bot import constants as ids
from bot.blocks.kit import Block, actions, button, context, join_people, message, plain, section
from bot.services.undo import UNDO_WINDOW

MINUTES = int(UNDO_WINDOW.total_seconds() // 60)
UNDO_LABEL = "Take it back"
UNDO_HINT = f"Said it by mistake? You can take it back for {MINUTES} minutes."


def undo_button(record_ids: list[int]) -> dict[str, Any]:
    return button(UNDO_LABEL, ids.THANKS_UNDO, ",".join(map(str, record_ids)))


def build_taken_back(helper_ids: list[str]) -> dict[str, Any]:
    """Replaces the /thanks receipt."""
    text = (f"Taken back — nothing is recorded, and the note to {join_people(helper_ids)} is "
            "gone.")
    return {"response_type": "ephemeral", "replace_original": True,
            **message(text, [section(f":leftwards_arrow_with_hook: {text}")])}


def too_late_text() -> str:
    return (f"It's been more than {MINUTES} minutes, so it can't be taken back from here. If it "
            "was a mistake, `/mutual with @them` or your Home can still take it back — quietly: "
            "their note stays as it is.")


def take_back_button(record_id: int) -> dict[str, Any]:
    """"Take back…" on a thank-you given a while ago, behind a confirm dialog."""
    element = button("Take back…", ids.THANKS_TAKE_BACK, str(record_id))
    element["confirm"] = {
        "title": plain("Take this thank-you back?"),
        "text": plain("It will no longer count as help they gave you. They won't be told, and "
                      "the note they got stays as it is."),
        "confirm": plain("Take it back"), "deny": plain("Keep it")}
    return element


def build_taken_back_later(helper_ids: list[str]) -> dict[str, Any]:
    """The answer to "Take back…" from `/mutual with` (an ephemeral reply)."""
    text = (f"Taken back — it no longer counts as help from {join_people(helper_ids)}. They "
            "weren't told.")
    return {"response_type": "ephemeral", "replace_original": False,
            **message(text, [section(f":leftwards_arrow_with_hook: {text}")])}


def build_too_late() -> dict[str, Any]:
    """An ephemeral answer to a press after the 15 minutes (the receipt stays as it is)."""
    text = too_late_text()
    return {"response_type": "ephemeral", "replace_original": False,
            **message(text, [section(f":hourglass: {text}")])}


def build_already_shared() -> dict[str, Any]:
    text = "This thank-you was shared in the channel, so it stays as it is."
    return {"response_type": "ephemeral", "replace_original": False,
            **message(text, [section(text)])}


def build_not_your_thanks() -> dict[str, Any]:
    text = "Only the person who said thanks can take it back, so nothing changed."
    return {"response_type": "ephemeral", "replace_original": False,
            **message(text, [section(text)])}


def _view(text: str) -> dict[str, Any]:
    return {"type": "modal", "title": plain("Mutual"), "close": plain("Done"),
            "blocks": [section(text)]}


def build_taken_back_view(helper_ids: list[str]) -> dict[str, Any]:
    """Replaces a shortcut's closing view."""
    return _view(f":leftwards_arrow_with_hook: Taken back — nothing is recorded, and the note "
                 f"to {join_people(helper_ids)} is gone.")


def build_too_late_view() -> dict[str, Any]:
    return _view(f":hourglass: {too_late_text()}")


def undo_blocks(record_ids: list[int], hint: bool = True) -> list[Block]:
    """The button (and, the first time, its hint) for a shortcut's closing view."""
    return [actions(undo_button(record_ids)), *([context(UNDO_HINT)] if hint else [])]

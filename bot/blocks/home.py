"""The App Home tab: the same personal view as `/mutual me`, with buttons to thank, introduce
and change nudge settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import constants as ids
from bot.blocks.kit import Block, actions, button, context, date, mention, plain, section, short
from bot.blocks.me import cap_blocks, personal_blocks
from bot.blocks.open_things import open_things_blocks
from bot.blocks.undo import take_back_button
from bot.services.views import PersonalView

HOME_BLOCKS_MAX = 100
SNOOZE_CHOICES = ((7, "a week"), (30, "30 days"), (90, "90 days"))


def _when(at: datetime) -> str:
    return date(at)


def _settings_blocks(view: PersonalView) -> list[Block]:
    if not view.nudges_enabled:
        state = "*Private suggestions are off.* Mutual won't DM you ideas for giving back."
        toggle = button("Turn suggestions on", ids.HOME_NUDGES_ON, "on", style="primary")
    elif view.snoozed_until is not None:
        state = f"*Private suggestions are paused* until {_when(view.snoozed_until)}."
        toggle = button("Turn suggestions off", ids.HOME_NUDGES_OFF, "off")
    else:
        state = ("*Private suggestions are on.* Now and then Mutual may DM you a way to help "
                 "back someone who keeps helping you — only you see it.")
        toggle = button("Turn suggestions off", ids.HOME_NUDGES_OFF, "off")
    elements: list[dict[str, Any]] = [toggle]
    if view.nudges_enabled:
        elements.append({
            "type": "static_select", "action_id": ids.HOME_SNOOZE,
            "placeholder": plain("Pause for…"),
            "options": [{"text": plain(f"Pause for {words}"), "value": str(days)}
                        for days, words in SNOOZE_CHOICES],
        })
    if view.nudges_enabled and view.snoozed_until is not None:
        elements.append(button("Resume now", ids.HOME_UNSNOOZE, "0"))
    return [section(state), actions(*elements, block_id=ids.HOME_SETTINGS_BLOCK)]


def _thanks_given_blocks(view: PersonalView) -> list[Block]:
    """The thank-yous you gave lately, each with "Take back…" (a confirm dialog first)."""
    if not view.thanks_given:
        return []
    blocks: list[Block] = [{"type": "divider"}, section("*Thank-yous you gave lately*")]
    for item in view.thanks_given:
        line = f"{mention(item.helper_id)} · {_when(item.created_at)}"
        if item.note:
            line += f" · “{short(item.note)}”"
        blocks.append({**section(line), "accessory": take_back_button(item.record_id)})
    blocks.append(context("Given by mistake? Taking one back changes the counts; they aren't "
                          "told."))
    return blocks


def build_home(view: PersonalView) -> dict[str, Any]:
    blocks: list[Block] = [
        {"type": "header", "text": plain("Your working relationships")},
        actions(
            button("Say thanks", ids.HOME_THANK, "thank", style="primary"),
            button("Introduce two people", ids.HOME_INTRO, "intro"),
            block_id=ids.HOME_ACTIONS_BLOCK,
        ),
        *personal_blocks(view),
        *open_things_blocks(view.open_things),
        *_thanks_given_blocks(view),
        {"type": "divider"},
        *_settings_blocks(view),
        context("Only you can see this page. `/mutual export` sends you your records; "
                "`/mutual forget` erases your name and notes."),
    ]
    return {"type": "home", "blocks": cap_blocks(blocks, HOME_BLOCKS_MAX)}


def build_forgotten_home() -> dict[str, Any]:
    """What Home shows right after someone asked Mutual to forget them."""
    return {"type": "home", "blocks": [
        section("*Mutual has forgotten you.* Your name and notes are erased; the people you "
                "worked with keep their own counts, without your name."),
        context("If you use Mutual again — `/thanks`, a thank-you reaction — it starts afresh."),
    ]}


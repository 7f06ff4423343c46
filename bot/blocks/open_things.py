"""Your open things in one place (bot.services.open_things), for the Home and `/mutual me`:
claims waiting for the other person (*Withdraw*), your open asks (*Mark solved*, *Withdraw*),
your offers (*Done*, *Can't after all*), your "ask me about" list (*Remove*). Pure."""

from __future__ import annotations

from bot import constants as ids
from bot.blocks.asks_more import asks_blocks, more_blocks, offers_blocks
from bot.blocks.kit import Block, button, escape, mention, section, short
from bot.services.open_things import SHOWN, OpenThings

ASKS_MORE = "`/mutual asks` lists them all."


def _claim_blocks(things: OpenThings) -> list[Block]:
    if not things.claims:
        return []
    blocks: list[Block] = [section(f"*Waiting for the other person ({things.claims_total})*")]
    for claim in things.claims:
        line = f"You asked {mention(claim.receiver_id)} to confirm you helped them"
        line += f": “{short(claim.note)}”" if claim.note else "."
        blocks.append({**section(line),
                       "accessory": button("Withdraw", ids.CLAIM_WITHDRAW, str(claim.id))})
    return blocks + more_blocks(things.claims_total - len(things.claims))


def _about_blocks(things: OpenThings) -> list[Block]:
    if not things.about:
        return []
    blocks: list[Block] = [section(f"*People can ask you about ({len(things.about)})*")]
    for entry in things.about[:SHOWN]:
        blocks.append({**section(f"• {escape(entry.text)}"),
                       "accessory": button("Remove", ids.OFFER_REMOVE, str(entry.id))})
    return blocks + more_blocks(len(things.about) - SHOWN, "`/offer` lists them all.")


def open_things_blocks(things: OpenThings | None) -> list[Block]:
    """Nothing when there is nothing open."""
    if things is None or things.empty:
        return []
    return [{"type": "divider"}, section("*Your open things*"), *_claim_blocks(things),
            *asks_blocks(things.asks, shown=SHOWN, where_more=ASKS_MORE),
            *offers_blocks(things.offers, shown=SHOWN, where_more=ASKS_MORE),
            *_about_blocks(things)]

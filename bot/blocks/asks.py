"""Asks: the channel post, what the asker and the people offering hear, and the forms. Pure
functions: values in, Block Kit out; every word a person typed is escaped, fallback included.

The channel post never names anyone but the asker (and, once solved, the people the asker
said helped); who offered, who is on it and who couldn't after all stay private."""

from __future__ import annotations

import json
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
)
from bot.services.asks import ASK_MAX, AskView, OfferView, PostState, offer_value

ASK_USAGE = "Try `/ask Does anyone know how to rotate the staging database password?`"
TEXT_PREVIEW = 80


def preview(text: str, limit: int = TEXT_PREVIEW) -> str:
    """A person's words on one line, escaped, for a fallback text or a list."""
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")



def _ephemeral(text: str, blocks: list[Block], replace: bool | None = None) -> dict[str, Any]:
    reply: dict[str, Any] = {"response_type": "ephemeral", **message(text, blocks)}
    if replace is not None:
        reply["replace_original"] = replace
    return reply


def _solved_button(ask_id: int, label: str = "Mark solved") -> dict[str, Any]:
    return button(label, ids.ASK_SOLVED, str(ask_id))


# -- the channel post ----------------------------------------------------------------------------

def build_ask_post(state: PostState) -> dict[str, Any]:
    ask = state.ask
    if not ask.asker_id:
        text = "This ask is no longer here."
        return message(text, [context(f":wastebasket: {text}")])
    who = mention(ask.asker_id)
    if ask.status == "solved":
        thanks = (f"{who} says thanks to {join_people(state.helpers)}." if state.helpers
                  else "Sorted — thanks, everyone.")
        text = f"Solved: {who} asked for help with “{preview(ask.text)}”. {thanks}"
        return message(text, [section(f":white_check_mark: *Solved* — {who} asked for help "
                                      f"with:\n{quote(ask.text)}"), context(thanks)])
    if ask.status != "open":
        closed = ("no longer needs help with this" if ask.status == "withdrawn"
                  else "asked for help with this a while ago; the ask has closed")
        text = f"{who} {closed}: “{preview(ask.text)}”"
        return message(text, [section(f":ballot_box_with_check: {who} {closed}.\n{quote(ask.text)}")])
    text = f"{who} is asking for help: {preview(ask.text)}"
    blocks: list[Block] = [section(f":raised_hand: *{who} is asking for help*\n{quote(ask.text)}")]
    if state.under_way:
        blocks.append(context(":handshake: Someone is helping with this — more hands are welcome."))
    blocks += [
        actions(button("I can help", ids.ASK_OFFER, offer_value(ask.id), style="primary"),
                _solved_button(ask.id)),
        context(f"Pressing *I can help* tells {who} privately. Only {who} can mark it solved."),
    ]
    return message(text, blocks)


# -- the asker ------------------------------------------------------------------------------------

def build_ask_receipt(ask: AskView) -> dict[str, Any]:
    where = f"<#{ask.channel_id}>" if ask.channel_id else "the channel"
    text = f"I'm posting your ask in {where}. When someone offers to help, I'll DM you."
    blocks: list[Block] = [
        section(f":raised_hand: {text}\n{quote(ask.text)}"),
        context("Sorted it another way, or no longer need it? Withdraw it any time — "
                "`/mutual asks` lists your open asks."),
        actions(button("Withdraw", ids.ASK_WITHDRAW, str(ask.id))),
    ]
    return _ephemeral(text, blocks)


def build_offer_dm(helper_id: str, ask: AskView, offer_id: int) -> dict[str, Any]:
    """To the asker: someone pressed "I can help"."""
    text = f"{mention(helper_id)} can help with your ask: {preview(ask.text)}"
    return message(text, [
        section(f":raised_hands: {mention(helper_id)} can help with your ask:\n{quote(ask.text)}"),
        context("Accept to start a group chat with the two of you. Not needed after all? "
                "Just leave this — they won't be told."),
        actions(button("Accept", ids.ASK_ACCEPT, str(offer_id), style="primary"),
                _solved_button(ask.id)),
    ])


def build_offer_accepted(helper_id: str, ask: AskView) -> dict[str, Any]:
    """Replaces the offer DM once taken up (its Accept button is gone)."""
    text = (f"You took up {mention(helper_id)}'s offer — I've started a group chat with the "
            "two of you.")
    return message(text, [section(f":handshake: {text}\n{quote(ask.text)}"),
                          actions(_solved_button(ask.id))])


def build_group_post(asker_id: str, helper_id: str, ask: AskView) -> dict[str, Any]:
    """Posted in the group DM of the asker and the helper."""
    text = f"{mention(asker_id)}, {mention(helper_id)} offered to help with: {preview(ask.text)}"
    return message(text, [
        section(f":wave: {mention(asker_id)}, {mention(helper_id)} offered to help with your "
                f"ask:\n{quote(ask.text)}"),
        context(f"Take it from here. When it's sorted, {mention(asker_id)} can mark it solved — "
                f"that records {mention(helper_id)}'s help."),
        actions(_solved_button(ask.id)),
    ])


def build_group_failed(helper_id: str) -> dict[str, Any]:
    text = (f"Slack wouldn't let me start a group chat with {mention(helper_id)}, even after "
            "trying for a while. Their offer still stands — you could message them directly.")
    return message(text, [section(f":warning: {text}")])


def build_offer_done_dm(helper_id: str, ask: AskView) -> dict[str, Any]:
    """To the asker: the helper says they've done it."""
    text = f"{mention(helper_id)} says they've helped with your ask: {preview(ask.text)}"
    return message(text, [
        section(f":white_check_mark: {mention(helper_id)} says they've helped with your "
                f"ask:\n{quote(ask.text)}"),
        context("If it's sorted, mark it solved — that records their help."),
        actions(_solved_button(ask.id)),
    ])


def build_open_again(ask: AskView) -> dict[str, Any]:
    """To the asker, when nobody is on their ask any more. Never who, never why."""
    where = f" in <#{ask.channel_id}>" if ask.channel_id else ""
    text = f"Your ask is open again: {preview(ask.text)}"
    return message(text, [
        section(f":arrows_counterclockwise: Your ask is open again:\n{quote(ask.text)}"),
        context(f"Anyone{where} can still offer; I'll let you know when someone does."),
        actions(_solved_button(ask.id), button("Withdraw", ids.ASK_WITHDRAW, str(ask.id))),
    ])


def build_ask_post_failed(ask: AskView, error: str) -> dict[str, Any]:
    where = f"<#{ask.channel_id}>" if ask.channel_id else "that channel"
    if error == "private_channel":  # bot.slack.sender.PRIVATE_CHANNEL
        why = ("it's a private channel I haven't been invited to. Invite me with "
               "`/invite @Mutual`, or ask in another channel")
    else:
        why = f"Slack said `{escape(error)}`. Please try again in a while"
    text = f"I couldn't post your ask in {where}, so nothing was posted: {why}."
    return message(text, [section(f":warning: {text}\n{quote(ask.text)}")])


def build_only_asker(asker_id: str) -> dict[str, Any]:
    text = f"Only {mention(asker_id)} can mark this solved." if asker_id else \
        "Only the person who asked can mark this solved."
    return _ephemeral(text, [section(text)], replace=False)


def build_own_ask() -> dict[str, Any]:
    text = "That's your own ask — when it's sorted, press *Mark solved*."
    return _ephemeral(text.replace("*", ""), [section(text)], replace=False)


def build_ask_closed(ask: AskView | None) -> dict[str, Any]:
    words = {"solved": "already solved", "withdrawn": "no longer needed",
             "expired": "closed", "unposted": "closed"}
    state = words.get(ask.status, "closed") if ask is not None else "closed"
    text = f"This ask is {state}, so nothing was changed."
    return _ephemeral(text, [section(text)], replace=False)


def build_withdrawn(ask: AskView) -> dict[str, Any]:
    """Replaces the message the asker withdrew their ask from."""
    text = "Withdrawn — your ask is closed, and anyone who offered has been thanked."
    return message(text, [section(f":ballot_box_with_check: {text}\n{quote(ask.text)}")])


def build_offered_reply(asker_id: str, again: bool = False, renewed: bool = False) -> dict[str, Any]:
    """The private answer to "I can help"."""
    who = mention(asker_id)
    if renewed:
        text = f"Glad you can help after all — {who} still has your offer."
    elif again:
        text = f"You've already offered — {who} knows. Thank you!"
    else:
        text = (f"Thank you! I've let {who} know you can help. If they take you up on it, "
                "I'll start a group chat with the two of you.")
    return _ephemeral(text, [section(f":raised_hands: {text}")], replace=False)


def build_offer_gone(ask: AskView) -> dict[str, Any]:
    text = "That offer no longer stands, so nothing was changed — your ask is still open to others."
    return _ephemeral(text, [section(text)], replace=False)


# -- helpers who offered ------------------------------------------------------------------------

def build_offer_reminder(asker_id: str, ask: AskView, offer_id: int) -> dict[str, Any]:
    """One reminder to a helper whose accepted offer has gone quiet."""
    who = mention(asker_id)
    text = f"A few days ago {who} took you up on your offer to help with: {preview(ask.text)}"
    return message(text, [
        section(f":hourglass_flowing_sand: A few days ago {who} took you up on your offer to "
                f"help with:\n{quote(ask.text)}"),
        context(f"How did it go? If it's done, say so and I'll tell {who}. If you can't after "
                "all, that's fine — they'll only hear that the ask is open again."),
        actions(button("Done", ids.OFFER_DONE, str(offer_id), style="primary"),
                button("Can't after all", ids.OFFER_CANNOT, str(offer_id))),
    ])


def build_offer_done_reply(asker_id: str) -> dict[str, Any]:
    text = f"Thank you — I've let {mention(asker_id)} know, so they can mark it solved."
    return message(text, [section(f":white_check_mark: {text}")])


def build_offer_cannot_reply() -> dict[str, Any]:
    text = ("No problem — thanks for saying so. Nobody is told why; the ask stays open for "
            "others to help.")
    return message(text, [section(f":ok_hand: {text}")])


def build_helped_dm(asker_id: str, ask: AskView) -> dict[str, Any]:
    """To each person the asker said helped, once the ask is solved."""
    text = f"{mention(asker_id)} marked their ask solved and says you helped: {preview(ask.text)}"
    return message(text, [section(f":sparkles: {mention(asker_id)} marked their ask solved and "
                                  f"says you helped:\n{quote(ask.text)}")])


def build_offer_closed_dm(asker_id: str, ask: AskView) -> dict[str, Any]:
    """To someone whose offer still stood when the ask closed without them."""
    who = mention(asker_id)
    done = ("doesn't need help with this any more" if ask.status == "withdrawn"
            else "has sorted this out")
    text = f"{who} {done}: {preview(ask.text)} — thanks for offering."
    return message(text, [section(f":seedling: {who} {done}:\n{quote(ask.text)}"),
                          context("Thanks for offering — it counts for a lot.")])


# -- forms ----------------------------------------------------------------------------------------

def build_ask_modal() -> dict[str, Any]:
    """The `ask_for_help` shortcut: what you need, and where to ask."""
    where: dict[str, Any] = {"type": "conversations_select", "action_id": ids.ASK_WHERE_INPUT,
                             "placeholder": plain("Pick a channel"),
                             "filter": {"include": ["public", "private"], "exclude_bot_users": True}}
    return {"type": "modal", "callback_id": ids.ASK_MODAL, "title": plain("Ask for help"),
            "submit": plain("Post"), "close": plain("Cancel"), "blocks": [
                {"type": "input", "block_id": ids.ASK_TEXT_BLOCK, "label": plain("What do you need?"),
                 "element": {"type": "plain_text_input", "action_id": ids.ASK_TEXT_INPUT,
                             "multiline": True, "max_length": ASK_MAX}},
                {"type": "input", "block_id": ids.ASK_WHERE_BLOCK, "label": plain("Where to ask"),
                 "element": where},
                context("Posted in that channel with an *I can help* button. Whoever offers, "
                        "you hear about it privately."),
            ]}


def build_solved_modal(ask: AskView, offerers: list[OfferView]) -> dict[str, Any]:
    """Who helped? The people who offered, ready to tick (those the asker took up already
    ticked), and anyone else."""
    blocks: list[Block] = [section(f"*Who helped with this?*\n{quote(ask.text)}")]
    options = [{"text": {"type": "mrkdwn", "text": mention(o.helper_id)}, "value": o.helper_id}
               for o in offerers[:10]]
    if options:
        boxes: dict[str, Any] = {"type": "checkboxes", "action_id": ids.SOLVED_OFFERS_INPUT,
                                 "options": options}
        ticked = [opt for opt, o in zip(options, offerers, strict=False)
                  if o.status in ("accepted", "done")]
        if ticked:
            boxes["initial_options"] = ticked
        blocks.append({"type": "input", "block_id": ids.SOLVED_OFFERS_BLOCK, "optional": True,
                       "label": plain("People who offered"), "element": boxes})
    blocks += [
        {"type": "input", "block_id": ids.SOLVED_OTHERS_BLOCK, "optional": True,
         "label": plain("Anyone else who helped?" if options else "Who helped?"),
         "element": {"type": "multi_users_select", "action_id": ids.SOLVED_OTHERS_INPUT,
                     "placeholder": plain("Pick people"), "max_selected_items": 10}},
        context("Each person you pick is thanked for it: a record that they helped you, with "
                "your ask as the note. Sorted it yourself? Leave these empty."),
    ]
    return {"type": "modal", "callback_id": ids.SOLVED_MODAL, "title": plain("Mark solved"),
            "submit": plain("Mark solved"), "close": plain("Cancel"), "blocks": blocks,
            "private_metadata": json.dumps({"ask": ask.id})}


def ask_id_of(private_metadata: str | None) -> int | None:
    try:
        value = json.loads(private_metadata or "{}").get("ask")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


def build_form_done(text: str) -> dict[str, Any]:
    """A modal's closing view (the text is Mutual's own, with mentions)."""
    return {"type": "modal", "title": plain("Mutual"), "close": plain("Done"),
            "blocks": [section(text)]}


def build_solved_done(helpers: list[str]) -> dict[str, Any]:
    if helpers:
        return build_form_done(f":white_check_mark: Marked solved — I've recorded that "
                               f"{join_people(helpers)} helped you, and let them know.")
    return build_form_done(":white_check_mark: Marked solved. Glad it's sorted!")


def build_ask_posting_done(channel_id: str) -> dict[str, Any]:
    return build_form_done(f":raised_hand: I'm posting your ask in <#{channel_id}>. When "
                           "someone offers to help, I'll DM you.")

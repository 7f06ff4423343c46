"""Messages and the modal for introductions. Pure functions: values in, Block Kit out.

A "not now" is never passed on (PRODUCT.md §4c): it closes the intro only when an unanswered
one would have lapsed, and then the introducer and whoever said yes hear it "won't go ahead
for now" — the same words either way, never who or why. Nobody outside an intro hears that it
exists: a second suggestion of it gets the same neutral "not now" as one made too soon after a
"no"."""

from __future__ import annotations

import json
from typing import Any

from bot import constants as ids
from bot.blocks.checks import block_text_length
from bot.blocks.kit import (
    SECTION_MAX,
    Block,
    actions,
    button,
    clip,
    context,
    date,
    escape,
    mention,
    message,
    plain,
    quote,
    section,
)
from bot.blocks.limits import MESSAGE_BLOCK_TEXT
from bot.blocks.requests import request_blocks, withdraw_button
from bot.services.intros import IntroView, Refused, RequestRefused, RequestView
from bot.services.parsing import NOTE_MAX
from bot.services.people import Problem

INTRO_USAGE = ("Try `/intro @alex @sam you both work on search and should compare notes` — "
               "two people and why they should meet.")
REQUEST_USAGE = ("Try `/intro request @sam @alex I'd love advice on pricing` — who could "
                 "introduce you, to whom, and why.")
LIST_MAX = 45  # intros shown by /mutual intros; Block Kit allows 50 blocks in all
LIST_REASON_MAX = 200


def _reason(reason: str) -> str:
    return f"\n{quote(reason)}" if reason else ""



def _short(reason: str, limit: int = LIST_REASON_MAX) -> str:
    return reason if len(reason) <= limit else reason[: limit - 1].rstrip() + "…"


def _ephemeral(text: str, blocks: list[Block]) -> dict[str, Any]:
    return {"response_type": "ephemeral", **message(text, blocks)}


def build_intro_error(text: str, hint: str | None = INTRO_USAGE) -> dict[str, Any]:
    """An ephemeral refusal. Nothing was saved. Both may quote what the person typed, so both
    are escaped (mentions stay live)."""
    return _intro_error(escape(text), escape(hint) if hint else None)


def _intro_error(text: str, hint: str | None = INTRO_USAGE) -> dict[str, Any]:
    """A refusal whose words are Mutual's own mrkdwn (dates), already safe."""
    blocks: list[Block] = [section(f":information_source: {text}")]
    if hint:
        blocks.append(context(hint))
    return _ephemeral(text, blocks)


# -- refusals ----------------------------------------------------------------------------------

INTRO_REFUSALS = {
    Refused.TOO_FEW: "Whom would you like to introduce? Mention two people with @, then why "
                     "they should meet.",
    Refused.SAME_PERSON: "That's the same person twice — an introduction needs two different "
                         "people.",
    Refused.SELF: "You can't introduce yourself — you'd be one of the two. To meet someone new, "
                  "ask a colleague who knows them with `/intro request @colleague @them why`.",
    Refused.EMPTY_REASON: "Add a few words on why they should meet — it's the first thing "
                          "they'll both read.",
    Refused.REQUEST_ANSWERED: "That request has already been answered or withdrawn, so nothing "
                              "was sent.",
}
# The same words whether an intro of the two is under way (someone else's) or was declined or
# lapsed lately: they reveal nothing but "not now".
NOT_NOW_INTRO = ("I can't put this introduction to them just now, so nothing was sent. Another "
                 "time, it may be the right moment.")
NOT_NOW_REQUEST = ("I can't pass this request on just now, so nothing was sent. Another time, it "
                   "may be the right moment.")

REQUEST_REFUSALS = {
    RequestRefused.TOO_FEW: "Mention two people: who could introduce you, then whom you'd like "
                            "to meet.",
    RequestRefused.SAME_PERSON: "That's the same person twice — mention who could introduce "
                                "you, then someone else you'd like to meet.",
    RequestRefused.SELF_CONNECTOR: "You can't ask yourself for an introduction — mention the "
                                   "colleague who could make it.",
    RequestRefused.SELF_TARGET: "That's you! Mention the person you'd like to meet.",
    RequestRefused.EMPTY_REASON: "Add a few words on why you'd like to meet them — it helps "
                                 "your colleague decide.",
}

INTRO_PROBLEMS = {
    Problem.NOT_FOUND: "I couldn't find {who} in this workspace.",
    Problem.SELF: "You can't introduce yourself — you'd be one of the two.",
    Problem.BOT: "{who} is a bot or an app, so there's no one to introduce there.",
    Problem.DEACTIVATED: "{who} is no longer active in this workspace.",
    Problem.FORGOTTEN: "{who} has asked Mutual to forget them, so it won't introduce them.",
    Problem.OTHER_WORKSPACE: "{who} is from another workspace, and Mutual only makes "
                             "introductions within this one.",
    Problem.GUEST: "{who} is a guest here, and this workspace has Mutual leave guests out.",
    Problem.GUEST_SELF: "This workspace has Mutual leave guests out, so it can't make "
                        "introductions for you.",
}


def intro_problem_text(user_id: str, problem: Problem, who: str | None = None) -> str:
    """Why someone can't be introduced; `who` replaces their mention (modals show no mentions)."""
    text = INTRO_PROBLEMS[problem].format(who=who or mention(user_id))
    return text[:1].upper() + text[1:]


def build_intro_refused(refused: Refused, reason_length: int = 0,
                        existing: IntroView | None = None, viewer_id: str = "") -> dict[str, Any]:
    if refused is Refused.REASON_TOO_LONG:
        return build_intro_error(
            f"That's {reason_length:,} characters; an introduction's reason can be up to "
            f"{NOTE_MAX}. Could you shorten it? Nothing was sent.")
    if refused is Refused.DUPLICATE and existing is not None and existing.introducer_id == viewer_id:
        return _intro_error(your_duplicate_text(existing),
                            "`/mutual intros` shows where it stands.")
    if refused in (Refused.DUPLICATE, Refused.NOT_NOW):
        return _intro_error(NOT_NOW_INTRO, None)
    return build_intro_error(INTRO_REFUSALS[refused] + " Nothing was sent.")


def your_duplicate_text(existing: IntroView) -> str:
    """To the introducer who suggested it already: only what they know."""
    pair = f"{mention(existing.a_id)} and {mention(existing.b_id)}"
    where = ("they're in a group chat from it already" if existing.status == "open"
             else "it's waiting for their answers")
    return f"You've already suggested introducing {pair} — {where}. Nothing new was sent."


def build_request_refused(refused: RequestRefused, reason_length: int = 0,
                          existing_intro: IntroView | None = None,
                          request: RequestView | None = None) -> dict[str, Any]:
    if refused is RequestRefused.REASON_TOO_LONG:
        return build_intro_error(
            f"That's {reason_length:,} characters; a request's reason can be up to {NOTE_MAX}. "
            "Could you shorten it? Nothing was sent.", REQUEST_USAGE)
    if refused is RequestRefused.ALREADY_INTRODUCED and existing_intro is not None:
        # The one asking is one of the two: they have the intro in their DMs already.
        return _intro_error(
            f"You've already been asked about meeting {mention(existing_intro.b_id)} — it's in "
            "your DMs from Mutual. Nothing new was sent.",
            "`/mutual intros` shows where it stands.")
    if refused is RequestRefused.DUPLICATE and request is not None:
        return _intro_error(
            f"You already asked {mention(request.connector_id)} for an introduction to "
            f"{mention(request.target_id)} on {date(request.created_at)}, and it's still "
            "open. Nothing new was sent.", None)
    if refused in (RequestRefused.NOT_NOW, RequestRefused.ALREADY_INTRODUCED,
                   RequestRefused.DUPLICATE):
        return _intro_error(NOT_NOW_REQUEST, None)
    return build_intro_error(REQUEST_REFUSALS[refused] + " Nothing was sent.", REQUEST_USAGE)


# -- proposing and consenting -----------------------------------------------------------------

def build_intro_receipt(a_id: str, b_id: str, reason: str) -> dict[str, Any]:
    """The introducer's ephemeral receipt."""
    pair = f"{mention(a_id)} and {mention(b_id)}"
    text = f"I've asked {pair} privately whether they'd like to be introduced."
    blocks = [
        section(f":handshake: {text}{_reason(reason)}"),
        context("Once both say yes, I'll start a group chat with the three of you. "
                "`/mutual intros` shows where it stands."),
    ]
    return _ephemeral(text, blocks)


def build_consent_request(introducer_id: str, other_id: str, reason: str, intro_id: int,
                          asked_by_you: bool = False) -> dict[str, Any]:
    """The DM each party gets: who wants to introduce them to whom, why, and two buttons."""
    who = mention(introducer_id)
    text = f"{who} would like to introduce you to {mention(other_id)}: {escape(reason)}"
    lead = f":wave: {who} would like to introduce you to {mention(other_id)}"
    if asked_by_you:
        lead += ", as you asked"
    blocks: list[Block] = [
        section(f"{lead}.{_reason(reason)}"),
        context(f"If you both say yes, I'll start a group chat with {who} and the two of you. "
                f"If now isn't a good time, that's fine — {who} will only hear it won't go "
                "ahead for now."),
        actions(
            button("Yes, introduce us", ids.INTRO_ACCEPT, str(intro_id), style="primary"),
            button("Not now", ids.INTRO_DECLINE, str(intro_id)),
        ),
    ]
    return message(text, blocks)


def build_consent_answered(intro: IntroView, viewer_id: str, expired: bool = False) -> dict[str, Any]:
    """Replaces a party's consent DM (and any reminder) once they answered or the intro closed,
    so its buttons cannot be pressed again. It never says what the other one answered."""
    # Someone who used `/mutual forget` is no longer named.
    other = mention(intro.other(viewer_id)) if intro.other(viewer_id) else "someone"
    who = mention(intro.introducer_id) if intro.introducer_id else "The person who suggested it"
    mine = intro.answer_of(viewer_id)
    closed = expired or intro.status in ("expired", "declined")
    if closed and intro.a_answer == intro.b_answer == "accepted":
        return build_cant_go_ahead()
    if intro.status in ("open", "connected"):
        text = f":tada: You both said yes — I've started a group chat with {who}, {other} and you."
    elif mine == "declined":
        text = (f"You said not now to meeting {other}. That's fine — {who} will only hear it "
                "won't go ahead for now.")
    elif mine == "accepted" and closed:
        text = f":white_check_mark: You said yes to meeting {other}."
    elif mine == "accepted":
        text = (f":white_check_mark: You said yes to meeting {other}. I'll start a group chat "
                "once they've answered too.")
    elif closed:
        text = (f"This introduction to {other} has closed without going ahead, so there's "
                "nothing to answer.")
    else:
        text = f"{who} would like to introduce you to {other}."
    return message(text, [section(text + _reason(intro.reason))])


def build_cant_go_ahead() -> dict[str, Any]:
    text = ("Thanks for saying yes. This introduction can't go ahead any more — one of the "
            "people in it is no longer active in this workspace.")
    return message(text, [section(text)])


def build_not_a_party() -> dict[str, Any]:
    text = "These buttons are for the people being introduced, so nothing changed."
    return {"response_type": "ephemeral", "replace_original": False, **message(text, [section(text)])}


def build_not_for_introducer(a_id: str, b_id: str) -> dict[str, Any]:
    text = (f"Only {mention(a_id)} or {mention(b_id)} can mark this as connected — it also "
            "happens on its own once both have written here.")
    return {"response_type": "ephemeral", "replace_original": False, **message(text, [section(text)])}


def build_intro_closed_notice(introducer_id: str, other_id: str) -> dict[str, Any]:
    """To a party who said yes, when the intro lapsed: the same words whether the other one
    said "not now" or never answered."""
    who = mention(introducer_id) if introducer_id else "someone"
    other = mention(other_id) if other_id else "them"
    text = (f"The introduction {who} suggested between you and {other} won't go ahead for now.")
    blocks = [section(text), context("It's often just timing — thanks for being open to it.")]
    return message(text, blocks)


def build_group_intro(introducer_id: str, a_id: str, b_id: str, reason: str, intro_id: int) -> dict[str, Any]:
    """Posted in the group DM of the three once both said yes."""
    who = mention(introducer_id)
    text = f"{who} is introducing {mention(a_id)} and {mention(b_id)}: {escape(reason)}"
    blocks: list[Block] = [
        section(f":wave: {mention(a_id)}, meet {mention(b_id)} — {who} thought you two should "
                f"talk, and you both said yes.{_reason(reason)}"),
        context(f"Say hello here whenever suits you. Once you've both written, I'll let {who} "
                "know you connected — or press the button if you met elsewhere."),
        actions(button("We've connected", ids.INTRO_CONNECTED, str(intro_id))),
    ]
    return message(text, blocks)


def build_group_connected(introducer_id: str, a_id: str, b_id: str, reason: str) -> dict[str, Any]:
    """Replaces the group intro message once they have connected."""
    text = (f"{mention(a_id)} and {mention(b_id)} connected — introduced by "
            f"{mention(introducer_id)}.")
    return message(text, [section(f":handshake: {text}{_reason(reason)}")])


def build_intro_opened_notice(a_id: str, b_id: str) -> dict[str, Any]:
    """To the introducer: it went ahead."""
    text = (f"{mention(a_id)} and {mention(b_id)} both said yes — I've started a group chat "
            "with the three of you.")
    return message(text, [section(f":tada: {text}")])


def build_group_failed_notice(a_id: str, b_id: str) -> dict[str, Any]:
    """To the introducer when Slack would not open the group chat, even after retrying."""
    text = (f"{mention(a_id)} and {mention(b_id)} both said yes, but Slack wouldn't let me start "
            "the group chat. Could you put them in touch directly?")
    blocks = [section(f":warning: {text}"),
              context("Their yes still stands — nothing else is needed from them.")]
    return message(text, blocks)


def build_connected_notice(a_id: str, b_id: str) -> dict[str, Any]:
    """To the introducer: the feedback introducers rarely get."""
    text = f"{mention(a_id)} and {mention(b_id)} connected"
    blocks = [section(f":handshake: {text} — thanks to your introduction."),
              context("They've both written in the group chat, or told me they've met.")]
    return message(text, blocks)


# -- requests ----------------------------------------------------------------------------------

def build_request_receipt(connector_id: str, target_id: str,
                          request_id: int | None = None) -> dict[str, Any]:
    text = (f"I've asked {mention(connector_id)} whether they'd introduce you to "
            f"{mention(target_id)}. I'll let you know what they say.")
    blocks: list[Block] = [section(f":incoming_envelope: {text}"),
                           context(f"{mention(target_id)} hears nothing unless "
                                   f"{mention(connector_id)} makes the introduction, and then "
                                   "they're asked first.")]
    if request_id is not None:
        blocks += [actions(withdraw_button(request_id)),
                   context("Changed your mind later? `/mutual intros` lists your requests, "
                           "each with a button to withdraw it.")]
    return _ephemeral(text, blocks)


def build_request_dm(requester_id: str, target_id: str, reason: str, request_id: int) -> dict[str, Any]:
    """The DM to the connector, with `intro_request_make` / `intro_request_decline`."""
    who = mention(requester_id)
    text = f"{who} would like you to introduce them to {mention(target_id)}: {escape(reason)}"
    blocks: list[Block] = [
        section(f":wave: {who} would like you to introduce them to {mention(target_id)}."
                f"{_reason(reason)}"),
        context(f"If you make it, both are asked before anything happens. If not, that's "
                f"fine — {who} will only hear, later, that it didn't happen this time."),
        actions(
            button("Make the introduction", ids.INTRO_REQUEST_MAKE, str(request_id), style="primary"),
            button("Not now", ids.INTRO_REQUEST_DECLINE, str(request_id)),
        ),
    ]
    return message(text, blocks)


def build_request_answered(request: RequestView) -> dict[str, Any]:
    """Replaces the connector's request DM once answered."""
    who, target = mention(request.requester_id), mention(request.target_id)
    if request.status == "made":
        text = f":white_check_mark: You made the introduction of {who} and {target}. Thank you!"
    elif request.declined_at is not None or request.status == "declined":
        text = (f"Okay — no introduction of {who} and {target} this time. {who} will only "
                "hear, later, that it didn't happen this time.")
    elif request.status == "withdrawn":
        text = f"{who} no longer needs the introduction to {target}, so there's nothing to do here."
    elif request.status == "expired":
        text = (f"{who}'s request for an introduction to {target} has closed, so there's nothing "
                "to do here.")
    else:
        text = f"{who} asked for an introduction to {target}."
    return message(text, [section(text + _reason(request.reason))])


def build_request_closed_notice(connector_id: str, target_id: str) -> dict[str, Any]:
    """To the requester when the request lapsed: the same words whether the connector said
    "not now" or never answered."""
    text = (f"Your request to {mention(connector_id)} for an introduction to "
            f"{mention(target_id)} didn't happen this time, so I've closed it.")
    blocks = [section(text),
              context("It's often a matter of timing or how well they know each other — "
                      "nothing more to read into it.")]
    return message(text, blocks)


def build_request_made_notice(connector_id: str, other_id: str, you_are_in_it: bool) -> dict[str, Any]:
    if you_are_in_it:
        text = (f"{mention(connector_id)} is introducing you to {mention(other_id)}, as you "
                "asked. Say yes in the message I've just sent you.")
    else:
        text = f"{mention(connector_id)} has answered your request for an introduction."
    return message(text, [section(f":handshake: {text}")])


# -- the intro modal ---------------------------------------------------------------------------

def build_intro_modal(a_id: str | None = None, b_id: str | None = None, reason: str = "",
                      request_id: int | None = None) -> dict[str, Any]:
    """The intro modal (`intro_request_make` opens it pre-filled); submitting works like /intro."""
    def picker(block_id: str, action_id: str, label: str, initial: str | None) -> Block:
        element: dict[str, Any] = {"type": "users_select", "action_id": action_id,
                                   "placeholder": plain(label)}
        if initial:
            element["initial_user"] = initial
        return {"type": "input", "block_id": block_id, "label": plain(label), "element": element}

    reason_input: dict[str, Any] = {"type": "plain_text_input", "action_id": ids.INTRO_REASON_INPUT,
                                    "multiline": True, "max_length": NOTE_MAX,
                                    "placeholder": plain("Why should they meet?")}
    if reason:
        reason_input["initial_value"] = reason[:NOTE_MAX]
    blocks: list[Block] = [
        picker(ids.INTRO_A_BLOCK, ids.INTRO_A_INPUT, "Introduce", a_id),
        picker(ids.INTRO_B_BLOCK, ids.INTRO_B_INPUT, "To", b_id),
        {"type": "input", "block_id": ids.INTRO_REASON_BLOCK, "label": plain("Why should they meet?"),
         "element": reason_input},
        context("Both are asked privately first; a group chat starts only if both say yes."),
    ]
    meta = json.dumps({"request_id": request_id}) if request_id is not None else ""
    return {"type": "modal", "callback_id": ids.INTRO_MODAL, "title": plain("Introduce two people"),
            "submit": plain("Ask them"), "close": plain("Cancel"), "blocks": blocks,
            "private_metadata": meta}


def request_id_of(private_metadata: str | None) -> int | None:
    try:
        value = json.loads(private_metadata or "{}").get("request_id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


def build_intro_modal_done(a_id: str, b_id: str) -> dict[str, Any]:
    text = (f"I've asked {mention(a_id)} and {mention(b_id)} privately whether they'd like to "
            "be introduced. Once both say yes, I'll start a group chat with the three of you.")
    return {"type": "modal", "title": plain("Mutual"), "close": plain("Done"),
            "blocks": [section(text)]}


# -- /mutual intros ----------------------------------------------------------------------------

def state_words(intro: IntroView, viewer_id: str) -> str:
    """Where an intro stands, as the viewer may know it (never who declined or who's slow)."""
    if intro.status == "proposed":
        if viewer_id == intro.introducer_id:
            return "waiting for their answers"
        if intro.answer_of(viewer_id) is None:
            return "waiting for your answer — see my DM"
        if intro.answer_of(viewer_id) == "declined":
            return "you said not now — it closes quietly"
        return f"you said yes; waiting for {mention(intro.other(viewer_id))}"
    if intro.status == "open":
        since = f" since {date(intro.opened_at)}" if intro.opened_at else ""
        return f"both said yes; group chat open{since}"
    return {"connected": "connected", "declined": "won't go ahead for now",
            "expired": "closed without going ahead"}.get(intro.status, intro.status)


def intro_line(intro: IntroView, viewer_id: str) -> str:
    if viewer_id == intro.introducer_id:
        head = f"You introduced {mention(intro.a_id)} and {mention(intro.b_id)}"
    else:
        head = (f"{mention(intro.introducer_id)} introduced you to "
                f"{mention(intro.other(viewer_id))}")
    line = (f"*{head}* · {date(intro.created_at)}\n_{state_words(intro, viewer_id)}_"
            f"{_reason(_short(intro.reason))}")
    return clip(line, SECTION_MAX)


def build_intro_list(intros: list[IntroView], viewer_id: str,
                     requests: list[RequestView] | None = None) -> dict[str, Any]:
    """`/mutual intros`: your open intros and their state, then the introductions you asked
    for that are still waiting (each can be withdrawn), within Block Kit's limits."""
    asked = request_blocks(requests or [])
    if not intros and not asked:
        text = "You have no introductions under way."
        return _ephemeral(text, [section(text), context(INTRO_USAGE)])
    count = len(intros)
    said = [f"Your introductions under way: {count}."] if intros else []
    blocks: list[Block] = []
    if intros:
        blocks.append(section(f"*Your introductions under way ({count})*"))
        # As many as fit in one message: its block count and its ~12k characters of text.
        room = MESSAGE_BLOCK_TEXT - block_text_length(asked) - 200
        for intro in intros[:LIST_MAX - len(asked)]:
            line = section(intro_line(intro, viewer_id))
            room -= block_text_length(line)
            if room < 0:
                break
            blocks.append(line)
        shown = len(blocks) - 1
        if count > shown:
            blocks.append(context(f"…and {count - shown} more."))
    if requests:
        said.append(f"Introductions you asked for: {len(requests)}.")
    return _ephemeral(" ".join(said), blocks + asked)


# -- what the scheduler sends ------------------------------------------------------------------

def build_intro_reminder(intro_id: int, introducer_id: str, other_id: str, reason: str) -> dict[str, Any]:
    """A gentle second ask to a party who has not answered yet, with the same buttons."""
    who = mention(introducer_id)
    text = (f"A gentle reminder: {who} would like to introduce you to {mention(other_id)}. "
            "Whenever you have a moment.")
    blocks: list[Block] = [
        section(f":seedling: A gentle reminder — {who} would like to introduce you to "
                f"{mention(other_id)}.{_reason(reason)}"),
        context(f"No pressure either way: if it's not the right time, {who} will only hear it "
                "won't go ahead for now."),
        actions(
            button("Yes, introduce us", ids.INTRO_ACCEPT, str(intro_id), style="primary"),
            button("Not now", ids.INTRO_DECLINE, str(intro_id)),
        ),
    ]
    return message(text, blocks)


def build_intro_expired_notice(a_id: str, b_id: str, reason: str = "") -> dict[str, Any]:
    """To the introducer when an intro lapsed: the same words whether someone said "not now"
    or nobody answered in time; no one is singled out."""
    text = f"Your introduction of {mention(a_id)} and {mention(b_id)} won't go ahead for now."
    blocks = [section(f"{text}{_reason(reason)}"),
              context("Timing is often the reason, and that's fine. Thanks for thinking of them.")]
    return message(text, blocks)


def build_intro_silent_nudge(intro_id: int, introducer_id: str, other_id: str,
                             group_channel_id: str | None = None) -> dict[str, Any]:
    """To a party who hasn't written in the group chat yet: a suggestion, never a reproach."""
    where = f" in <#{group_channel_id}>" if group_channel_id else " in your group chat"
    text = (f"When you have a moment, a quick hello to {mention(other_id)}{where} could go a "
            f"long way — {mention(introducer_id)} thought you two should talk.")
    blocks: list[Block] = [
        section(f":wave: {text}"),
        context("Already met some other way? Let me know and I'll tell "
                f"{mention(introducer_id)} you connected."),
        actions(button("We've connected", ids.INTRO_CONNECTED, str(intro_id))),
    ]
    return message(text, blocks)


def build_intro_silent_closed(intro: IntroView, viewer_id: str) -> dict[str, Any]:
    """Replaces the nudge to say hello once it is no longer needed."""
    other = mention(intro.other(viewer_id)) if intro.other(viewer_id) else "them"
    if intro.status == "connected":
        text = f":handshake: You and {other} have connected — thanks for saying hello."
    else:
        text = f"You've said hello to {other} — thanks. Nothing more to do here."
    return message(text, [section(text)])

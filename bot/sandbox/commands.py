"""What a person types, turned into what Slack would send Mutual: slash commands, messages,
reactions, button presses and shortcuts. Forms, people, time and the fake Slack's faults are
in commands_more.py."""

from __future__ import annotations

import re
import shlex
from typing import Any

from bot.sandbox import drafts, payloads
from bot.sandbox.manifest import COMMANDS, EVENTS, SHORTCUTS
from bot.sandbox.pick import pick
from bot.sandbox.render import Pressable, pressables, timestamp
from bot.sandbox.session import LineError, Sandbox
from bot.sandbox.state import BOT_USER_ID, Conversation, Message

MENTION = re.compile(r"(?<![\w<])@([a-z][a-z0-9._-]*)", re.I)
CHANNEL = re.compile(r"(?<![\w<])#([a-z][a-z0-9_-]*)", re.I)
EMOJI = re.compile(r"^:?([a-z0-9_+\-]+):?$")


def escape_like_slack(sb: Sandbox, text: str) -> str:
    """Slash command text as Slack sends it with `should_escape`: &, <, > escaped, known
    @names as `<@U…>` and #channels as `<#C…|name>`; an unknown @name stays as typed."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def person(match: re.Match[str]) -> str:
        if match.group(1).lower() == "mutual":
            return f"<@{BOT_USER_ID}>"
        found = sb.state.person_named(match.group(1))
        return f"<@{found.id}>" if found else match.group(0)

    def channel(match: re.Match[str]) -> str:
        found = sb.state.channel_named(match.group(1))
        return f"<#{found.id}|{found.name}>" if found else match.group(0)

    return CHANNEL.sub(channel, MENTION.sub(person, text))


# -- slash commands ---------------------------------------------------------------------------

def slash(sb: Sandbox, line: str) -> None:
    name, _, text = line.partition(" ")
    name = name.lower()
    if name not in COMMANDS:
        raise LineError(f"{name} is not a command here. Mutual's are {', '.join(COMMANDS)}; "
                        "`help` lists what else you can type.")
    me, conv = sb.me, sb.here()
    sb.ws.tick()
    body = payloads.command(me, conv, name, escape_like_slack(sb, text.strip()),
                            sb.ws.slack.new_response_url(me.id, conv.id),
                            sb.ws.slack.new_trigger(me.id))
    answer = sb.check(sb.ws.post(body), name)
    sb.post_reply(answer, conv)
    sb.settle_and_report()


# -- messages and reactions -------------------------------------------------------------------

def say(sb: Sandbox, text: str) -> None:
    if not text.strip():
        raise LineError("Say what? Try `say Hello!`.")
    me, conv = sb.me, sb.here()
    sb.ws.tick()
    with sb.ws.slack.lock:
        msg = sb.ws.slack.methods.add(conv, me.id, {"text": escape_like_slack(sb, text.strip())})
    sb.ws.slack.take_changes()  # your own message: shown below, not announced
    sb.show(msg)
    sb.saw(msg)
    subscription = "message." + {"channel": "channels"}.get(conv.kind, conv.kind)
    mentioned = f"<@{BOT_USER_ID}>" in msg.text and "app_mention" in EVENTS
    if subscription in EVENTS and BOT_USER_ID in conv.members:
        sb.check(sb.ws.post_event(payloads.message_event(msg, conv)), "the message event")
    elif mentioned and BOT_USER_ID in conv.members:
        sb.check(sb.ws.post_event(payloads.mention_event(msg)), "the mention")
    else:
        sb.note("· Mutual doesn't receive messages here (its app subscribes only to its DMs, "
                "group DMs it is in, and @mentions), so it doesn't see this — as in Slack.")
    sb.settle_and_report()


def _message_for_reaction(sb: Sandbox, args: str, verb: str) -> tuple[str, Message]:
    parts = args.split()
    if len(parts) != 2 or not parts[1].lstrip("#").isdigit() or not EMOJI.match(parts[0]):
        raise LineError(f"Try `{verb} :pray: 3` — an emoji and a message number.")
    emoji = EMOJI.match(parts[0]).group(1)  # type: ignore[union-attr]
    msg = sb.state.message(int(parts[1].lstrip("#")))
    if msg is None or not msg.visible_to(sb.me.id) or not sb._member(sb.me, msg):
        raise LineError(f"You can't see a message #{parts[1].lstrip('#')}.")
    if msg.ephemeral_to:
        raise LineError("Slack doesn't let anyone react to a message only you can see.")
    return emoji, msg


def react(sb: Sandbox, args: str) -> None:
    emoji, msg = _message_for_reaction(sb, args, "react")
    me = sb.me
    with sb.ws.slack.lock:
        who = msg.reactions.setdefault(emoji, [])
        if me.id in who:
            raise LineError(f"You've already reacted :{emoji}: to #{msg.number}.")
        who.append(me.id)
    sb.ws.tick()
    sb.note(f"You reacted :{emoji}: to #{msg.number} by {sb.render.person(msg.user)}.")
    sb.check(sb.ws.post_event(payloads.reaction("reaction_added", me, emoji, msg)), "the reaction")
    sb.settle_and_report()


def unreact(sb: Sandbox, args: str) -> None:
    emoji, msg = _message_for_reaction(sb, args, "unreact")
    me = sb.me
    with sb.ws.slack.lock:
        who = msg.reactions.get(emoji, [])
        if me.id not in who:
            raise LineError(f"You haven't reacted :{emoji}: to #{msg.number}.")
        who.remove(me.id)
        if not who:
            msg.reactions.pop(emoji, None)
    sb.ws.tick()
    sb.note(f"You took back your :{emoji}: on #{msg.number}.")
    sb.check(sb.ws.post_event(payloads.reaction("reaction_removed", me, emoji, msg)), "the reaction")
    sb.settle_and_report()


# -- buttons ------------------------------------------------------------------------------------

def choose(buttons: list[Pressable], wanted: str, where: str) -> Pressable:
    wanted = wanted.strip().strip("\"'“”")
    if not buttons:
        raise LineError(f"{where} has no buttons left to press.")
    close = pick(buttons, wanted, lambda b: b.number, lambda b: b.label)
    if len(close) == 1:
        return close[0]
    if wanted.isdigit():
        raise LineError(f"{where} has buttons 1 to {len(buttons)}, not {wanted}.")
    labels = ", ".join(f"[{b.number}] {b.label}" for b in buttons)
    if not close:
        raise LineError(f"{where} has no “{wanted}” button. Its buttons: {labels}")
    raise LineError(f"“{wanted}” could be more than one button: {labels}")


def press(sb: Sandbox, args: str) -> None:
    if not args.strip():
        raise LineError("Press which button? Try `press 1` or `press Yes`.")
    modal = sb.state.modals.get(sb.me.id)
    in_modal = pressables(modal.view.get("blocks") or []) if modal is not None else []
    # A modal covers the rest of Slack: its buttons are the ones to press while it is open.
    kind, number, buttons = ("modal", 0, in_modal) if in_modal else sb.pressable_surface()
    where = {"home": "Your Home tab", "modal": "The form"}.get(kind, f"Message #{number}")
    button = choose(buttons, args, where)
    if button.confirm:
        confirm = button.confirm
        sb.pending_confirm = (button, (kind, number))
        title = _text(confirm.get("title")).rstrip(":")
        sb.say(f"⚠ {title}{'' if title[-1:] in '?!.' else ':'} {_text(confirm.get('text'))}", "bold yellow")
        sb.note(f"  Type `yes` ({_text(confirm.get('confirm')) or 'Confirm'}) or `no` "
                f"({_text(confirm.get('deny')) or 'Cancel'}).")
        return
    send_press(sb, button, kind, number)


def answer_confirm(sb: Sandbox, yes: bool) -> None:
    assert sb.pending_confirm is not None
    button, (kind, number) = sb.pending_confirm
    sb.pending_confirm = None
    if not yes:
        sb.note("Okay — nothing was pressed.")
        return
    send_press(sb, button, kind, number)


def send_press(sb: Sandbox, button: Pressable, kind: str, number: int) -> None:
    me = sb.me
    action: dict[str, Any] = {**button.action, "action_ts": timestamp()}
    sb.ws.tick()
    trigger = sb.ws.slack.new_trigger(me.id)
    if kind in ("home", "modal"):  # a button in a view: the Home tab, or the open modal
        view = (sb.state.homes if kind == "home" else sb.state.modals)[me.id]
        body = payloads.view_action(me, view, action, trigger)
    else:
        msg = sb.state.message(number)
        assert msg is not None
        conv = sb.state.conversations[msg.channel]
        body = payloads.message_action(me, msg, conv, action, trigger,
                                       sb.ws.slack.new_response_url(me.id, conv.id, msg.number),
                                       drafts.state_of(sb, msg))
    sb.note(f"You pressed “{sb.render.text(button.label)}”.")
    sb.check(sb.ws.post(body), "the button")
    sb.settle_and_report()


def _text(obj: Any) -> str:
    return str((obj or {}).get("text", "")) if isinstance(obj, dict) else ""


# -- shortcuts ----------------------------------------------------------------------------------

def shortcut(sb: Sandbox, args: str) -> None:
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    names = ", ".join(f"“{n}”" for n in SHORTCUTS)
    if not words:
        raise LineError(f"Which shortcut? Mutual has {names}. "
                        "Try `shortcut \"Thank someone\"` or `shortcut \"This helped me\" 3`.")
    number = words[-1].lstrip("#") if words[-1].lstrip("#").isdigit() else None
    name = " ".join(words[:-1] if number else words).lower()
    match = [n for n in SHORTCUTS if n.lower() == name] or [n for n in SHORTCUTS if name in n.lower()]
    if len(match) != 1:
        raise LineError(f"Mutual has no shortcut “{name}”; it has {names}.")
    kind, callback_id = SHORTCUTS[match[0]]
    me = sb.me
    if kind == "message":
        if number is None:
            raise LineError(f"“{match[0]}” works on a message: add its number, e.g. "
                            f"`shortcut \"{match[0]}\" 3`.")
        msg = sb.state.message(int(number))
        if msg is None or not msg.visible_to(me.id) or not sb._member(me, msg):
            raise LineError(f"You can't see a message #{number}.")
        conv: Conversation = sb.state.conversations[msg.channel]
        sb.ws.tick()
        body = payloads.shortcut_on_message(me, callback_id, msg, conv, sb.ws.slack.new_trigger(me.id),
                                            sb.ws.slack.new_response_url(me.id, conv.id))
    else:
        sb.ws.tick()
        body = payloads.global_shortcut(me, callback_id, sb.ws.slack.new_trigger(me.id))
    sb.check(sb.ws.post(body), f"the “{match[0]}” shortcut")
    sb.settle_and_report()

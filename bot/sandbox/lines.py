"""One line typed at the sandbox prompt: find its verb, run it, and turn any problem into one
line of explanation (never a traceback)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from rich.text import Text

from bot.sandbox import commands, modals, verbs
from bot.sandbox.manifest import SHORTCUTS
from bot.sandbox.session import LineError, Sandbox

logger = logging.getLogger(__name__)

Verb = Callable[[Sandbox, str], None]

VERBS: dict[str, Verb] = {
    "say": commands.say, "react": commands.react, "unreact": commands.unreact,
    "press": commands.press, "shortcut": commands.shortcut,
    "set": modals.set_field, "submit": modals.submit, "cancel": modals.close,
    "close": modals.close, "form": modals.show_form,
    "as": verbs.become, "time": verbs.move_time, "inbox": verbs.inbox, "home": verbs.home,
    "channel": verbs.channel, "dm": verbs.dm, "people": verbs.people, "slack": verbs.slack,
    "install": verbs.install,
}
# Typed as slash commands too, as people are used to in Slack.
SLASHED = ("as", "time")
QUIT = ("quit", "exit", "/quit", "/exit")
YES = ("yes", "y", "confirm", "ok")
NO = ("no", "n", "deny", "cancel")

HEADLINE = "You are a person in a simulated Slack workspace; Mutual is the real app."
HELP = """\
  Mutual's commands, typed as yourself:
    /thanks @bob for the review      record help you got (several people: /thanks @bob @carol …)
    /helped @dan fixed your VPN      record help you gave; it counts once they confirm
    /intro @bob @carol <why>         introduce two people (both are asked first)
    /intro request @erin @dan <why>  ask someone for an introduction
    /ask <what you need>             ask this channel for help · /offer <what you can help with>
    /mutual [me|with @bob|intros|asks|summary|nudges off|snooze 7|export|forget|config|help]
  Shortcuts: {shortcuts}
  say <text>                       write in the conversation you're in (mentions: @name)
  react :pray: <n> · unreact …     react to message number n (a thank-you emoji records help)
  press <n or label>               press a button on the last message (or Home, or open form)
  set <field> <value> · submit · cancel (close) · form   fill in, send, close or show a modal
  as <name>                        become someone else (people lists them)
  install [name]                   add Mutual to the workspace (as erin, the admin): its welcome
  inbox [name] · home              what Mutual sent you (or them) · your App Home tab
  channel #general · dm · dm @bob  move to a channel, your DM with Mutual, a DM or group DM
  time +3d · time +2h · time 2026-12-01 10:00   move the clock (your time zone); Mutual's
                                   scheduler runs at each moment something falls due on the way
  slack down · slack up            make the simulated Slack refuse every call, or answer again
  slack 429 chat.postMessage 3 [60]   the next 3 calls to a method get HTTP 429 (Retry-After 60 s)
  slack fail chat.update internal_error 2 · slack slow users.info 5 2   errors, slow answers
  slack reset · slack status       behave normally again · what the simulated Slack is doing
  people · help · quit"""
HONESTY = ("Simulated: Slack itself (people, channels, messages, modals, files) and the clock, "
           "which moves a minute with each thing you do. Real: Mutual's code, its database and "
           "its scheduler.")


def help_(sb: Sandbox, args: str = "") -> None:
    sb.say(HEADLINE, "bold")
    shortcuts = " · ".join(f'shortcut "{name}"' + (" <n>" if kind == "message" else "")
                           for name, (kind, _) in SHORTCUTS.items())
    for line in HELP.format(shortcuts=shortcuts).splitlines():
        sb.console.print(Text(line), soft_wrap=True)
    sb.note(HONESTY)


VERBS["help"] = help_


def run_line(sb: Sandbox, line: str) -> bool:
    """Run one line; False when it failed (the reason has been printed)."""
    line = line.strip()
    if not line or line.startswith("#"):
        return True
    return attempt(sb, line, lambda: _dispatch(sb, line))


def attempt(sb: Sandbox, what: str, do: Callable[[], None]) -> bool:
    """Do one thing a person asked for (a line typed, a click in the browser); False when it
    failed, its reason said in one line; the workspace is saved either way."""
    try:
        do()
    except LineError as e:
        sb.say(f"✗ {e}", "bold red")
        return False
    except KeyboardInterrupt:
        sb.note("(interrupted)")
        return False
    except Exception as e:  # never a traceback at the prompt: one line here, the rest in the log
        logger.exception("sandbox line failed: %s", what)
        detail = str(e).splitlines()[0][:160] if str(e) else "no detail"
        sb.say(f"✗ The sandbox stumbled on that line ({type(e).__name__}: {detail}). "
               f"Details are in {sb.ws.paths.log}.", "bold red")
        return False
    finally:
        sb.ws.save()
    return True


def _dispatch(sb: Sandbox, line: str) -> None:
    word, _, rest = line.partition(" ")
    lowered = word.lower()
    if sb.pending_confirm is not None:
        if lowered in YES or lowered in NO:
            commands.answer_confirm(sb, lowered in YES)
            return
        sb.pending_confirm = None
    if lowered.startswith("/") and lowered[1:] in SLASHED:
        lowered = lowered[1:]
    if lowered.startswith("/"):
        commands.slash(sb, line)
        return
    verb = VERBS.get(lowered)
    if verb is None:
        raise LineError(f"I don't know “{word}”. Type `help` to see what you can do.")
    verb(sb, rest)

"""Filling the modal that is open for the current person: `set`, `submit`, `cancel`, `form`.

`submit` sends `view_submission` and does what Mutual's answer says (`update`, `push`,
`errors`, `clear`, or close); `cancel` closes it and sends `view_closed`, as Slack does."""

from __future__ import annotations

from typing import Any

from bot.sandbox import drafts, forms, payloads
from bot.sandbox.session import LineError, Sandbox
from bot.sandbox.state import View


def _open(sb: Sandbox) -> View:
    view = sb.state.modals.get(sb.me.id)
    if view is None:
        raise LineError("You have no modal open. Commands like `/mutual config` or a button "
                        "such as “Say thanks” open one.")
    return view


def set_field(sb: Sandbox, args: str) -> None:
    if sb.me.id not in sb.state.modals:
        msg = drafts.message_with_inputs(sb)
        if msg is not None:  # a box to type in on the last message with buttons
            try:
                drafts.set_in_message(sb, msg, _field_and_value(drafts.view_of(sb, msg), args))
            except forms.FormError as e:
                raise LineError(str(e)) from None
            return
    view = _open(sb)
    try:
        field, value = _field_and_value(view, args)
        if field.kind == "external_select":
            parsed = forms.choose_loaded(field, value, _load_options(sb, view, field, value))
        else:
            parsed = forms.parse(field, value, sb.state)
    except forms.FormError as e:
        raise LineError(str(e)) from None
    view.values.setdefault(field.block_id, {})[field.action_id] = parsed
    view.errors.pop(field.block_id, None)
    shown = forms.shown_value(parsed, sb.render) or "(empty)"
    sb.note(f"  {field.label}: {shown}")


def _load_options(sb: Sandbox, view: View, field: forms.Field, typed: str) -> list[dict[str, Any]]:
    """What Mutual offers for `typed` in an external_select: Slack asks the app as the person
    types (`block_suggestion`), and so does the sandbox."""
    answer = sb.check(sb.ws.post(payloads.block_suggestion(sb.me, view, field.block_id,
                                                           field.action_id, typed)), "the options")
    options = list(answer.get("options") or [])
    for group in answer.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def offer_options(sb: Sandbox, view: View) -> None:
    """For a face that cannot type ahead through Mutual (the browser's plain menus): each
    external_select offers what Mutual offers with nothing typed yet, loaded once."""
    for field in forms.fields(view):
        if field.kind == "external_select" and "options" not in field.element:
            field.element["options"] = _load_options(sb, view, field, "")


def _field_and_value(view: View, args: str) -> tuple[forms.Field, str]:
    """`set 3 text`, `set "What for" text`, `set what for = text`, or the longest run of
    leading words that names one field: `set Channel for the summary #general`."""
    args = args.strip()
    if not args:
        raise LineError("Try `set 1 @bob` or `set who helped @bob`: a field, then its value.")
    if "=" in args:
        name, _, value = args.partition("=")
        return forms.find(view, name.strip()), value.strip()
    if args[0] in "\"'“":
        close = {"\"": "\"", "'": "'", "“": "”"}[args[0]]
        end = args.find(close, 1)
        if end > 0:
            return forms.find(view, args[1:end]), args[end + 1:].strip()
    words = args.split()
    for cut in range(len(words) - 1, 1, -1):
        try:
            return forms.find(view, " ".join(words[:cut])), " ".join(words[cut:])
        except forms.FormError:
            continue
    return forms.find(view, words[0]), " ".join(words[1:])


def show_form(sb: Sandbox, args: str = "") -> None:
    sb.show_modal(_open(sb))


def submit(sb: Sandbox, args: str = "") -> None:
    view = _open(sb)
    if not view.view.get("submit"):
        close(sb)
        return
    empty = forms.missing(view)
    if empty:
        names = ", ".join(f"[{f.number}] {f.label}" for f in empty)
        raise LineError(f"Fill in {names} first — Slack won't submit a form with a required field empty.")
    me = sb.me
    submitted = View(view.id, view.user, view.view, values=forms.values(view), hash=view.hash)
    sb.ws.tick()
    answer = sb.check(sb.ws.post(payloads.view_submission(me, submitted, sb.ws.slack.new_trigger(me.id))),
                      "the form")
    _follow(sb, view, answer)
    sb.settle_and_report()


def _follow(sb: Sandbox, view: View, answer: dict[str, Any]) -> None:
    action = answer.get("response_action")
    if action == "errors":
        view.errors = {str(k): str(v) for k, v in (answer.get("errors") or {}).items()}
        sb.say("Mutual didn't accept the form yet:", "bold red")
        sb.show_modal(view)
        return
    if action in ("update", "push") and isinstance(answer.get("view"), dict):
        if action == "push":
            view.stack.append(view.view)
            view.stacked_values.append(forms.values(view))
        view.view, view.values, view.errors = answer["view"], {}, {}
        sb.show_modal(view)
        if forms.fields(view) or view.view.get("submit") or sb.keeps_closing_views:
            return
        _close(sb, view, notify=False)  # a closing message: shown once, then the modal goes
        return
    if action == "clear":  # every view of the stack closes
        view.stack.clear()
        view.stacked_values.clear()
    stacked = bool(view.stack)
    _close(sb, view, notify=False)  # an empty answer closes this view: back to the one under it
    if not stacked:
        sb.note("(the modal closed)")


def close(sb: Sandbox, args: str = "") -> None:
    view = _open(sb)
    stacked = bool(view.stack)
    _close(sb, view, notify=True)
    if not stacked:
        sb.note("(the modal closed)")
    sb.settle_and_report()


def _close(sb: Sandbox, view: View, notify: bool) -> None:
    if view.stack:  # a view pushed over another: closing it goes back to that one, as typed
        view.view = view.stack.pop()
        view.values = view.stacked_values.pop() if view.stacked_values else {}
        view.errors = {}
        sb.show_modal(view)
        return
    sb.state.modals.pop(view.user, None)
    if notify and view.view.get("notify_on_close"):
        # Slack sends view_closed only to apps that asked for it with notify_on_close.
        sb.check(sb.ws.post(payloads.view_closed(sb.me, view)), "closing the modal")

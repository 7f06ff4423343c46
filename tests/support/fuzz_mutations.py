"""Mutations for the fuzz suite: which fields of each surface Mutual relies on, what a broken
value of each looks like, and what the app must (not) do with it.

Each field has a role; each role lists the operations that break it (the edge must refuse
them, so nothing may change: REFUSED) and those that are allowed (ANY, or NO_EFFECT for a
well-formed id that names nothing)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from bot.payloads.interactive import ACTIONS, Value
from tests.support.fuzz import (
    ANY,
    DEEP,
    HOSTILE,
    NO_EFFECT,
    OTHER_TEAMS,
    REFUSED,
    RETYPED,
    Case,
)

DROP = object()
UNREACHABLE_RESPONSE_URL = "http://127.0.0.1:9/gone"  # port 9 refuses at once
BAD_USERS = ["", " ", "<!channel>", "U", "ubob", "12345678901234567890", "U" + "A" * 40,
             "U\x00BOB", "UBOB\n", "U١٢٣", "T0001", "C0001", "@bob", DEEP]
BAD_TEAMS = ["", "<!channel>", "t0001", "T" + "0" * 40, "T\x001", DEEP]
BAD_CHANNELS = ["", "<!channel>", "c1", "C" + "0" * 40, "C1\n", "#general", DEEP]
BAD_TS = ["", "yesterday", "1.2.3", "1" * 20 + ".1", "١.١", "1700000000", DEEP]
BAD_TRIGGERS = ["", " ", "<!channel>", "a" * 256, "t\x00x", "t\n", "trigger/1?", DEEP]
BAD_EVENT_IDS = ["", "Ev", "ev1", "Ev" + "1" * 70, "Ev1\n", DEEP]
BAD_EMOJI = ["", "a b", "<!channel>", ":pray", "x" * 101, DEEP]
BAD_TZ = ["abc", 10**20, 99999, -99999, 1.5, [3600], {}, "3600x", DEEP]
BAD_IDS = ["12345678901234567890", "2147483648", "-1", "0", "abc", "1.5", " 1", "1,2", DEEP]
VALUE_BAD: dict[Value, list[Any]] = {
    Value.ID: BAD_IDS,
    Value.IDS: ["1,,2", ",", "x", "12345678901234567890", "1;2", ",".join(["1"] * 101), DEEP],
    Value.USER: BAD_USERS,
    Value.DAYS: ["0", "366", "abc", "-5", "99999999999999999999", DEEP],
}
VALUE_UNKNOWN = {Value.ID: "99999", Value.IDS: "99998,99999"}

# (value, expectation) choices per role, DROP meaning "remove the field".
Choices = list[tuple[Any, str]]


def _refuse(values: list[Any]) -> Choices:
    return [(v, REFUSED) for v in values]


def _retyped(optional: bool) -> Choices:
    return _refuse([v for v in RETYPED if not (optional and v is None)] + [DEEP])


ROLES: dict[str, Choices] = {
    "user": [(DROP, REFUSED), *_retyped(False), *_refuse(BAD_USERS)],
    "opt_user": [(DROP, ANY), *_retyped(True), *_refuse(BAD_USERS)],
    "team": [(DROP, REFUSED), *_retyped(False), *_refuse(BAD_TEAMS + OTHER_TEAMS)],
    "shadowed_team": [(DROP, ANY), *_refuse(BAD_TEAMS), ("T0999", ANY)],
    "enterprise": [(DROP, ANY), *_refuse(["E0666", "<!channel>", "e1", DEEP])],
    "trigger": [(DROP, REFUSED), *_retyped(False), *_refuse(BAD_TRIGGERS)],
    "form_trigger": [(DROP, REFUSED), *_refuse(BAD_TRIGGERS)],  # a form value is always text
    "auth_team": [(DROP, ANY), (None, ANY), *_retyped(True), *_refuse(BAD_TEAMS + OTHER_TEAMS)],
    # A person's home team: another one is a guest from a shared channel, not an intruder.
    "home_team": [(DROP, ANY), (None, ANY), *_retyped(True), *_refuse(BAD_TEAMS),
                  *[(t, ANY) for t in OTHER_TEAMS]],
    "word": [(DROP, ANY), *_refuse([0, [], {}, "x" * 65, DEEP])],
    # A response_url that answers nothing (port 9 refuses at once), or none at all.
    "response_url": [(DROP, ANY), (UNREACHABLE_RESPONSE_URL, ANY),
                     *_refuse(["", "javascript:alert(1)", "ftp://x", "http://a b", DEEP])],
    "channel": [(DROP, REFUSED), *_retyped(False), *_refuse(BAD_CHANNELS)],
    "opt_channel": [(DROP, ANY), *_retyped(True), *_refuse(BAD_CHANNELS[1:])],
    "ts": [(DROP, REFUSED), *_retyped(False), *_refuse(BAD_TS)],
    "opt_ts": [(DROP, ANY), *_retyped(True), *_refuse(BAD_TS)],
    "struct": [(DROP, REFUSED), *_refuse([None, 0, "x", [], {}, [{}], DEEP])],
    "opt_struct": [(DROP, ANY), *_refuse([0, "x", [], [{}], DEEP])],
    "event_id": [(DROP, REFUSED), *_retyped(False), *_refuse(BAD_EVENT_IDS)],
    "emoji": [(DROP, REFUSED), *_retyped(False), *_refuse(BAD_EMOJI)],
    "tz_offset": _refuse(BAD_TZ),
    # Changing these makes a request Mutual does not listen to: answered, nothing recorded.
    "ignored": [(DROP, REFUSED), *_refuse([None, 0, "", "<!channel>", "not_ours", DEEP])],
}


def text_role(limit: int, form: bool = False) -> Choices:
    """Free text: anything readable may be recorded; past the limit it is refused."""
    kept: Choices = [(DROP, ANY), *[(h, ANY) for h in HOSTILE], ("x" * (limit + 1), REFUSED)]
    return kept if form else [*kept, *_refuse([0, [], {"a": 1}, DEEP])]


def value_role(action_id: str) -> Choices:
    kind = ACTIONS.get(action_id, Value.ANY)
    if kind in VALUE_BAD:
        return [(DROP, REFUSED), *_refuse(VALUE_BAD[kind]),
                *([(VALUE_UNKNOWN[kind], NO_EFFECT)] if kind in VALUE_UNKNOWN else [])]
    return [(DROP, ANY), ("<!channel>", ANY), ("x" * 2001, REFUSED)]


def command_fields(body: dict[str, Any]) -> list[tuple[str, Choices]]:
    return [("user_id", ROLES["user"]), ("team_id", ROLES["team"]),
            ("trigger_id", ROLES["form_trigger"]), ("channel_id", ROLES["opt_channel"]),
            ("enterprise_id", ROLES["enterprise"]), ("text", text_role(40_000, form=True)),
            ("command", ROLES["ignored"]), ("response_url", ROLES["response_url"])]


EVENT_FIELDS: dict[str, list[tuple[str, str]]] = {
    "reaction_added": [("user", "user"), ("reaction", "emoji"), ("item", "struct"),
                       ("item.channel", "channel"), ("item.ts", "ts"), ("item_user", "opt_user")],
    "message": [("user", "opt_user"), ("channel", "opt_channel"), ("ts", "opt_ts"),
                ("subtype", "word"), ("channel_type", "word")],
    "app_home_opened": [("user", "user"), ("tab", "word"), ("channel", "opt_channel")],
    "user_change": [("user", "struct"), ("user.id", "user"), ("user.tz_offset", "tz_offset"),
                    ("user.team_id", "home_team"), ("user.profile", "opt_struct")],
    "tokens_revoked": [("tokens", "opt_struct"), ("tokens.bot", "opt_struct")],
}
EVENT_FIELDS["reaction_removed"] = EVENT_FIELDS["reaction_added"]


def event_fields(body: dict[str, Any]) -> list[tuple[str, Choices]]:
    event = body.get("event") or {}
    own = [(f"event.{path}", ROLES[role]) for path, role in EVENT_FIELDS.get(event.get("type"), [])]
    if event.get("type") == "user_change":
        own.append(("event.user.name", text_role(255)))
    return [("event_id", ROLES["event_id"]), ("authorizations.0.team_id", ROLES["auth_team"]),
            ("team_id", ROLES["shadowed_team"]), ("event", ROLES["struct"]),
            ("event.type", ROLES["ignored"]), *own]


def _who(body: dict[str, Any]) -> list[tuple[str, Choices]]:
    return [("user", ROLES["struct"]), ("user.id", ROLES["user"]), ("team.id", ROLES["team"]),
            ("trigger_id", ROLES["trigger"])]


def action_fields(body: dict[str, Any]) -> list[tuple[str, Choices]]:
    action_id = str((body.get("actions") or [{}])[0].get("action_id"))
    fields = [*_who(body), ("actions", ROLES["struct"]), ("actions.0.action_id", ROLES["ignored"]),
              ("actions.0.value", value_role(action_id)), ("container", ROLES["opt_struct"]),
              ("container.channel_id", ROLES["opt_channel"]),
              ("container.message_ts", ROLES["opt_ts"])]
    if body.get("container", {}).get("type") == "message":
        fields.append(("response_url", [(DROP, REFUSED), *ROLES["response_url"][1:]]))
    if ACTIONS.get(action_id) is Value.SELECTED_DAYS:
        fields += [("actions.0.selected_option", [(DROP, REFUSED), *_refuse([None, "30", []])]),
                   ("actions.0.selected_option.value", _refuse(VALUE_BAD[Value.DAYS]))]
    return fields


META_ROLES: dict[str, Choices] = {
    "record_help": [(DROP, REFUSED), *_refuse([0, "", "{}", "[]", "null", "x" * 3001,
                    '{"channel": "CGENERAL", "ts": "1.1", "author": "<!channel>"}',
                    '{"channel": "#x", "ts": "1.1", "author": "UBOB"}'])],
    "intro_submit": [(DROP, ANY), ('{"request_id": 99999}', ANY),
                     *_refuse(['{"request_id": "7"}', '{"request_id": 12345678901234567890}',
                               '{"request_id": -1}', "garbage", "[]", 0])],
}


def view_fields(body: dict[str, Any]) -> list[tuple[str, Choices]]:
    view = body.get("view") or {}
    meta = META_ROLES.get(view.get("callback_id"), [(DROP, ANY), *_refuse(["x", "{}", 0])])
    fields = [*_who(body), ("view", ROLES["struct"]), ("view.callback_id", ROLES["ignored"]),
              ("view.private_metadata", meta)]
    for block, inputs in ((view.get("state") or {}).get("values") or {}).items():
        for action, value in inputs.items():
            at = f"view.state.values.{block}.{action}"
            fields += [(f"{at}.value", text_role(3000)), (f"{at}.selected_user", ROLES["opt_user"]),
                       (f"{at}.selected_conversation", ROLES["opt_channel"])]
            if "selected_users" in value:
                fields.append((f"{at}.selected_users", [(DROP, ANY), *_refuse(
                    ["UBOB", [None], ["<!channel>"], [0], ["UBOB"] * 101, DEEP])]))
    return fields


def shortcut_fields(body: dict[str, Any]) -> list[tuple[str, Choices]]:
    fields = [*_who(body), ("callback_id", ROLES["ignored"])]
    if body.get("type") == "message_action":
        fields += [("channel", ROLES["struct"]), ("channel.id", ROLES["channel"]),
                   ("message", ROLES["struct"]), ("message.ts", ROLES["ts"]),
                   ("message.user", ROLES["opt_user"])]
    return fields


def _get(data: Any, path: list[str | int]) -> tuple[bool, Any]:
    for key in path:
        in_dict = isinstance(data, dict) and key in data
        in_list = isinstance(data, list) and isinstance(key, int) and key < len(data)
        if not (in_dict or in_list):
            return False, None
        data = data[key]
    return True, data


def _set(data: Any, path: list[str | int], value: Any) -> None:
    found, parent = _get(data, path[:-1])
    assert found
    if value is DROP:
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = None
    else:
        parent[path[-1]] = value


Fields = Callable[[dict[str, Any]], list[tuple[str, Choices]]]


@st.composite
def mutated(draw: st.DrawFn, bodies: st.SearchStrategy[dict[str, Any]], fields: Fields,
            kind: str) -> Case:
    """A body from `bodies`, mostly with one field broken (sometimes left whole). A
    view_closed records nothing even when whole: Mutual listens to none."""
    body = draw(bodies)
    quiet = body.get("type") == "view_closed"
    present = [(path, choices) for path, choices in fields(body)
               if _get(body, _split(path)[:-1])[0]]
    if not present or draw(st.integers(0, 4)) == 0:
        return Case(kind, body, REFUSED if quiet else ANY, "as Slack sends it")
    path, choices = draw(st.sampled_from(present))
    value, expect = draw(st.sampled_from(choices))
    broken = copy.deepcopy(body)
    _set(broken, _split(path), value)
    shown = "dropped" if value is DROP else repr(value)[:40]
    return Case(kind, broken, REFUSED if quiet else expect, f"{path} = {shown}")


def _split(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in path.split(".")]



"""Hypothesis strategies for the fuzz suite: Slack-shaped bodies for every surface Mutual
registers (from the shapes in tests/support/payloads.py), and mutations of them.

A `Case` is a body plus what it must not do: `REFUSED` inputs (a relied-on field dropped,
retyped, malformed, oversized or nested; another workspace) must leave every table as it
was; `NO_EFFECT` ones (a well-formed press naming an id that does not exist) may only claim
their trigger_id; `ANY` ones (hostile or odd text where text is allowed) may record. Every
case must be answered, under 3 s, without a 5xx. Strings "@@claim@@", "@@intro@@",
"@@request@@", "@@record@@" and "@@respond@@" stand for the seeded rows and the double's
response_url; `render` fills them in."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from hypothesis import strategies as st

from bot import constants as ids
from bot.payloads.interactive import ACTIONS, Value
from tests.support import payloads as p

REFUSED, NO_EFFECT, ANY = "refused", "no effect", "any"
RESPOND = "@@respond@@"
DEEP = "@@deep@@"  # replaced by a JSON value nested 5,000 deep
USERS = ["UALICE", "UBOB", "UCAROL", "UERIN", "UDAVE", "UROBOT", "UFOREIGN", "UNOBODY1"]
HOSTILE = ["<!channel>", "<!here> look", "<!subteam^S0123|@team>", "<https://evil.example|click>",
           "&lt;!channel&gt;", "<mailto:a@evil.example|HR>", "a\x00b", "\x1b[31mred", "\u202eevil",
           "🙏" * 50, "payload=x", "{\"payload\": 1}", "x" * 600, "\ud800", "'; DROP TABLE x;--"]
BAD_IDS = ["", " ", "<!channel>", "U", "ubob", "12345678901234567890", "U" + "A" * 40,
           "U\x00BOB", "UBOB\n", "U١٢٣", "T0001", "C0001", "@bob", DEEP]
RETYPED: list[Any] = [None, 0, 12345678901234567890, -1, 1.5, True, [], ["UBOB"], {}, {"id": "UBOB"}]
OTHER_TEAMS = ["T0999", "TNEWTEAM", "E0666"]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=120))


@dataclass
class Case:
    """One request to send: a body (a dict, or raw text for body-level mutations), how it is
    encoded and signed, and what it must not do."""

    kind: str  # "command" | "event" | "interactive" | "raw"
    data: Any
    expect: str
    why: str
    content_type: str | None = None
    sign: str = "good"  # good | none | secret | stale | ts:<value> | sig:<value>
    extra_pairs: list[tuple[str, str]] = field(default_factory=list)
    raw_op: str = ""  # for kind "raw": what to do to the rendered body of `data` (a Case)

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        return f"Case({self.kind}, {self.why!r}, expect={self.expect}, sign={self.sign})"


def render(case: Case, seeds: dict[str, str]) -> tuple[bytes, str]:
    """(body bytes, content type), placeholders filled in before the body is encoded."""
    def fill(text: str, deep_json: bool) -> str:
        for token, value in seeds.items():
            text = text.replace(token, value)
        deep = "[" * 5000 + "]" * 5000
        return text.replace(json.dumps(DEEP), deep) if deep_json else text.replace(DEEP, deep)

    if case.kind == "command":
        pairs = [(k, fill(str(v), False)) for k, v in [*case.data.items(), *case.extra_pairs]]
        body = urlencode(pairs, encoding="utf-8", errors="surrogatepass")
        kind = "application/x-www-form-urlencoded"
    elif case.kind == "event":
        body, kind = fill(json.dumps(case.data), True), "application/json"
    elif case.kind == "interactive":
        body = urlencode([("payload", fill(json.dumps(case.data), True)), *case.extra_pairs])
        kind = "application/x-www-form-urlencoded"
    else:
        raw, kind = render(case.data, seeds)
        return _raw(case.raw_op, raw, kind)
    return body.encode("utf-8", "surrogatepass"), case.content_type or kind


def _raw(op: str, body: bytes, kind: str) -> tuple[bytes, str]:
    name, _, arg = op.partition(":")
    if name == "truncate":
        return body[: int(len(body) * float(arg))], kind
    if name == "append":
        return body + arg.encode(), kind
    if name == "bytes":
        cut = len(body) // 2
        return body[:cut] + b"\xff\xfe\xc3" + body[cut:], kind
    if name == "type":
        return body, arg
    if name == "wrap":
        return arg.replace("BODY", body.decode("utf-8", "surrogatepass")).encode("utf-8", "surrogatepass"), kind
    if name == "deep":
        return b"[" * 5000 + body + b"]" * 5000, kind
    if name == "empty":
        return b"", kind
    if name == "huge":
        return body + b"&pad=" + b"x" * (1024 * 1024 + 10), kind
    raise AssertionError(op)


# Whole-body mutations: (op, expectation). Broken encodings and shapes are refused; a body
# cut short, padded or sent with another content type may still read as a request.
RAW_OPS: list[tuple[str, str]] = [
    *[(f"truncate:{f}", ANY) for f in (0.1, 0.5, 0.9, 0.99)],
    ("append:&x=1", ANY), ("append:}}}", ANY), ("append:\u0000", ANY),
    ("bytes", REFUSED), ("deep", REFUSED), ("empty", REFUSED), ("huge", REFUSED),
    ("wrap:[BODY]", REFUSED), ("wrap:\"BODY\"", REFUSED), ("wrap:BODY&BODY", REFUSED),
    *[(f"type:{t}", ANY) for t in ("application/json", "text/plain", "", "multipart/form-data",
                                   "application/x-www-form-urlencoded; charset=latin-1")],
]
SIGNS = ["none", "secret", "stale", "future", "ts:abc", "ts:", "ts:-1", "ts:1.5", "ts:1e9",
         "ts:99999999999999999999", "sig:", "sig:v0=", "sig:v0=garbage", "sig:v1=00", "sig:é"]


def any_surface() -> st.SearchStrategy[Case]:
    return st.one_of(commands().map(lambda b: Case("command", b, ANY, "command")),
                     events().map(lambda b: Case("event", b, ANY, "event")),
                     block_actions().map(lambda b: Case("interactive", b, ANY, "block_actions")),
                     view_submissions().map(lambda b: Case("interactive", b, ANY, "view")),
                     shortcuts().map(lambda b: Case("interactive", b, ANY, "shortcut")))


@st.composite
def raw_bodies(draw: st.DrawFn) -> Case:
    """A valid body of any surface, then broken as bytes."""
    base = draw(any_surface())
    op, expect = draw(st.sampled_from(RAW_OPS))
    return Case("raw", base, expect, f"{base.why} body {op[:30]}", raw_op=op)


@st.composite
def unsigned(draw: st.DrawFn) -> Case:
    """A valid body of any surface, not signed as Slack signs: always 401, nothing changed."""
    base = draw(any_surface())
    sign = draw(st.sampled_from(SIGNS))
    return Case(base.kind, base.data, REFUSED, f"{base.why} signed {sign}", sign=sign)


# -- valid-looking bodies, one family per surface ----------------------------------------------
def _form(body: str) -> dict[str, Any]:
    return dict(parse_qsl(body, keep_blank_values=True))


def payload_of(body: str) -> dict[str, Any]:
    return json.loads(_form(body)["payload"])


mention = st.sampled_from(USERS).map(lambda u: f"<@{u}>")
command_text = st.one_of(
    st.tuples(st.lists(mention, max_size=3), st.sampled_from(["", " for ", ", ", " and "]), TEXT)
    .map(lambda t: " ".join(t[0]) + t[1] + t[2]),
    st.sampled_from(["me", "with <@UBOB>", "intros", "nudges off", "nudges on", "snooze 3",
                     "snooze 99999999999999999999", "summary", "help", "forget", "config", "export",
                     "request <@UBOB> <@UCAROL> coffee?", ""]),
    TEXT)


@st.composite
def commands(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(["/thanks", "/helped", "/intro", "/mutual"]))
    user = draw(st.sampled_from(USERS[:4]))
    body = _form(p.command(name, "", user=user, response_url=RESPOND))
    body["text"] = draw(command_text)  # set after urlencode: it may hold a lone surrogate
    body["trigger_id"] = f"fz.{draw(st.integers(1, 10**12))}"
    return body


def _reaction(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["reaction_added", "reaction_removed"]))
    author = draw(st.sampled_from([*USERS, None]))
    emoji = draw(st.sampled_from(["pray", "raised_hands", "thankyou", "+1", "heart_hands::skin-tone-2"]))
    return p.reaction(kind, draw(st.sampled_from(USERS)), author, emoji=emoji)


def _message(draw: st.DrawFn) -> dict[str, Any]:
    extra = draw(st.sampled_from([{}, {"subtype": "channel_join"}, {"bot_id": "B1"},
                                  {"channel_type": "im"}]))
    return p.mpim_message(draw(st.sampled_from([*USERS, None])), "GGROUP", draw(TEXT), **extra)


def _user_change(draw: st.DrawFn) -> dict[str, Any]:
    user = {"id": draw(st.sampled_from(USERS)), "team_id": "T0001", "name": draw(TEXT)[:80],
            "tz": draw(st.sampled_from(["Europe/London", "Asia/Kolkata", None])),
            "tz_offset": draw(st.integers(-43200, 50400)), "deleted": draw(st.booleans()),
            "is_bot": draw(st.booleans()), "profile": {"display_name": draw(TEXT)[:80]}}
    return {"type": "user_change", "user": user}


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    which = draw(st.sampled_from(["reaction", "reaction", "message", "home", "user_change",
                                  "tokens_revoked", "app_uninstalled", "other"]))
    inner = {"reaction": lambda: _reaction(draw), "message": lambda: _message(draw),
             "home": lambda: p.home_opened(draw(st.sampled_from(USERS)),
                                           draw(st.sampled_from(["home", "messages"]))),
             "user_change": lambda: _user_change(draw),
             "tokens_revoked": lambda: {"type": "tokens_revoked",
                                        "tokens": {"oauth": ["UALICE"], "bot": []}},
             "app_uninstalled": lambda: {"type": "app_uninstalled"},
             "other": lambda: {"type": "pin_added", "user": "UALICE"}}[which]()
    return json.loads(p.event(inner, event_id=f"Ev{draw(st.integers(1, 10**12))}"))


def _action_value(draw: st.DrawFn, action_id: str) -> str:
    kind = ACTIONS[action_id]
    if kind is Value.ID:
        return draw(st.sampled_from(["@@claim@@", "@@intro@@", "@@request@@", "1", "2"]))
    if kind is Value.IDS:
        return draw(st.sampled_from(["@@record@@", "1,2", "1"]))
    if kind is Value.USER:
        return draw(st.sampled_from(USERS))
    return draw(st.sampled_from(["30", "7", "1", "on", "off", "0", "thank"]))


@st.composite
def block_actions(draw: st.DrawFn) -> dict[str, Any]:
    action_id = draw(st.sampled_from(sorted(ACTIONS)))
    user = draw(st.sampled_from(USERS[:4]))
    if ACTIONS[action_id] is Value.SELECTED_DAYS or action_id.startswith("home_"):
        body = payload_of(p.home_action(action_id, value=_action_value(draw, action_id),
                                      selected=draw(st.sampled_from(["7", "30", "90"])), user=user))
        if ACTIONS[action_id] is not Value.SELECTED_DAYS:
            body["actions"][0].pop("selected_option", None)
            body["actions"][0]["type"] = "button"
    else:
        body = payload_of(p.block_action(action_id, _action_value(draw, action_id), user=user,
                                       channel=draw(st.sampled_from(["DBOB", user, "GGROUP"])),
                                       response_url=RESPOND))
    body["trigger_id"] = f"fz.{draw(st.integers(1, 10**12))}"
    return body


def _inputs(draw: st.DrawFn, callback: str) -> dict[str, Any]:
    person = {"type": "users_select", "selected_user": draw(st.sampled_from([*USERS, None]))}
    note = {"type": "plain_text_input", "value": draw(st.one_of(st.none(), TEXT))}
    if callback == ids.THANK_SOMEONE:
        people = draw(st.lists(st.sampled_from(USERS), max_size=3))
        return {ids.PEOPLE_BLOCK: {ids.PEOPLE_INPUT: {"type": "multi_users_select",
                                                      "selected_users": people}},
                ids.NOTE_BLOCK: {ids.NOTE_INPUT: note}}
    if callback == ids.HELPED_MODAL:
        return {ids.PERSON_BLOCK: {ids.PERSON_INPUT: person}, ids.NOTE_BLOCK: {ids.NOTE_INPUT: note}}
    if callback == ids.INTRO_MODAL:
        other = {"type": "users_select", "selected_user": draw(st.sampled_from([*USERS, None]))}
        return {ids.INTRO_A_BLOCK: {ids.INTRO_A_INPUT: person},
                ids.INTRO_B_BLOCK: {ids.INTRO_B_INPUT: other},
                ids.INTRO_REASON_BLOCK: {ids.INTRO_REASON_INPUT: note}}
    if callback == ids.CONFIG_SUBMIT:
        number = {"type": "number_input", "value": draw(st.sampled_from(["3", "0", "abc", "999999"]))}
        return {ids.CFG_TIMEZONE: {ids.CFG_TIMEZONE: {"type": "plain_text_input",
                                                      "value": draw(TEXT)}},
                ids.CFG_WINDOW_DAYS: {ids.CFG_WINDOW_DAYS: number},
                ids.CFG_NUDGE_CHANNEL: {ids.CFG_NUDGE_CHANNEL: {
                    "type": "conversations_select", "selected_conversation": "CGENERAL"}}}
    return {ids.NOTE_BLOCK: {ids.NOTE_INPUT: note}}


@st.composite
def view_submissions(draw: st.DrawFn) -> dict[str, Any]:
    callback = draw(st.sampled_from([ids.RECORD_HELP, ids.THANK_SOMEONE, ids.HELPED_MODAL,
                                     ids.INTRO_MODAL, ids.CONFIG_SUBMIT]))
    meta = ""
    if callback == ids.RECORD_HELP:
        meta = json.dumps({"channel": "CGENERAL", "ts": "1700000000.000100",
                           "author": draw(st.sampled_from(USERS))})
    elif callback == ids.INTRO_MODAL:
        meta = draw(st.sampled_from(["", '{"request_id": @@request@@}']))
    body = payload_of(p.view_submission(callback, _inputs(draw, callback),
                                      user=draw(st.sampled_from(USERS[:4])), private_metadata=meta))
    body["trigger_id"] = f"fz.{draw(st.integers(1, 10**12))}"
    return body


@st.composite
def shortcuts(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(st.sampled_from(USERS[:4]))
    which = draw(st.sampled_from(["message", "global", "closed"]))
    if which == "message":
        message = {"ts": "1700000000.000100", "text": draw(TEXT),
                   **draw(st.sampled_from([{"user": "UBOB"}, {"user": user}, {"bot_id": "B1"},
                                           {"user": "UROBOT", "subtype": "bot_message"}]))}
        body = payload_of(p.message_shortcut(ids.RECORD_HELP, message, user=user))
    elif which == "global":
        body = payload_of(p.global_shortcut(ids.THANK_SOMEONE, user=user))
    else:
        body = payload_of(p.view_submission(ids.THANK_SOMEONE, {}, user=user))
        body["type"] = "view_closed"
    body["trigger_id"] = f"fz.{draw(st.integers(1, 10**12))}"
    return body

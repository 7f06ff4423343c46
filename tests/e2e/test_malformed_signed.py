"""A request signed with the right secret but shaped wrong — a field missing, null, or of
another type, at any depth Mutual or Bolt reads — gets a 4xx or a quiet 200 over real HTTP,
never a 500 (issue 18: a view_submission with no view.type or no state
made Bolt's matcher and the modal listeners raise KeyError)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot import constants as ids
from tests.support import payloads as p
from tests.support.live import LiveMutual

ODD = (None, "", "x", 7, [], {}, ["x"], {"x": 1})


def _base_interactions() -> list[dict[str, Any]]:
    """One real-shaped payload of every interactive kind Mutual listens to."""
    def loaded(body: str) -> dict[str, Any]:
        from urllib.parse import parse_qs
        return json.loads(parse_qs(body)["payload"][0])
    values = {ids.NOTE_BLOCK: {ids.NOTE_INPUT: {"type": "plain_text_input", "value": "thanks"}},
              ids.PEOPLE_BLOCK: {ids.PEOPLE_INPUT: {"type": "multi_users_select",
                                                     "selected_users": ["UBOB"]}}}
    return [
        loaded(p.block_action(ids.THANKS_UNDO, "1")),
        loaded(p.block_action(ids.HOME_SNOOZE, "7", container_type="view")),
        loaded(p.view_submission(ids.THANK_SOMEONE, values)),
        loaded(p.view_submission(ids.HELPED_MODAL, values)),
        loaded(p.view_submission(ids.CONFIG_SUBMIT, {})),
        loaded(p.view_submission(ids.INTRO_MODAL, {})),
        loaded(p.view_submission(ids.RECORD_HELP, values,
                                 private_metadata=json.dumps({"author": "UBOB", "channel":
                                                              "CGENERAL", "ts": "1.2"}))),
        loaded(p.message_shortcut(ids.RECORD_HELP, {"ts": "1700000001.000100", "user": "UBOB",
                                                    "text": "hi"})),
        loaded(p.global_shortcut(ids.THANK_SOMEONE)),
        {**loaded(p.view_submission(ids.THANK_SOMEONE, values)), "type": "view_closed"},
        loaded(p.block_suggestion(ids.CFG_TIMEZONE, "lon")),
    ]


def _paths(value: Any, prefix: tuple[Any, ...] = (), depth: int = 3) -> Iterator[tuple[Any, ...]]:
    if depth == 0:
        return
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, inner in items:
        yield (*prefix, key)
        yield from _paths(inner, (*prefix, key), depth - 1)


def _mutated(base: dict[str, Any], path: tuple[Any, ...], new: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(base))
    holder = copy
    for key in path[:-1]:
        holder = holder[key]
    if new is _MISSING:
        del holder[path[-1]]
    else:
        holder[path[-1]] = new
    if isinstance(copy.get("trigger_id"), str) and path != ("trigger_id",):
        copy["trigger_id"] = f"9.{next(_TRIGGERS)}.sweep"  # each case is seen as new
    return copy


_TRIGGERS = itertools.count(1)


_MISSING = object()


def malformed() -> Iterator[tuple[str, dict[str, Any]]]:
    for base in _base_interactions():
        name = (base.get("callback_id") or (base.get("view") or {}).get("callback_id")
                or (base.get("actions") or [{}])[0].get("action_id") or base.get("action_id"))
        kind = f"{base['type']}:{name}"
        for path in _paths(base):
            for new in (_MISSING, *ODD):
                yield f"{kind} {'.'.join(map(str, path))}={new!r}", _mutated(base, path, new)


def test_no_malformed_signed_interaction_gets_a_500(mutual: LiveMutual) -> None:
    failures = []
    cases = 0
    for name, payload in malformed():
        cases += 1
        reply = mutual.post(urlencode({"payload": json.dumps(payload)}), settle=False)
        if reply.status >= 500 or reply.status not in (200, 400, 401, 403, 404, 422):
            failures.append((name, reply.status, reply.body[:200]))
    assert cases > 500
    assert not failures, f"{len(failures)} of {cases}: {failures[:20]}"


@pytest.mark.parametrize("body", [
    {"type": "view_submission", "team": {"id": p.TEAM}, "user": {"id": "UALICE"},
     "trigger_id": "1.2.3", "view": {"callback_id": ids.THANK_SOMEONE, "state": {"values": {}}}},
    {"type": "view_submission", "team": {"id": p.TEAM}, "user": {"id": "UALICE"},
     "trigger_id": "1.2.4", "view": {"type": "modal", "callback_id": ids.THANK_SOMEONE}},
    {"type": "block_actions", "team": {"id": p.TEAM}, "user": {"id": "UALICE"},
     "trigger_id": "1.2.5"},
    {"type": "shortcut", "team": {"id": p.TEAM}, "user": {"id": "UALICE"}, "trigger_id": "1.2.6"},
    {"type": "message_action", "team": {"id": p.TEAM}, "user": {"id": "UALICE"},
     "trigger_id": "1.2.7", "callback_id": ids.RECORD_HELP},
    {"type": "block_suggestion", "team": {"id": p.TEAM}, "user": {"id": "UALICE"}},
    {"type": "view_closed", "team": {"id": p.TEAM}, "user": {"id": "UALICE"}},
    {"type": None}, {"type": 7}, {}, [], "x", None,
], ids=lambda b: json.dumps(b)[:60])
def test_the_shapes_issue_18_names(mutual: LiveMutual, body: Any) -> None:
    """The shapes named in the issue, each on its own: a modal answer is a refusal the person
    can read (never the 500 Slack shows as "We had some trouble connecting")."""
    reply = mutual.post(urlencode({"payload": json.dumps(body)}))
    assert reply.status in (200, 400), (reply.status, reply.body[:200])
    if isinstance(body, dict) and body.get("type") == "view_submission" and reply.body:
        assert reply.json()["response_action"] in ("update", "errors")

"""Every Block Kit builder stays within Slack's limits for any input (issue 18): huge and
hostile notes, reasons and names, long lists of people, records, intros and offers. Each
builder's output is checked with bot/blocks/checks.py — the same checks the Web API double
and the sandbox answer with — and no mrkdwn text may hold a bare or half-cut escape
("…&am")."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import pkgutil
import re
import types
import typing
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import bot.blocks
from bot.blocks import limits
from bot.blocks.checks import ack_problems, block_problems, message_problems, view_problems
from bot.blocks.kit import escape

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="&<>*_~`:@!|\n abc", min_size=1, max_size=6000),
    st.builds(lambda unit, n: unit * n, st.sampled_from(["&", "<@UBOB>", "a&b ", "é", "<!here>",
                                                         "x" * 99 + "&", "\n"]),
              st.integers(1, 4000)),
)
USER = st.from_regex(r"\A[UW][A-Z0-9]{8,10}\Z")
CHANNEL = st.from_regex(r"\A[CDG][A-Z0-9]{8,10}\Z")
ZONES = st.sampled_from(["UTC", "Europe/London", "America/Los_Angeles", "Asia/Kolkata"])
WORDS = st.text(alphabet="abcdefghij_", min_size=1, max_size=30)
WHEN = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1),
                    timezones=st.just(UTC))


# Mutual's own words, passed in already escaped (they may quote what someone typed).
OWN_WORDS = HOSTILE.map(escape).filter(str.strip)


def _by_name(name: str) -> st.SearchStrategy[str] | None:
    if name in ("text", "hint", "usage", "prefix", "words_note"):
        return OWN_WORDS
    if name == "private_metadata":
        return st.text(max_size=300)
    if name in ("timezone", "zone", "tz"):
        return ZONES
    if name in ("channel_id", "channel", "nudge_channel") or name.endswith("channel_id"):
        return CHANNEL
    if name.endswith(("_id", "_ids", "user", "users", "helper", "helpers")) or name in (
            "viewer", "other", "person", "people"):
        return USER
    if name in ("error", "source", "status", "answer", "outcome", "kind", "prefix", "usage",
                "surface", "via", "verb", "name", "label", "emoji", "thank_emoji", "day"):
        return WORDS
    return None


def strategy(name: str, tp: Any) -> st.SearchStrategy[Any]:
    """Values for one parameter or field, chosen by its name and type."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([st.none() if a is type(None) else strategy(name, a) for a in args])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (list, typing.Sequence, tuple) and args and (origin is not tuple or ... in args):
        inner = args[0]
        items = st.lists(strategy(name.rstrip("s"), inner), max_size=120)
        return items.map(tuple) if origin is tuple else items
    if origin is tuple:
        return st.tuples(*(strategy(name, a) for a in args))
    if origin is dict or tp is dict:
        return st.just({})
    if tp is str:
        named = _by_name(name)
        return HOSTILE if named is None else named
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(0, 10**7)
    if tp is float:
        return st.floats(0, 1e7, allow_nan=False)
    if tp is datetime:
        return WHEN
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return st.builds(tp, **{f.name: strategy(f.name, hints[f.name])
                                for f in dataclasses.fields(tp) if f.init})
    return st.from_type(tp)


def builders() -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for module in pkgutil.iter_modules(bot.blocks.__path__):
        loaded = importlib.import_module(f"bot.blocks.{module.name}")
        for name, fn in inspect.getmembers(loaded, inspect.isfunction):
            if name.startswith("build_") and fn.__module__ == loaded.__name__:
                found.append((f"{module.name}.{name}", fn))
    return sorted(found, key=lambda item: item[0])


# Parameters whose name says less than their caller: Mutual's words, not a person's.
RENAMED = {("build_offer_list", "note"): "text"}


def arguments(fn: Callable[..., Any]) -> st.SearchStrategy[dict[str, Any]]:
    hints = typing.get_type_hints(fn)
    return st.fixed_dictionaries({
        name: strategy(RENAMED.get((fn.__name__, name), name), hints[name])
        for name in inspect.signature(fn).parameters})


def problems_of(built: Any) -> list[str]:
    if isinstance(built, str):
        return [] if len(built) <= limits.MESSAGE_TEXT else ["text past 40,000"]
    if isinstance(built, list):
        if built and all("value" in o and "text" in o for o in built):
            return ack_problems({"options": built})
        return block_problems(built, limits.VIEW_BLOCKS) if built else []
    if built.get("response_action") or "options" in built:
        return ack_problems(built)
    if built.get("type") in ("modal", "home"):
        return view_problems(built, None)
    return message_problems(built)


_HALF_ESCAPE = re.compile(r"&(?!amp;|lt;|gt;)")


def half_escapes(built: Any) -> list[str]:
    """mrkdwn texts with an `&` that is not a whole escape: a cut one, or one not escaped."""
    found: list[str] = []
    if isinstance(built, dict):
        if built.get("type") == "mrkdwn" and _HALF_ESCAPE.search(str(built.get("text"))):
            found.append(str(built["text"])[-80:])
        for value in built.values():
            found += half_escapes(value)
    elif isinstance(built, list):
        for value in built:
            found += half_escapes(value)
    return found


@pytest.mark.parametrize(("name", "fn"), builders(), ids=[n for n, _ in builders()])
def test_every_builder_stays_within_slacks_limits(name: str, fn: Callable[..., Any]) -> None:
    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.data_too_large])
    @given(arguments(fn))
    def check(kwargs: dict[str, Any]) -> None:
        try:
            built = fn(**kwargs)
        except (KeyError, ValueError, IndexError):
            assume(False)  # a value no caller can pass (an unknown status, a bad zone)
            return
        assert not problems_of(built), (name, problems_of(built)[:5])
        assert not half_escapes(built), (name, half_escapes(built)[:3])

    check()


def test_the_sweep_reaches_every_builder() -> None:
    assert len(builders()) > 120

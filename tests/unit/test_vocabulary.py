"""One vocabulary across every builder: a thank-you records help received; giving back is
helping. No message proposes a thank-you as the way to give back, make a relationship two-way
or even things out — and a one-sided suggestion whose help the reader already thanked for
offers no thank-you at all."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot import constants as ids
from bot.blocks import nudges
from bot.services.asks import AskView
from bot.services.ways_to_give import WaysToGive
from tests.unit.test_escaping import RENDERS, texts

NOW = datetime(2026, 11, 16, 10, tzinfo=UTC)
GIVING_BACK = re.compile(r"give back|giving back|gave back|return(?:s|ing)? (?:the|a) favou?r"
                         r"|favou?rs? returned|two-way|even(?:s|ing)? (?:things|it) out|pay it "
                         r"forward|pass(?:ing)? it on", re.I)
THANKING = re.compile(r"\b(?:a thank-you|thank-yous?|say thanks|thank (?:them|him|her)|thanking)\b",
                      re.I)
# Saying what a thank-you is (or is not) is the point, not a contradiction of it.
NOT_A_WAY = re.compile(r"(?:doesn't|does not|won't|not) (?:give|a way)|records? help", re.I)
FORBIDDEN = re.compile(r"goes a long way|a thank-you or a favou?r|favou?r returned", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


def sentences(rendered: Any) -> list[str]:
    return [s for text in texts(rendered) for s in SENTENCE_END.split(text) if s.strip()]


def action_ids(rendered: Any) -> list[str]:
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("type") == "button":
                found.append(value["action_id"])
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(rendered)
    return found


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_no_builder_offers_a_thank_you_as_a_way_to_give_back(name: str) -> None:
    for sentence in sentences(RENDERS[name]()):
        assert not FORBIDDEN.search(sentence), (name, sentence)
        if GIVING_BACK.search(sentence) and THANKING.search(sentence):
            assert NOT_A_WAY.search(sentence), (name, sentence)


def ask(ask_id: int, asker: str = "UBOB") -> AskView:
    return AskView(ask_id, "T0001", asker, "Could someone proofread the runbook?", "CGENERAL",
                   "open", "command", NOW)


ALREADY_THANKED = [
    WaysToGive(),
    WaysToGive(helper_asks=[ask(1)]),
    WaysToGive(pass_on=[ask(2, "UCAROL")]),
    WaysToGive(helper_asks=[ask(1), ask(3)], pass_on=[ask(2, "UCAROL")]),
]


@pytest.mark.parametrize("ways", ALREADY_THANKED)
def test_a_suggestion_whose_help_was_all_thanked_for_offers_no_thank_you(ways: WaysToGive) -> None:
    msg = nudges.build_one_sided_nudge("UBOB", 3, 90, ["the review", "the on-call shift"], ways)
    assert ids.NUDGE_THANK not in action_ids(msg)
    for sentence in sentences(msg):
        assert not THANKING.search(sentence) or NOT_A_WAY.search(sentence), sentence
    assert all("thank" not in b["text"]["text"].lower()
               for b in (e for blk in msg["blocks"] for e in [*blk.get("elements", []),
                                                             blk.get("accessory") or {}])
               if b.get("type") == "button")


def test_a_thank_you_appears_only_beside_help_the_reader_never_thanked_for() -> None:
    msg = nudges.build_one_sided_nudge("UBOB", 3, 90, [], WaysToGive(helper_asks=[ask(1)], unthanked=1))
    assert action_ids(msg).count(ids.NUDGE_THANK) == 1
    # The "I can help" offer comes first: helping is the way to give back.
    assert action_ids(msg).index(ids.ASK_OFFER) < action_ids(msg).index(ids.NUDGE_THANK)

import pytest

from bot.services.parsing import first_word, split_mentions


@pytest.mark.parametrize(
    ("text", "ids", "rest"),
    [
        ("<@U1> for the review", ["U1"], "the review"),
        ("<@U1|bob> for the review", ["U1"], "the review"),
        ("<@U1>, <@U2> and <@W3> for pairing", ["U1", "U2", "W3"], "pairing"),
        ("<@U1> & <@U2> thanks!", ["U1", "U2"], "thanks!"),
        ("<@U1> <@U1> dup", ["U1"], "dup"),
        ("<@U1>", ["U1"], ""),
        ("<@U1> for: the doc", ["U1"], "the doc"),
        ("<@U1> forgot nothing", ["U1"], "forgot nothing"),
        ("<@U1> for the &lt;b&gt; tag &amp; more", ["U1"], "the <b> tag & more"),
        ("<@U1> for pairing with <@U2>", ["U1"], "pairing with <@U2>"),
        ("", [], ""),
        ("for nothing", [], "for nothing"),
    ],
)
def test_split_mentions(text, ids, rest):
    parsed = split_mentions(text)
    assert parsed.user_ids == ids
    assert parsed.rest == rest


def test_bare_handles_are_reported_not_guessed():
    parsed = split_mentions("@bob for the review")
    assert parsed.user_ids == [] and parsed.bare_handles == ["@bob"]
    assert split_mentions("email me at a@b.com").bare_handles == []


def test_first_word():
    assert first_word("Request <@U1> <@U2> why") == ("request", "<@U1> <@U2> why")
    assert first_word("  ") == ("", "")
    assert first_word("me") == ("me", "")


@pytest.mark.parametrize(
    ("text", "ids", "rest"),
    [
        ("<@U1> &amp; <@U2> hi", ["U1", "U2"], "hi"),
        ("<@U1> <@U2> &lt;3 for the cake", ["U1", "U2"], "<3 for the cake"),
        ("<@U1> &gt; everyone", ["U1"], "> everyone"),
        ("<@U1> &amp;&amp; more", ["U1"], "&& more"),
        ("<@U1>and<@U2> hi", ["U1", "U2"], "hi"),
    ],
)
def test_escaped_separators_and_notes(text, ids, rest):
    parsed = split_mentions(text)
    assert (parsed.user_ids, parsed.rest) == (ids, rest)

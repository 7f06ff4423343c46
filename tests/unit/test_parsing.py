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


@pytest.mark.parametrize(
    ("text", "want", "ids", "rest"),
    [
        ("to <@UB> for the review", None, ["UB"], "the review"),
        ("so much <@UB>!", None, ["UB"], ""),
        ("for the review <@UB>", None, ["UB"], "the review"),
        ("please meet <@UB> and <@UC>: billing", 2, ["UB", "UC"], "billing"),
        ("<@UB>, meet <@UC>: compare tax notes", 2, ["UB", "UC"], "compare tax notes"),
        ("I reviewed <@UB>'s PR", None, ["UB"], "I reviewed <@UB>'s PR"),
        ("<@UB> again for the review , great work!", None, ["UB"], "the review, great work!"),
        ("<@UB> <@UC> you both know <@UD>", 2, ["UB", "UC"], "you both know <@UD>"),
        ("<@UB> for &lt;3 &amp; more", None, ["UB"], "<3 & more"),
        ("<@UB> for the API - and", None, ["UB"], "the API"),
    ],
)
def test_mentions_anywhere_and_the_note_tidied(text, want, ids, rest):
    parsed = split_mentions(text, want)
    assert (parsed.user_ids, parsed.rest) == (ids, rest)


def test_a_bare_name_anywhere_is_reported_even_beside_a_mention():
    assert split_mentions("<@UB> and @carol for lunch").bare_handles == ["@carol"]
    assert split_mentions("<@UB|bob> for lunch").bare_handles == []


def test_the_same_person_twice_is_told_apart_from_one():
    parsed = split_mentions("<@UB> <@UB|bob> you two", want=2)
    assert parsed.user_ids == ["UB"] and parsed.typed == ["UB", "UB"]

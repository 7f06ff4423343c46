"""Lines a person types, in a sandbox in this process: what they see, and bad input."""

from __future__ import annotations

import pytest

from bot.sandbox.workspace import Reply
from tests.sandbox.conftest import Typist


@pytest.mark.parametrize(("line", "explained"), [
    ("dance", "I don't know “dance”"),
    ("press 1", "Nothing you've seen has buttons"),
    ("react :pray:", "an emoji and a message number"),
    ("react :pray: 99", "You can't see a message #99"),
    ("time yesterday", "I can't read “yesterday”"),
    ("as frank", "deactivated"),
    ("as nobody", "There's no nobody in this workspace"),
    ("as deploybot", "is a bot"),
    ("set 1 @bob", "You have no modal open"),
    ("submit", "You have no modal open"),
    ("/nope hello", "/nope is not a command here"),
    ("channel #nope", "There's no channel #nope"),
    ('shortcut "Juggle"', "no shortcut"),
    ("slack 429", "Try `slack down`"),
    ("say", "Say what?"),
])
def test_bad_input_gets_one_line_and_the_prompt_back(typist: Typist, line: str, explained: str) -> None:
    said = typist.fails(line)
    assert explained in said
    assert said.startswith("✗") and "Traceback" not in said
    assert "@alice" in typist.type("people")  # and the sandbox carries on


def test_the_clock_only_moves_forward(typist: Typist) -> None:
    typist.type("time +1d")
    assert "only moves forward" in typist.fails("time 2026-11-16 09:00")


def test_an_unknown_name_reaches_mutual_as_typed_and_gets_its_hint(typist: Typist) -> None:
    said = typist.type("/thanks @nobody for lunch")
    assert "I couldn't tell who @nobody is" in said


def test_mutual_answering_5xx_fails_the_line(typist: Typist, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typist.sb.ws, "post", lambda *a, **k: Reply(503, ""))
    assert "HTTP 503" in typist.fails("/thanks @bob for lunch")


def test_a_reaction_records_thanks_and_unreacting_takes_it_back(typist: Typist) -> None:
    typist.type("react :pray: 2")
    assert "@carol helped you once" in typist.type("/mutual me")
    typist.type("unreact :pray: 2")
    assert "@carol" not in typist.type("/mutual me")
    assert "You haven't reacted" in typist.fails("unreact :pray: 2")


def test_saying_something_in_a_channel_is_not_seen_by_mutual(typist: Typist) -> None:
    said = typist.type("say thanks @bob, that fixed it")
    assert "thanks @bob, that fixed it" in said
    assert "doesn't receive messages here" in said


def test_the_thank_someone_shortcut_opens_a_form(typist: Typist) -> None:
    form = typist.type('shortcut "Thank someone"')
    assert "Say thanks" in form and "[1] Who helped you?" in form
    assert "There's no @zed here" in typist.fails("set 1 @zed")
    typist.type("set 1 @bob @carol", "set What for = pairing on the outage")
    done = typist.type("submit")
    assert "I've let @bob and @carol know you're grateful" in done
    assert "1 new DM for bob" in done and "1 new DM for carol" in done


def test_this_helped_me_on_a_message(typist: Typist) -> None:
    form = typist.type('shortcut "This helped me" 3')
    assert "Record that @dan helped you with this message." in form
    assert "1 new DM for dan" in typist.type("submit")


def test_a_required_field_must_be_filled_before_submitting(typist: Typist) -> None:
    typist.type("home")
    typist.type('press Introduce two people')
    assert "Fill in" in typist.fails("submit")
    typist.type("set 1 @bob", "set 2 @carol", "set 3 billing people")
    said = typist.type("submit")
    assert "1 new DM for bob" in said and "1 new DM for carol" in said


def test_home_shows_the_tab_and_its_buttons_work(typist: Typist) -> None:
    home = typist.type("home")
    assert "alice's Home tab" in home and "[1] Say thanks" in home
    assert "Who helped you?" in typist.type("press Say thanks")
    assert "(the modal closed)" in typist.type("cancel")
    assert "Pause for a week" in typist.type("home")
    typist.type("press Pause for a week")
    assert "paused" in typist.type("home")


def test_mutual_rides_out_a_slack_outage(typist: Typist) -> None:
    typist.type("/thanks @bob for the review")  # Mutual now knows Bob
    typist.type("slack down")
    said = typist.type("/thanks @bob for the second review")
    assert "Noted your thanks to @bob for “the second review”" in said  # the command's own answer needs no Web API call
    assert "new DM for bob" not in said  # its DM waits in the outbox
    # Someone Mutual has never looked up can't be checked while Slack is away: nothing is saved,
    # and the person is told so plainly.
    assert "Slack is busy just now, so nothing was saved" in typist.type("/thanks @carol for the coffee")
    typist.type("slack up")
    said = typist.type("time +10m")
    assert "1 new DM for bob" in said, "the DM held through the outage arrives when retried"
    assert "1 new DM for bob" in typist.type("/thanks @bob for the third review")
    dms = [c["text"] for c in typist.sb.ws.slack.calls_to("chat.postMessage") if c["channel"] == "UBOB"]
    assert sum("the second review" in text for text in dms) == 1


def test_a_rate_limited_dm_still_arrives(typist: Typist) -> None:
    typist.type("slack 429 chat.postMessage 1")
    assert "1 new DM for bob" in typist.type("/thanks @bob for the review")
    assert len(typist.sb.ws.slack.calls_to("chat.postMessage")) == 2


def test_a_confirm_dialog_can_be_declined(typist: Typist) -> None:
    typist.type("/mutual forget", "press 1")
    assert "nothing was pressed" in typist.type("no")
    assert "Okay — nothing was erased." in typist.type("press Cancel")


def test_help_shows_every_verb_as_typed(typist: Typist) -> None:
    said = typist.type("help")
    for words in ("react :pray: <n>", "inbox [name]", "press <n or label>", "slack down", "Simulated:"):
        assert words in said


def test_mentioning_mutual_or_writing_to_it_gets_a_short_hello(typist: Typist) -> None:
    said = typist.type("say hello @mutual, what do you do?")
    assert "only you can see this" in said and "Thanks for the mention" in said
    typist.type("dm")
    assert "/mutual help lists everything" in typist.type("say hi there")


def test_a_box_in_a_message_is_filled_with_set_and_sent_with_the_press(typist: Typist) -> None:
    typist.type("/thanks @bob for the review")
    assert "You have no modal open" in typist.fails("set 1 hello"), "the receipt has no box"
    shown = typist.type("time +15d")
    assert "✎ A few words for them (optional) — type in it with `set 1 <text>`" in shown
    assert "It shipped" in typist.type("set 1 It shipped, thanks!")
    answered = typist.type("press It worked")
    assert "You added:" in answered and "It shipped, thanks!" in answered
    assert "In their words:" in typist.type("inbox bob")

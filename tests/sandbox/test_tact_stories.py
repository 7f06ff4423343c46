"""Issue 16's trial, as stories in the sandbox: each is what people type, then what each person
saw and when. They cover what Mutual tells whom, and when (PRODUCT.md §4c)."""

from __future__ import annotations

import re

from tests.sandbox.conftest import Typist


def story(typist: Typist, script: str) -> str:
    """Run the script's lines (blank lines and # comments skipped); what they printed."""
    lines = [line.strip() for line in script.splitlines()]
    return typist.type(*[line for line in lines if line and not line.startswith("#")])


def test_a_not_now_is_passed_on_only_when_the_intro_would_have_lapsed(typist: Typist) -> None:
    said = story(typist, """
        as erin
        /intro @bob @dan you both keep the on-call rota
        as bob
        press Yes, introduce us
        as dan
        press Not now
        # A minute later, and all week: nothing reaches Erin or Bob.
        time +6d
    """)
    assert "Your introduction of" not in said and "suggested between you" not in said
    assert not typist.saying("erin", "Your introduction of")
    assert not typist.saying("bob", "suggested between you")
    typist.type("time +2d")
    # Past the seven days: both hear it in an expiry's words (each in their working hours),
    # and Dan's answer is in nobody's words.
    [to_erin] = typist.saying("erin", "won't go ahead for now")
    [to_bob] = typist.saying("bob", "suggested between you")
    assert "Your introduction of @bob and @dan won't go ahead for now." in to_erin.text
    assert "The introduction @erin suggested between you and @dan won't go ahead for now." in to_bob.text
    for seen in (to_erin, to_bob):
        assert "not now" not in seen.text.lower() and "declin" not in seen.text.lower()
    # Bob's consent DM no longer promises a group chat, and nothing about it keeps buttons.
    about = ([s for s in typist.seen_by("bob") if "@dan" in s.text]
             + [s for s in typist.seen_by("dan") if "@bob" in s.text])
    assert about and all(s.buttons == [] for s in about)
    assert any("You said yes to meeting @dan." in s.text for s in about)
    assert not any("group chat once" in s.text for s in about)


def test_outsiders_learn_nothing_of_an_intro_under_way(typist: Typist) -> None:
    story(typist, """
        as erin
        /intro @bob @dan you both keep the on-call rota
        as carol
    """)
    said = typist.type("/intro @bob @dan the on-call tooling")
    assert "I can't put this introduction to them just now" in said
    assert "@erin" not in said and "under way" not in said and "2026" not in said
    assert len([s for s in typist.seen_by("dan") if "introduce you" in s.text]) == 1


def test_nobody_is_asked_again_after_a_no(typist: Typist) -> None:
    story(typist, """
        as erin
        /intro @bob @dan you both keep the on-call rota
        as dan
        press Not now
        time +8d
        as erin
    """)
    assert "I can't put this introduction to them just now" in typist.type(
        "/intro @dan @bob the rota again")
    assert "I can't put this introduction to them just now" in typist.type(
        "as carol", "/intro @bob @dan the on-call tooling")
    assert len([s for s in typist.seen_by("dan") if "@erin" in s.text]) == 1
    # A claim twice: the second is refused while the first is open, and after it lapses.
    said = story(typist, """
        as alice
        /helped @dan reviewed your runbook
        as dan
        press Not really
        as alice
    """)
    assert "won't be told" in said
    assert "still open" in typist.type("/helped @dan reviewed your runbook")
    typist.type("time +15d")
    assert "I can't ask @dan to confirm another one just now" in typist.type(
        "/helped @dan paired on the alerts")
    assert len([s for s in typist.seen_by("dan") if "@alice" in s.text]) == 1


def test_no_give_back_suggestion_hard_on_the_heels_of_help(typist: Typist) -> None:
    said = story(typist, """
        as erin
        /thanks @dan for the deploy checklist
        /thanks @dan for covering my on-call shift
        /thanks @dan for untangling the Terraform state
        time +2h
        time +3d
    """)
    assert "has helped you" not in said
    assert not typist.saying("erin", "has helped you")


def test_questions_come_once_a_day_in_one_dm(typist: Typist) -> None:
    story(typist, """
        /thanks @bob for the review
        /thanks @carol for the SQL help
        /thanks @dan for the VPN profile
        /thanks @erin for the offsite plan
        time +15d
    """)
    questions = typist.saying("alice", "How did it go?")
    assert len(questions) == 1
    [dm] = questions
    for name in ("bob", "carol", "dan", "erin"):
        assert f"Only @{name} will see your answer" in dm.text
    assert dm.buttons.count("It worked") == 4
    # Carol never asked anything; nobody else got a question.
    assert not typist.saying("carol", "How did it go?")


def test_an_expired_intro_leaves_no_live_buttons(typist: Typist) -> None:
    story(typist, """
        /intro @bob @carol you both work on invoicing
        time +8d
    """)
    for name in ("bob", "carol"):
        asked = [s for s in typist.seen_by(name) if "introduc" in s.text]
        assert asked and all(s.buttons == [] for s in asked)
        assert any("closed without going ahead" in s.text for s in asked)


def test_sentences_as_people_write_them(typist: Typist) -> None:
    for line in ("/thanks to @bob for the review", "/thanks so much @bob!",
                 "/thanks for the review @bob"):
        assert "Noted your thanks to @bob" in typist.type(line)
    assert "I've asked @bob and @carol privately" in typist.type(
        "/intro please meet @bob and @carol: billing")
    assert "I've asked @bob to confirm" in typist.type("/helped I reviewed @bob's PR")


def test_the_digest_names_nobody(typist: Typist) -> None:
    story(typist, """
        as erin
        /mutual config
        set Channel for the summary #general
        submit
        /intro @bob @dan you both keep the on-call rota
        /intro @alice @carol you both run billing
        time 2026-11-23 09:30
    """)
    [digest] = typist.saying("alice", "Mutual digest", "#general")
    assert "2 introductions are waiting for a reply" in digest.text
    assert not re.search(r"@\w", digest.text)

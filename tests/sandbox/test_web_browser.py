"""The tour, clicked through in a real browser (`mutual sandbox --web`): what each person sees
drawn as Slack draws it. Screenshots of the main screens are saved when MUTUAL_SCREENSHOTS
names a folder (README: `MUTUAL_SCREENSHOTS=examples/screenshots .venv/bin/python -m pytest
tests/sandbox/test_web_browser.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sandbox.browser import Page, Served, browser, need_a_browser

pytestmark = pytest.mark.timeout(400)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    need_a_browser()
    server = Served(tmp_path / "sandbox.db")
    try:
        yield server
    finally:
        log = server.stop()
        assert "Traceback" not in log, log


def test_the_tour_in_a_browser(served: Served) -> None:
    with browser(served.url) as page:
        thanks_with_completion(page)
        bob_reads_his_dm(page)
        an_intro_both_accept(page)
        reactions_come_and_go(page)
        a_modal_with_errors_then_saved(page)
        a_suggestion_with_its_buttons(page)
        the_summary_with_its_chart(page)
        the_home_tab_and_shortcuts(page)
        assert not [e for e in page.d.get_log("browser") if e["level"] == "SEVERE"], page.d.get_log("browser")


def thanks_with_completion(page: Page) -> None:
    assert page.one(".people-menu summary b").text == "alice"
    assert "Morning all! Staging is green again" in page.text(".messages")
    page.type("/thanks @bo", enter=False)
    page.until(lambda: "@bob" in page.text("#complete"), "@ completion")
    page.type("\t", enter=False)  # Tab takes the suggestion
    assert page.one("#message-box").get_attribute("value") == "/thanks @bob "
    page.type("for the *review* of the billing PR")
    receipt = page.message("Only visible to you")
    assert "@bob" in [m.text for m in page.all(".mention", receipt)]
    assert page.button("Share in channel", receipt) and page.button("Take it back", receipt)
    assert "1 new DM for bob" in page.text("#notes")
    assert page.one("#message-box").get_attribute("value") == ""
    page.shot("channel")


def bob_reads_his_dm(page: Page) -> None:
    page.become("bob")
    mutual = page.sidebar("Mutual")
    assert "new" in mutual.get_attribute("class") and mutual.find_element(page.by.CSS_SELECTOR, ".count").text == "1"
    page.open("Mutual")
    dm = page.message("thanked you")
    assert "@alice" in [m.text for m in page.all(".mention", dm)]
    assert "review" in [b.text for b in page.all("b", dm)]  # *review* drawn bold
    assert "new" not in page.sidebar("Mutual").get_attribute("class")  # read once opened
    page.shot("dm")


def an_intro_both_accept(page: Page) -> None:
    page.become("alice")
    page.open("#general")
    page.type("/intro @bob @carol you both work on invoicing: compare notes on the tax rules")
    for name in ("bob", "carol"):
        page.become(name)
        page.open("Mutual")
        ask = page.message("compare notes on the tax rules")
        yes = page.button("Yes, introduce us", ask)
        assert "primary" in yes.get_attribute("class")
        page.click(yes)
    group = page.sidebar("alice, bob")  # carol's sidebar: the group DM Mutual opened
    assert "new" in group.get_attribute("class")
    page.open("alice, bob")
    assert "Group direct message" in page.text(".main-head")
    page.message("compare notes on the tax rules")
    page.type("Hi Bob! Coffee on Wednesday?")
    page.become("bob")
    page.open("alice, carol")
    page.type("Wednesday works, see you then.")
    page.message("Coffee on Wednesday")
    page.shot("group-dm")
    page.become("alice")
    page.open("Mutual")
    page.message("connected")


def reactions_come_and_go(page: Page) -> None:
    """A thank-you reaction on Carol's message (it records her help), and one taken back."""
    page.open("#general")
    for emoji in ("pray", "tada"):
        carol = page.message("second pair of eyes on SQL migrations")
        page.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", carol)
        page.d.execute_script("arguments[0].classList.add('tools-open')", carol)  # as on hover
        page.click(page.one("[data-pick-reaction]", carol))
        page.click(page.one(f".picker [data-emoji='{emoji}']", page.message("second pair of eyes")))
    pills = page.until(lambda: page.all(".reaction", page.message("second pair of eyes")), "the reactions")
    assert [(p.get_attribute("data-react"), "mine" in p.get_attribute("class"), p.text[-1]) for p in pills] == \
        [("pray", True, "1"), ("tada", True, "1")]
    page.click(pills[1])  # your own reaction, clicked again, is taken back
    page.until(lambda: len(page.all(".reaction", page.message("second pair of eyes"))) == 1, "the 🎉 to go")
    assert "took back" in page.text("#notes")


def a_modal_with_errors_then_saved(page: Page) -> None:
    page.become("erin")
    page.type("/mutual config")
    modal = page.modal()
    assert "Mutual settings" in modal.text
    zone = page.one("input[type=text]", [f for f in page.all(".bk-input", modal) if "Time zone" in f.text][0])
    zone.clear()
    zone.send_keys("Mars/Olympus_Mons")
    from selenium.webdriver.support.select import Select

    channel = [f for f in page.all(".bk-input", modal) if "Channel for the summary" in f.text][0]
    Select(page.one("select", channel)).select_by_visible_text("#general")
    page.click(page.one("button[type=submit]", modal))
    error = page.until(lambda: page.one(".bk-input.has-error .bk-error", page.modal()), "the field's error")
    assert "time zone" in error.text.lower()
    page.shot("modal")
    zone = page.one("input[type=text]", [f for f in page.all(".bk-input", page.modal()) if "Time zone" in f.text][0])
    zone.clear()
    zone.send_keys("UTC")
    page.click(page.one("button[type=submit]", page.modal()))
    page.until(lambda: "saved" in page.modal().text.lower(), "the saved view")
    page.click(page.one(".modal-foot button", page.modal()))
    page.until(lambda: not page.all("#modal .modal"), "the modal to close")


def a_suggestion_with_its_buttons(page: Page) -> None:
    page.open("#general")
    for what in ("the deploy checklist", "covering my on-call shift", "untangling the Terraform state"):
        page.type(f"/thanks @dan for {what}")
    page.become("dan")
    page.open("#general")
    page.type("/ask Could someone proofread the new on-call runbook before Friday?")
    page.become("erin")
    for _ in range(3):
        page.click(page.one(".clock [data-when='+1d']"))
    assert "waits for their working hours" in page.text("#notes")
    page.move_clock("2026-11-20T09:30")
    page.open("Mutual")
    nudge = page.message("has helped you three times")
    assert "is asking for help with" in nudge.text
    page.shot("suggestion")
    page.click(page.button("I can help", nudge))
    page.message("know you can help")
    page.press("Snooze for 30 days", "has helped you three times")
    snoozed = page.message("Snoozed")
    assert "(edited)" in snoozed.text


def the_summary_with_its_chart(page: Page) -> None:
    page.become("alice")
    page.move_clock("2026-11-20T16:00")
    page.open("#general")
    page.message("The week in Mutual")
    chart = page.until(lambda: page.all(".messages .file-image img")[-1], "the chart")
    page.until(lambda: page.d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", chart) > 100,
               "the chart to load")
    page.d.execute_script("arguments[0].scrollIntoView({block: 'end'})", chart)
    page.shot("summary")


def the_home_tab_and_shortcuts(page: Page) -> None:
    page.click(page.sidebar("Mutual · Home"))
    page.until(lambda: page.all(".home .bk-section"), "the Home tab")
    assert "active" in page.one(".app-tabs .tab.active").get_attribute("class")
    page.shot("home")

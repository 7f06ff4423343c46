"""The tour, clicked through in a real browser (`mutual sandbox --web`): what each person sees
drawn as Slack draws it. Screenshots of the main screens are saved when MUTUAL_SCREENSHOTS
names a folder (README: `MUTUAL_SCREENSHOTS=examples/screenshots .venv/bin/python -m pytest
tests/sandbox/test_web_browser.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

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
        slack_misbehaves(page)
        shortcuts_from_the_menus(page)
        a_modal_with_errors_then_saved(page)
        the_summary_with_its_chart(page)
        a_suggestion_with_its_buttons(page)
        the_home_tab_and_shortcuts(page)
        assert not [e for e in page.d.get_log("browser") if e["level"] == "SEVERE"], page.d.get_log("browser")


def thanks_with_completion(page: Page) -> None:
    assert page.one(".people-menu summary b").text == "alice"
    assert "Morning all! Staging is green again" in page.text(".messages")
    page.type("/thanks @bo", enter=False)
    page.until(lambda: "@bob" in page.text("#complete"), "@ completion")
    page.shot("completion")
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
    page.become("bob", shot="people")
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


def slack_misbehaves(page: Page) -> None:
    """Slack down: the receipt still comes (it is the command's answer), the DM waits; Slack
    back and an hour on, it arrives. A 429 on chat.postMessage: the DM is held, then sent."""
    page.click(page.one(".slack-menu summary"))
    page.click([b for b in page.all(".slack-menu .menu-item") if "Take Slack down" in b.text][0])
    status = page.one("#slack-status")
    assert status.text == "Slack: down" and "down" in status.get_attribute("class")
    page.type("/thanks @carol for the SQL review")
    page.message("the SQL review")
    page.click(page.one(".slack-menu summary"))
    page.click([b for b in page.all(".slack-menu .menu-item") if "Bring Slack back" in b.text][0])
    assert page.one("#slack-status").text == "Slack: answering"
    assert page.step("+1h") == timedelta(hours=1)
    page.click(page.one(".slack-menu summary"))
    form = page.one(".slack-menu form.fault")
    page.one("input[name=times]", form).clear()
    page.one("input[name=times]", form).send_keys("2")
    page.click(page.one("button", form))
    assert "The next 2 call(s) to chat.postMessage get HTTP 429" in page.text("#notes")
    page.type("/thanks @dan for the runbook")
    assert "1 new DM for dan" in page.text("#notes")
    page.become("carol")
    page.open("Mutual")
    page.message("the SQL review")


def shortcuts_from_the_menus(page: Page) -> None:
    """*This helped me* from a message's ⋯ menu; *Thank someone* from the ⚡ menu, refused for
    yourself under its field, then sent; a button in the closing view takes it back."""
    from selenium.webdriver.support.select import Select

    page.become("alice")
    page.open("#general")
    dan = page.message("I wrote up the VPN setup")
    page.d.execute_script("arguments[0].classList.add('tools-open')", dan)
    page.click(page.one("[data-message-menu]", dan))
    page.click(page.one("[data-shortcut='This helped me']", page.message("I wrote up the VPN setup")))
    modal = page.modal()
    assert "Record that @dan helped you" in modal.text
    page.one("textarea, input[type=text]", modal).send_keys("the VPN write-up")
    page.click(page.one("button[type=submit]", modal))
    page.until(lambda: "Noted" in page.modal().text, "the closing view")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(page.d).send_keys(Keys.ESCAPE).perform()  # Escape closes it, as in Slack
    page.until(lambda: not page.all("#modal .modal"), "the modal to close")

    page.click(page.one(".shortcuts summary"))
    page.click([b for b in page.all(".shortcuts .menu-item") if b.text == "Thank someone"][0])
    who = Select(page.one("select[multiple]", page.modal()))
    who.select_by_visible_text("alice")
    page.one("input[type=text], textarea", page.modal()).send_keys("lunch <script>window.pwned=1</script>")
    page.click(page.one("button[type=submit]", page.modal()))
    error = page.until(lambda: page.one(".bk-error", page.modal()), "the field's error")
    assert "from yourself" in error.text
    note = page.one("input[type=text], textarea", page.modal())
    assert note.get_attribute("value") == "lunch <script>window.pwned=1</script>"  # kept, as text
    who = Select(page.one("select[multiple]", page.modal()))
    who.deselect_all()
    who.select_by_visible_text("bob")
    page.click(page.one("button[type=submit]", page.modal()))
    page.until(lambda: "grateful" in page.modal().text, "the closing view")
    page.click(page.button("Take it back", page.modal()))
    page.until(lambda: "Taken back — nothing is recorded" in page.modal().text, "the view Mutual updated")
    page.click(page.one(".modal-foot button", page.modal()))
    assert page.d.execute_script("return window.pwned") is None


def a_modal_with_errors_then_saved(page: Page) -> None:
    from selenium.webdriver.support.select import Select

    page.become("erin")
    page.type("/mutual config")
    modal = page.modal()
    assert "Mutual settings" in modal.text

    def field(label: str) -> Any:
        return [f for f in page.all(".bk-input", page.modal()) if label in f.text][0]

    emoji = page.one("input[type=text]", field("Thank-you emoji"))
    emoji.clear()
    emoji.send_keys("pray, raisedhands")
    Select(page.one("select", field("Channel for the summary"))).select_by_visible_text("#general")
    # The time zone menu offers what Mutual offers before anything is typed (block_suggestion).
    Select(page.one("select", field("Time zone"))).select_by_visible_text("Europe/London (UTC+00:00)")
    page.click(page.one("button[type=submit]", modal))
    error = page.until(lambda: page.one(".bk-input.has-error .bk-error", page.modal()), "the field's error")
    assert "Did you mean raised_hands?" in error.text
    page.shot("modal")
    emoji = page.one("input[type=text]", field("Thank-you emoji"))
    emoji.clear()
    emoji.send_keys("pray, raised_hands")
    page.click(page.one("button[type=submit]", page.modal()))
    page.until(lambda: "saved" in page.modal().text.lower(), "the saved view")
    assert "Europe/London" in page.modal().text
    page.click(page.one(".modal-foot button", page.modal()))
    page.until(lambda: not page.all("#modal .modal"), "the modal to close")


def a_suggestion_with_its_buttons(page: Page) -> None:
    # A suggestion to give back needs help spread over two weeks (Erin first thanked Dan before
    # the summary) and three quiet days since.
    page.become("erin")
    page.open("#general")
    for what in ("covering my on-call shift", "untangling the Terraform state"):
        assert page.step("+1w") == timedelta(weeks=1)
        page.type(f"/thanks @dan for {what}")
    page.become("dan")
    page.open("#general")
    page.type("/ask Could someone proofread the new on-call runbook before Friday?")
    page.become("erin")
    assert page.step("+1h") == timedelta(hours=1)
    assert f"It is now {page.text('#clock-now')} for erin" in page.text("#notes")
    for _ in range(3):
        assert page.step("+1d") == timedelta(days=1)
    page.move_clock("2026-12-08T09:30")  # Tuesday morning in Tokyo
    assert page.clock() == datetime(2026, 12, 8, 9, 30)
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
    page.become("erin")  # Erin thanks Dan this week, and twice more over the next two
    page.open("#general")
    page.type("/thanks @dan for the deploy checklist")
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
    assert page.one(".app-tabs .tab.active").text == "Home" and "Your last 90 days" in page.text(".home")
    page.shot("home")
    assert page.step("+1w") == timedelta(weeks=1)


HOSTILE = ('<script>window.pwned=1</script> <img src=x onerror="window.pwned=2"> &lt;b&gt;kept&lt;/b&gt; '
           "<javascript:alert(1)|click me> @bob <https://evil.test|looks fine>")


def test_what_people_type_stays_text(served: Served) -> None:
    """Notes, messages, form values and mistakes are drawn as the characters typed: nothing
    becomes markup, no script runs, and no link opens anything but http(s)."""
    with browser(served.url) as page:
        page.type(f"/thanks @bob for {HOSTILE}")
        page.type(f"Look: {HOSTILE}")  # a message in #general
        page.type("/<img src=x onerror=window.pwned=3>")  # a mistake, echoed in the sandbox's notes
        assert "✗ /<img is not a command here" in page.text("#notes")
        page.become("bob")
        page.open("Mutual")
        note = page.message("thanked you")
        assert "<script>window.pwned=1</script>" in note.text
        assert '<img src=x onerror="window.pwned=2">' in note.text
        assert "&lt;b&gt;kept&lt;/b&gt;" in note.text  # typed as entities, shown as typed
        assert "<javascript:alert(1)|click me>" in note.text
        page.open("#general")
        said = page.message("Look:")
        assert said.find_element(page.by.CSS_SELECTOR, ".body").text == f"Look: {HOSTILE}"
        assert [m.text for m in page.all(".mention", said)] == ["@bob"]  # a mention is still a mention
        everywhere = page.one("#main")
        assert not page.all(".messages script, .messages img, .body b", everywhere)
        hrefs = [a.get_attribute("href") for a in page.all("a", everywhere)]
        assert all(h.startswith(("http://127.0.0.1", "https://", "http://")) for h in hrefs), hrefs
        assert page.d.execute_script("return window.pwned") is None
        from selenium.common.exceptions import NoAlertPresentException

        with pytest.raises(NoAlertPresentException):
            page.d.switch_to.alert.text  # noqa: B018

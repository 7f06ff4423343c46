"""`mutual sandbox --web` in a real browser: Debian's chromium, driven by selenium through
chromium-driver, headless, with a profile of its own. The page is read as a person reads it:
by what is drawn (text, buttons, pills, marks), never by the server's state."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Without these, chromium on an offline machine tries to reach Google's services and its
# connections to the page get refused or stall.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--force-device-scale-factor=1", "--lang=en-GB")
SIZE = (1280, 800)
WAIT = 30.0
SCREENSHOTS = "MUTUAL_SCREENSHOTS"  # a folder: the tour saves its screens there


def need_a_browser() -> None:
    """Skip where the browser tests are not meant to run; fail in CI if it lacks the browser."""
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the sandbox always runs on SQLite, so its browser tests run once, in the SQLite suite")
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (.ci/run does)")
        pytest.skip(f"needs {', '.join(missing)}: apt-get install chromium chromium-driver")


class Served:
    """`mutual sandbox --web --port 0` in a process of its own, on a database of the test's."""

    def __init__(self, db: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "sandbox", "--web", "--port", "0",
                                      "--db", str(db)], cwd=db.parent, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        if found is None:
            self.proc.kill()
            problem = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"no URL from the sandbox: {first!r} {problem}")
        self.url = found.group(0)

    def stop(self) -> str:
        self.proc.terminate()
        try:
            out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        return out + err


class Page:
    def __init__(self, driver: Any, url: str, shots: Path | None) -> None:
        from selenium.webdriver.common.by import By

        self.d = driver
        self.url = url
        self.by = By
        self.shots = shots
        driver.get(url)
        self.until(lambda: self.d.execute_script("return document.readyState") == "complete")

    # -- waiting ------------------------------------------------------------------------------
    def until(self, check: Callable[[], Any], what: str = "the page", timeout: float = WAIT) -> Any:
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                found = check()
                if found:
                    return found
            except Exception as e:  # an element replaced while read: look again
                last = e
            time.sleep(0.1)
        raise AssertionError(f"waited {timeout:.0f} s for {what}; the page says:\n{self.text()}\n{last or ''}")

    def settled(self) -> None:
        """The last click has been answered and drawn."""
        self.until(lambda: not self.d.execute_script("return document.body.classList.contains('busy')"),
                   "the sandbox to answer", timeout=90)

    def text(self, css: str = "body") -> str:
        return str(self.d.find_element(self.by.CSS_SELECTOR, css).text)

    def all(self, css: str, root: Any = None) -> list[Any]:
        return list((root or self.d).find_elements(self.by.CSS_SELECTOR, css))

    def one(self, css: str, root: Any = None) -> Any:
        return (root or self.d).find_element(self.by.CSS_SELECTOR, css)

    def click(self, element: Any) -> None:
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        self.settled()

    # -- what a person does --------------------------------------------------------------------
    def type(self, text: str, enter: bool = True) -> None:
        from selenium.webdriver.common.keys import Keys

        box = self.one("#message-box")
        box.send_keys(text)
        if enter:
            box.send_keys(Keys.ENTER)
            self.settled()

    def become(self, name: str, shot: str = "") -> None:
        self.click(self.one(".people-menu > summary"))
        if shot:
            self.shot(shot)
        person = [b for b in self.all(".people-menu button.person") if self.one(".who b", b).text == name]
        assert person, f"no {name} in the person switcher"
        self.click(person[0])
        self.until(lambda: self.one(".people-menu summary b").text == name, f"becoming {name}")

    def sidebar(self, label: str) -> Any:
        for item in self.all(".sidebar .side-item"):
            if item.find_element(self.by.CSS_SELECTOR, ".label").text.strip() == label.lstrip("#"):
                return item
        raise AssertionError(f"no {label!r} in the sidebar: {self.text('.sidebar')}")

    def open(self, label: str) -> None:
        self.click(self.sidebar(label))
        self.until(lambda: label.lstrip("#").split(",")[0] in self.text(".main-head")
                   or label.startswith("Mutual"), f"{label} to open")

    def message(self, containing: str) -> Any:
        """The last message in the open conversation that shows these words."""
        def find() -> Any:
            found = [m for m in self.all(".messages .msg") if containing in m.text]
            return found[-1] if found else None
        return self.until(find, f"a message with {containing!r}")

    def button(self, label: str, root: Any) -> Any:
        buttons = [b for b in self.all("button[data-at]", root) if b.text.strip() == label]
        assert buttons, f"no button {label!r} in: {root.text}"
        return buttons[-1]

    def press(self, label: str, containing: str) -> None:
        self.click(self.button(label, self.message(containing)))

    def modal(self) -> Any:
        return self.until(lambda: (self.all("#modal .modal") or [None])[0], "a modal")

    def clock(self) -> datetime:
        """The simulated time as the top bar shows it (the current person's own)."""
        return datetime.strptime(self.text("#clock-now"), "%a %d %b %Y %H:%M")

    def step(self, when: str) -> timedelta:
        """Press one of the clock's buttons (+1 hour, +1 day, +1 week); how far it moved."""
        before = self.clock()
        self.click(self.one(f".clock [data-when='{when}']"))
        return self.clock() - before

    def move_clock(self, when: str) -> None:
        field = self.one(".when input[name=when]")
        self.d.execute_script("arguments[0].value = arguments[1]", field, when)
        self.click(self.one(".when button"))

    def shot(self, name: str) -> None:
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            self.d.save_screenshot(str(self.shots / f"{name}.png"))


@contextmanager
def browser(url: str) -> Iterator[Page]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="mutual-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_window_size(*SIZE)
        # The window includes the browser's own frame: grow it until the page gets SIZE.
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_size(2 * SIZE[0] - inner[0], 2 * SIZE[1] - inner[1])
        shots = os.environ.get(SCREENSHOTS)
        yield Page(driver, url, Path(shots) if shots else None)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)

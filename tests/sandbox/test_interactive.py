"""The prompt, driven through a pseudo-terminal as a person would use it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")


def test_a_person_at_the_prompt(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    started = time.monotonic()
    child = pexpect.spawn(sys.executable, ["-m", "bot", "sandbox", "--db", str(tmp_path / "s.db")],
                          cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20,
                          dimensions=(40, 120))
    try:
        child.expect(r"alice · Mon 16 Nov 10:00 \(Europe/London\) >")
        # Generous for a loaded CI machine; on a quiet one it is well under a second.
        assert time.monotonic() - started < 10
        child.sendline("/thanks @bob for x")
        child.expect("1 new DM for bob")
        child.expect(r"London\) >")
        child.send("as b\t")  # Tab completes the name
        child.expect("bob")
        child.sendline("")
        child.expect("You are bob")
        child.expect(r"New_York\) >")
        child.sendline("inbox")
        child.expect("@alice thanked you for")
        child.expect(r"New_York\) >")
        child.sendline("tiem +3d")
        child.expect("I don't know “tiem”")
        child.send("half a line\x03")  # Ctrl-C drops the line, the prompt comes back
        child.expect(r"New_York\) >")
        child.sendeof()  # Ctrl-D leaves cleanly
        child.expect("your sandbox is saved")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")

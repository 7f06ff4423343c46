"""examples/tour.txt, run as a newcomer runs it: `mutual sandbox --script examples/tour.txt`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_sandbox(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-m", "bot", "sandbox", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, text=True, timeout=90)


def section(transcript: str, line: str, after: str = "") -> str:
    """What one typed line printed (its first time after the prompt line `after`)."""
    start = transcript.index(f"> {line}\n", transcript.index(f"> {after}") if after else 0)
    rest = transcript[start + len(line) + 3:]
    following = re.search(r"^\w+( \[[^\]]+\])? · \w{3} \d\d \w{3} \d\d:\d\d \(", rest, re.M)
    return rest[:following.start()] if following else rest


def test_the_tour_tells_its_story(tmp_path: Path) -> None:
    done = run_sandbox(["--script", str(ROOT / "examples" / "tour.txt")], tmp_path)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "Traceback" not in out + done.stderr

    # The install: Erin, the admin, is welcomed once, with the choices that matter and a button
    # to the settings; her Home lists what is left to set up.
    installed = section(out, "install")
    assert installed.count("Thanks for adding Mutual.") == 1 and "[1] Open settings" in installed
    assert "nothing is posted in any channel until you pick one" in installed
    assert "Finish setting up Mutual" in installed and "Pick a channel for the weekly summary" in installed
    # The settings: the first step, a time zone found by typing a city, an emoji typo caught.
    settings = section(out, "press Open settings")
    assert "▣ Mutual settings" in settings and "(type to search)" in settings
    assert "Look back over" not in settings  # the thresholds wait for Advanced
    assert "Time zone: Europe/London (UTC+00:00)" in section(out, "set Time zone London")
    refused = section(out, "submit", after="set Time zone London")
    assert "“raisedhands” isn't an emoji in this workspace. Did you mean raised_hands?" in refused
    assert "▣ Advanced settings" in section(out, "press Advanced settings…")
    back = section(out, "cancel", after="press Advanced settings…")
    assert "▣ Mutual settings" in back and "(the modal closed)" not in back
    assert "(optional): #general" in back and "raised_hands" in back  # as she left it
    saved = section(out, "submit", after="press Advanced settings…")
    assert "The team summary goes to #general on Fridays at 16:00 (Europe/London)" in saved
    assert "Hello! I'm Mutual. I'll post the team's weekly summary here" in saved
    done_home = section(out, "home", after="press Advanced settings…")
    assert "Your working relationships" in done_home and "Finish setting up" not in done_home

    # Thanks: Alice sees a private receipt with its button; Bob is told in one line.
    thanks = section(out, "/thanks @bob for the review of the billing PR")
    assert "only you can see this" in thanks and "[1] Share in channel" in thanks
    assert "1 new DM for bob" in thanks

    # The receipt is one line; its hint comes only the first time. Bob's DM is the first Mutual
    # sends him: it carries the one line on what Mutual is and how to turn suggestions off.
    assert "Noted your thanks to @bob" in thanks and "Said it by mistake?" in thanks
    again = section(out, "/thanks @carol for the review of the billing PR")
    assert "Noted your thanks to @carol" in again and "Said it by mistake?" not in again
    assert "/mutual nudges off turns them off" in section(out, "as dan")
    # A thank-you reaction: Alice is told once it counted; Carol hears of it within the hour.
    assert "Your thank-you reaction counted" in section(out, "react :pray: 2")
    assert "@alice thanked you with a thank-you reaction" in section(out, "inbox carol")

    # Undo: a thank-you sent to the wrong person is taken back from its receipt.
    assert "[1] Share in channel  [2] Take it back" in thanks
    assert "Taken back — nothing is recorded, and the note to @carol is gone." in \
        section(out, "press Take it back")

    # The claim: Dan confirms with the button, and Alice hears about it.
    assert "[1] Yes, they helped  [2] Not really" in section(out, "as dan")
    assert "You confirmed that @alice helped you." in section(out, "press Yes, they helped")
    assert "@dan confirmed that you helped them." in section(out, "as alice", after="press Yes, they helped")

    # The intro: both say yes → a group DM; both write there → the introducer is told.
    assert "I've started a group chat" in section(out, "press Yes", after="as carol")
    connected = section(out, "say Wednesday works, see you then.")
    assert "1 new DM for alice" in connected
    assert "@bob and @carol connected — thanks to your introduction." in out

    # The ask: posted in #general with its buttons; Carol offers, Alice alone hears who; Alice
    # accepts into a group chat of the two, then marks it solved with Carol already ticked.
    asked = section(out, "/ask How do I rotate the staging DB password?")
    assert "@alice is asking for help" in asked and "[1] I can help  [2] Mark solved" in asked
    assert "1 new DM for alice" in section(out, "press I can help")
    assert "group DM with carol and Mutual" in section(out, "press Accept")
    assert "Someone is helping with this" in section(out, "press Accept")
    assert "[1] People who offered (optional): @carol" in section(out, "press Mark solved")
    solved = section(out, "submit", after="press Mark solved")
    assert "I've recorded that @carol helped you" in solved
    assert "@alice says thanks to @carol." in solved and "1 new DM for carol" in solved

    # A "not now" is told to nobody at the time: only Dan's own DM changes.
    declined = section(out, "press Not now")
    assert "You said not now to meeting @bob" in declined and "new DM" not in declined

    # The weekly team summary in #general, with its chart saved to disk: counts, no names. Alice
    # is thanked for her introduction in a DM of her own.
    summary = section(out, "time 2026-11-20 16:00")
    assert "The week in Mutual" in summary and "· #general ·" in summary
    assert "connectors" not in summary and "of the people gave" not in summary
    assert "An introduction you made turned into a conversation this week" in summary
    chart = re.search(r"saved to\s+(\S+\.png)", summary)
    assert chart is not None, summary
    assert Path(chart.group(1)).read_bytes().startswith(b"\x89PNG")
    week = summary[summary.index("The week in Mutual"):summary.index("saved to")]
    assert not re.search(r"@\w", week), "the channel post names nobody"

    # A week after the intro, it lapses: Erin and Bob hear it won't go ahead for now, in the
    # words of an intro nobody answered.
    lapsed = section(out, "time 2026-11-24 12:00")
    assert "Your introduction of @bob and @dan won't go ahead for now." in lapsed
    assert "The introduction @erin suggested between you and @dan won't go ahead for now." in \
        section(out, "inbox bob")
    assert "not now" not in lapsed.lower().replace("won't go ahead for now", "")

    # Help spread over two weeks, then three quiet days: the nudge waits for Erin's morning in
    # Tokyo, then arrives with its buttons.
    assert "a DM for erin waits for their working hours: Fri 04 Dec 09:00 in Asia/Tokyo" in \
        section(out, "time +3d")
    nudge = section(out, "time 2026-12-04 09:30")
    assert "@dan has helped you three times this quarter" in nudge
    # Erin thanked Dan herself each time: the suggestion points to Dan's open ask instead of
    # another thank-you. She offers from it; Dan hears only that she can help.
    assert "@dan is asking for help with:" in nudge and "proofread the new on-call runbook" in nudge
    assert "[1] I can help" in nudge and "[3] Snooze for 30 days" in nudge
    assert "Say thanks" not in nudge and "thank-you goes a long way" not in nudge
    offered = section(out, "press I can help", after="time 2026-12-04 09:30")
    assert "I've let @dan know you can help" in offered and "1 new DM for dan" in offered
    told = section(out, "inbox dan")
    assert "@erin can help with your ask" in told
    assert not re.search(r"suggest|nudg|one-sided", told, re.I)
    assert "Snoozed — no suggestions from Mutual until Sunday 3 January 2027." in section(
        out, "press Snooze for 30 days")

    # Two weeks on: "how did it go?", answered with a few words; only Bob hears it. Bob says
    # the intro was worth it, and Alice, who made it, hears that.
    question = section(out, "as alice", after="press Snooze for 30 days")
    assert "On Monday 16 November 2026, @bob helped you with:" in question
    assert "[1] It worked  [2] Still working on it  [3] Didn't need it after all" in question
    assert "Merged on Tuesday" in section(out, "set 1 Merged on Tuesday, no bugs so far")
    answered = section(out, "press It worked")
    assert "You told @bob it worked" in answered and "1 new DM for bob" in answered
    bob = section(out, "as bob", after="press It worked")
    assert "@alice says your help with “the review of the billing PR” worked." in bob
    assert "Merged on Tuesday, no bugs so far" in bob
    assert "[1] Yes, it was worth it  [2] Not really" in bob
    assert "@bob says meeting @carol was worth it — thanks to your introduction." in section(
        out, "as alice", after="press Yes, it was worth it")

    # A thank-you to the wrong person, taken back the next day from `/mutual with`.
    assert "[1] Take back…" in section(out, "/mutual with @bob")
    assert "Take this thank-you back?" in section(out, "press 1", after="/mutual with @bob")
    taken = section(out, "yes", after="/mutual with @bob")
    assert "Taken back — it no longer counts as help from @bob. They weren't told." in taken
    assert "new DM for bob" not in taken

    opened = section(out, "/mutual me")  # Dan's, just after his ask
    assert "Your open things" in opened and "[1] Mark solved  [2] Withdraw" in opened
    assert "Your last 90 days" in section(out, "/mutual me", after="press Snooze for 30 days")
    assert "Mutual has forgotten you" in section(out, "yes", after="press Erase my name and notes")


def test_a_failing_line_stops_the_script_with_a_non_zero_exit(tmp_path: Path) -> None:
    script = tmp_path / "bad.txt"
    script.write_text("# two good lines, then a typo\npeople\n/thanks @bob for lunch\npres 1\nhelp\n")
    done = run_sandbox(["--script", str(script)], tmp_path)
    assert done.returncode == 1
    assert "I don't know “pres”" in done.stdout
    assert "The script stopped at line 4." in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_session_resumes_with_its_records_and_its_clock(tmp_path: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text("/thanks @bob for the review\ntime +2d\n")
    db = tmp_path / "mine.db"
    assert run_sandbox(["--script", str(first), "--db", str(db)], tmp_path).returncode == 0

    second = tmp_path / "second.txt"
    second.write_text("/mutual me\n")
    done = run_sandbox(["--script", str(second), "--db", str(db)], tmp_path)
    assert done.returncode == 0, done.stdout
    assert "resumed" in done.stdout
    assert "alice · Wed 18 Nov 10:01 (Europe/London) > /mutual me" in done.stdout
    assert "@bob helped you once" in done.stdout

    fresh = run_sandbox(["--script", str(second), "--db", str(db), "--fresh"], tmp_path)
    assert "a new workspace" in fresh.stdout
    assert "@bob helped you" not in fresh.stdout

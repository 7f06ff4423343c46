"""The export, streamed: one valid JSON object across many batches, CSV cells a spreadsheet
cannot run, and progress that only speaks up for a long export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import Progress
from bot.services import asks, export
from bot.services.intros import propose_intro
from bot.services.outbox import enqueue
from bot.services.recording import record_thanks
from bot.services.workspaces import ensure_workspace

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "BATCH", 3)  # 3 rows a fetch: 10 records cross four batches


def test_json_across_batches_is_one_object_with_the_product_keys(session, small_batches) -> None:
    ensure_workspace(session, "T1", NOW)
    ensure_workspace(session, "T2", NOW)
    for i in range(10):
        record_thanks(session, "T1", "UA", [f"U{i}"], f"note {i} “quoted”", NOW + timedelta(minutes=i))
    record_thanks(session, "T2", "UA", ["UB"], "another workspace", NOW)
    for pair in (("UB", "UC"), ("UD", "UE")):
        propose_intro(session, "T1", "UA", *pair, "you both like Rust", NOW)
    enqueue(session, "T1", "k1", "claim_reminder", "UB", {}, NOW, NOW, subject="42")
    session.flush()

    out = io.StringIO()
    seen: list[tuple[str, int]] = []
    counts = export.write_json(session, "T1", out, lambda section, n: seen.append((section, n)))

    data = json.loads(out.getvalue())
    assert list(data) == ["team", "records", "intros", "nudges", "followups", "asks", "offers",
                          "offers_by_via", "ask_me_about"] and data["team"] == "T1"
    assert counts == {"records": 10, "intros": 2, "nudges": 1, "followups": 0, "asks": 0, "offers": 0,
                      "offers_by_via": 3, "ask_me_about": 0}
    assert [r["helper"] for r in data["records"]] == [f"U{i}" for i in range(10)]
    assert list(data["records"][0]) == list(export.RECORD_FIELDS)
    assert data["records"][9]["created_at"] == "2026-11-16T10:09:00Z"
    assert data["records"][0]["note"] == "note 0 “quoted”"
    assert [(i["a"], i["b"], i["status"]) for i in data["intros"]] == [("UB", "UC", "proposed"),
                                                                       ("UD", "UE", "proposed")]
    assert set(data["intros"][0]) == {"id", "introducer", "a", "b", "reason", "status",
                                      "created_at", "connected_at", "introducer_name", "a_name",
                                      "b_name"}
    assert data["records"][0]["helper_name"] is None  # nobody named: no names given
    [nudge] = data["nudges"]
    assert nudge == {"id": nudge["id"], "kind": "claim_reminder", "recipient": "UB", "subject": "42",
                     "status": "pending", "due_at": "2026-11-16T10:00:00Z", "sent_at": None}
    assert seen == [("records", 3), ("records", 6), ("records", 9), ("records", 10), ("intros", 2),
                    ("nudges", 1), ("offers_by_via", 3)]


def test_an_empty_workspace_is_still_one_object(session) -> None:
    ensure_workspace(session, "T1", NOW)
    out = io.StringIO()
    export.write_json(session, "T1", out)
    below = "fewer than 5"
    assert json.loads(out.getvalue()) == {
        "team": "T1", "records": [], "intros": [], "nudges": [], "followups": [], "asks": [],
        "offers": [], "offers_by_via": [{"via": v, "offers": below, "taken_up": below,
                                         "asks_answered": below}
                                        for v in ("channel", "suggestion", "nudge")],
        "ask_me_about": []}


def test_offers_by_via_counts_asks_answered_from_suggestions_above_the_floor(session) -> None:
    ensure_workspace(session, "T1", NOW)
    helpers = [f"UH{i}" for i in range(6)]
    for i, helper in enumerate(helpers):  # six people each answer an ask from a nudge
        ask = asks.create_ask(session, "T1", f"UA{i}", f"ask {i}", "CGENERAL", NOW)
        asks.offer_help(session, "T1", ask.id, helper, NOW, via="nudge")
        if i < 5:
            asks.solve_ask(session, "T1", ask.id, f"UA{i}", [helper], NOW)
        for j in range(3):  # a few offers from the channel post, by three people
            asks.offer_help(session, "T1", ask.id, f"UC{j}", NOW)
    out = io.StringIO()
    export.write_json(session, "T1", out)
    by_via = {row["via"]: row for row in json.loads(out.getvalue())["offers_by_via"]}
    assert by_via["nudge"] == {"via": "nudge", "offers": 6, "taken_up": 5, "asks_answered": 5}
    # 18 offers, but only three people behind them: not shown.
    assert by_via["channel"]["offers"] == "fewer than 5"
    assert by_via["suggestion"]["asks_answered"] == "fewer than 5"
    assert "UH0" not in json.dumps(list(by_via.values()))


@pytest.mark.parametrize(("note", "cell"), [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("+1 for the review", "'+1 for the review"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("thanks = great, +1", "thanks = great, +1"),
    ("", ""),
])
def test_csv_cells_that_a_spreadsheet_would_run_are_text(note: str, cell: str) -> None:
    row = {"id": 7, "helper": "UB", "receiver": "UA", "source": "command", "status": "confirmed",
           "note": note, "channel": "C1", "message_ts": None, "created_at": "2026-11-16T10:00:00Z",
           "helper_name": "Bob", "receiver_name": "Alice", "channel_name": "general"}
    [read] = list(csv.DictReader(io.StringIO(export.records_csv([row]), newline="")))
    assert read["note"] == cell
    assert read["id"] == "7" and read["helper"] == "UB"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_speaks_only_after_two_seconds_and_once_a_second() -> None:
    clock, out = FakeClock(), io.StringIO()
    progress = Progress(out, clock)
    for at, count in ((0.5, 2_000), (1.9, 50_000), (2.1, 250_000), (2.6, 300_000), (3.2, 400_000)):
        clock.now = 100.0 + at
        progress("records", count)
    clock.now = 104.0
    progress.done({"records": 400_000, "intros": 3, "nudges": 0})
    assert out.getvalue().splitlines() == ["exported 250,000 records…", "exported 400,000 records…",
                                           "exported 400,000 records, 3 intros, 0 nudges in 4.0 s"]


def test_a_quick_export_prints_nothing_on_stderr() -> None:
    clock, out = FakeClock(), io.StringIO()
    progress = Progress(out, clock)
    clock.now = 101.0
    progress("records", 10)
    progress.done({"records": 10})
    assert out.getvalue() == ""

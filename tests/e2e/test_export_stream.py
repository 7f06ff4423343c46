"""`mutual export` as an operator runs it on a big workspace: streamed (memory does not grow
with the records), one valid JSON object, CSV that a spreadsheet opens as text."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.db.session import Database
from bot.services.workspaces import ensure_workspace
from tests.support import payloads as p
from tests.support.bulk import insert_records
from tests.support.live import LiveMutual
from tests.support.procs import mutual_command, run_cli, run_measured
from tests.support.slack_double import SlackDouble

MANY = 100_000
# The export used to hold everything at once: 271 MB for these 100,000 records (2.25 GB for a
# million). Streamed, it stays near the interpreter's own size (~70 MB) whatever the count.
PEAK_MB = 150
START = datetime(2026, 1, 1, tzinfo=UTC)


def test_many_records_export_in_constant_memory(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        ensure_workspace(session, "T0001", START)
    rows = ((f"U{i % 997:05d}", f"U{i % 991:05d}", START + timedelta(seconds=i),
             f"note {i}: thanks for the help with the migration, the review and the docs")
            for i in range(MANY))
    insert_records(db, "T0001", rows)

    for fmt in ("json", "csv"):
        out_path = tmp_path / f"export.{fmt}"
        with out_path.open("wb") as out:
            status, stderr, peak_mb = run_measured(
                [*mutual_command(), "export", "--team", "T0001", "--format", fmt],
                {"DATABASE_URL": db.url}, tmp_path, out)
        assert status == 0, stderr
        assert "Traceback" not in stderr
        assert peak_mb < PEAK_MB, f"{fmt}: {peak_mb:.0f} MB"
        with out_path.open(encoding="utf-8", newline="") as f:
            if fmt == "json":
                data = json.load(f)
                assert (data["team"], len(data["records"]), data["intros"], data["nudges"]) == (
                    "T0001", MANY, [], [])
                last = data["records"][-1]
            else:
                table = list(csv.DictReader(f))
                assert len(table) == MANY
                last = table[-1]
        assert last["note"].startswith(f"note {MANY - 1}: ")
        assert last["created_at"] == (START + timedelta(seconds=MANY - 1)).strftime("%Y-%m-%dT%H:%M:%SZ")


FORMULAS = ["=HYPERLINK(\"http://x.example\",\"click\")", "+1 for the fix", "-1 bug, thanks",
            "@here the deploy"]


def test_csv_exports_turn_formulas_into_text(mutual: LiveMutual, slack: SlackDouble, db: Database,
                                             tmp_path: Path) -> None:
    for note in FORMULAS:
        assert mutual.post(p.command("/thanks", f"<@UBOB> for {note}")).status == 200
    mutual.settle()

    cli = run_cli(["export", "--team", "T0001", "--format", "csv"], {"DATABASE_URL": db.url}, tmp_path)
    assert cli.returncode == 0, cli.stderr
    assert [r["note"] for r in csv.DictReader(io.StringIO(cli.stdout, newline=""))] == [
        "'" + note for note in FORMULAS]

    as_json = run_cli(["export", "--team", "T0001"], {"DATABASE_URL": db.url}, tmp_path)
    assert [r["note"] for r in json.loads(as_json.stdout)["records"]] == FORMULAS, "JSON is data, kept as is"

    assert mutual.post(p.command("/mutual", "export")).status == 200  # your own, as a file in a DM
    mutual.settle()
    [upload] = slack.calls_to("upload")
    mine = slack.uploads[upload["file_id"]].decode("utf-8")
    assert [r["note"] for r in csv.DictReader(io.StringIO(mine, newline=""))] == ["'" + n for n in FORMULAS]

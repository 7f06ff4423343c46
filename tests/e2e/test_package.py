"""Mutual as an operator installs it: a wheel built from the sources, installed into a fresh
virtualenv, every verb run from another directory (no checkout on the path). About 20 s,
most of it pip; the wheels of the dependencies come from pip's cache after the first run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import bot
from tests.support import payloads as p
from tests.support.procs import MutualProcess, clean_env, free_port, http_env, http_get, http_post, run_cli
from tests.support.slack_double import SlackDouble

ROOT = Path(bot.__file__).resolve().parent.parent
# What a wheel is built from (the rest of a checkout must not matter: no build/, no .venv).
SOURCES = ("pyproject.toml", "README.md", "bot")


def pip(*args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          cwd=cwd, env=clean_env({}), capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin` folder of a fresh virtualenv with the built wheel installed."""
    work = tmp_path_factory.mktemp("package")
    src = work / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    pip("wheel", "--no-deps", "--wheel-dir", str(work / "dist"), str(src), cwd=work)
    [wheel] = (work / "dist").glob("mutual-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for revision in (ROOT / "bot" / "migrations" / "versions").glob("*.py"):
        assert f"bot/migrations/versions/{revision.name}" in shipped
    assert "bot/migrations/env.py" in shipped and "bot/migrations/script.py.mako" in shipped
    assert not any(name.startswith(("tests/", "bench/")) for name in shipped)
    # `mutual sandbox --web`: its page's templates and assets, with no build step.
    for asset in ("templates/page.html", "templates/_main.html", "static/sandbox.js", "static/sandbox.css"):
        assert f"bot/sandbox/web/{asset}" in shipped, asset

    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    pip("--python", str(venv / "bin" / "python"), "install", str(wheel), cwd=work)
    return venv / "bin"


def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "somewhere-else"
    folder.mkdir()
    return folder


def test_the_wheel_carries_its_migrations(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "python"), "-c",
                            "import bot.db.migrate as m; print(m.MIGRATIONS)"],
                           cwd=elsewhere(tmp_path), capture_output=True, text=True, check=True,
                           env=clean_env({}))
    migrations = Path(where.stdout.strip())
    assert migrations.is_relative_to(installed.parent / "lib"), migrations
    assert not migrations.is_relative_to(ROOT)


def test_every_verb_runs_from_the_installed_package(installed: Path, empty_database_url: str,
                                                   slack: SlackDouble, tmp_path: Path) -> None:
    cwd, mutual = elsewhere(tmp_path), [str(installed / "mutual")]
    database = {"DATABASE_URL": empty_database_url}  # and no PYTHONPATH: see procs.clean_env

    upgraded = run_cli(["db", "upgrade"], database, cwd, command=mutual)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.startswith("database upgraded from an empty schema to revision ")
    assert upgraded.stderr == ""

    port = free_port()
    with MutualProcess(["run"], http_env(slack, empty_database_url, port), cwd, command=mutual) as proc:
        proc.wait_healthy(port)
        form = p.command("/thanks", "<@UBOB> for packaging the app")
        status, receipt = http_post(port, "/slack/events", form, p.signed_headers(form))
        assert status == 200 and "<@UBOB>" in receipt["text"], receipt
        slack.wait_for("chat.postMessage")
        assert proc.terminate() == 0, proc.log()
    assert "Traceback" not in proc.log()

    jobs = run_cli(["jobs", "run"], {**database, "SLACK_BOT_TOKEN": "xoxb-test",
                                     "SLACK_API_URL": slack.api_url}, cwd, command=mutual)
    assert jobs.returncode == 0, jobs.stdout + jobs.stderr
    assert "prune: deleted" in jobs.stdout and "deliver_nudges: sent 0" in jobs.stdout

    exported = run_cli(["export", "--team", "T0001"], database, cwd, command=mutual)
    assert exported.returncode == 0, exported.stderr
    [record] = json.loads(exported.stdout)["records"]
    assert (record["helper"], record["receiver"], record["note"]) == ("UBOB", "UALICE", "packaging the app")


def test_the_sandbox_page_is_served_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    cwd, port = elsewhere(tmp_path), free_port()
    args = ["sandbox", "--web", "--port", str(port), "--db", str(cwd / "sandbox.db")]
    with MutualProcess(args, {}, cwd, command=[str(installed / "mutual")]) as proc:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = http_get(port, "/")
                break
            except OSError:
                assert proc.proc is not None and proc.proc.poll() is None, proc.log()
                assert time.monotonic() < deadline, proc.log()
                time.sleep(0.2)
        assert status == 200 and "Sandbox Co" in page and "/static/sandbox.js" in page
        for asset, kind in (("sandbox.js", "fetch("), ("sandbox.css", ".bk-button")):
            status, body = http_get(port, f"/static/{asset}")
            assert status == 200 and kind in body, asset
        assert proc.terminate() == 0, proc.log()
    assert "Traceback" not in proc.log() and "your sandbox is saved" in proc.log()

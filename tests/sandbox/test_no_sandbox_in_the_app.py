"""The sandbox is a client of the app, like Slack: nothing in the app imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

APP = Path(bot.__file__).parent
PACKAGES = ("listeners", "services", "jobs", "blocks", "slack")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_app_module_imports_the_sandbox() -> None:
    offenders = []
    files = [f for package in PACKAGES for f in (APP / package).rglob("*.py")]
    files += [APP / "app.py", APP / "server.py", APP / "web.py"]
    assert len(files) > 30  # the walk found the app
    for path in files:
        sandboxy = {m for m in imported_modules(path) if m == "bot.sandbox" or m.startswith("bot.sandbox.")}
        if sandboxy:
            offenders.append(f"{path.relative_to(APP.parent)}: {sorted(sandboxy)}")
    assert not offenders, offenders


def test_the_check_would_catch_one(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from bot.sandbox.state import State\nimport bot.sandbox\n")
    assert {"bot.sandbox.state", "bot.sandbox"} <= imported_modules(sample)


def test_no_sandbox_switch_in_the_app() -> None:
    for package in PACKAGES:
        for path in (APP / package).rglob("*.py"):
            assert "sandbox" not in path.read_text(encoding="utf-8").lower(), path

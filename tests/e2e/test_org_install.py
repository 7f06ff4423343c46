"""Enterprise Grid: Mutual installed once for a whole organisation (`org_deploy_enabled`).
The installation is kept per enterprise; commands, buttons and events from any workspace of
the org are served with the org's token; uninstalling or revoking it — deliveries that may
name only the enterprise — stops every workspace of the org."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from bot.clock import FixedClock
from bot.db.models import Workspace
from bot.db.session import Database
from tests.e2e.test_oauth import OAUTH_TABLES, install
from tests.support import grid
from tests.support.db_read import records
from tests.support.live import LiveMutual, settings_for
from tests.support.slack_double import SlackDouble, person


@pytest.fixture
def org_mutual(slack: SlackDouble, db: Database, clock: FixedClock) -> Iterator[LiveMutual]:
    grid.org_install(slack)
    slack.users["UGRACE"] = person("UGRACE", "Grace", team="T0002")
    settings = settings_for(slack, db.url, bot_token=None, client_id="1111.2222",
                            client_secret="client-secret")
    live = LiveMutual(settings, db, clock)
    install(live)
    yield live
    live.close()
    with db.engine.begin() as conn:
        for table in OAUTH_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


def bots(db: Database) -> list[tuple[str | None, str | None, bool]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT enterprise_id, team_id, is_enterprise_install FROM slack_bots"))]


def tokens_used(slack: SlackDouble, method: str) -> set[str]:
    with slack.lock:
        return {c.headers.get("authorization", "") for c in slack.calls if c.method == method}


def test_the_install_is_kept_per_enterprise(org_mutual: LiveMutual, db: Database) -> None:
    assert bots(db) == [(grid.ORG, None, True)]


def test_any_workspace_of_the_org_is_served_with_the_orgs_token(
        org_mutual: LiveMutual, slack: SlackDouble, db: Database) -> None:
    reply = org_mutual.post(grid.command("/thanks", "<@UBOB> for the review", team="T0001"))
    assert "Noted" in reply.json()["text"], reply.body
    reply = org_mutual.post(grid.command("/thanks", "<@UGRACE> for the map", team="T0002",
                                         user="UHAL"))
    assert reply.status == 200
    assert org_mutual.post_event(grid.event(
        {"type": "app_home_opened", "user": "UALICE", "tab": "home", "channel": "DALICE"},
        team="T0001")).status == 200
    assert [(r.team_id, r.helper_id) for r in records(db)] == [("T0001", "UBOB"), ("T0002", "UGRACE")]
    assert tokens_used(slack, "chat.postMessage") == {f"Bearer {grid.ORG_TOKEN}"}
    with db.session() as s:
        teams = {w.team_id: w.enterprise_id for w in s.scalars(select(Workspace))}
    assert teams["T0001"] == teams["T0002"] == grid.ORG


def test_another_org_is_refused(org_mutual: LiveMutual, db: Database) -> None:
    body = grid.command("/thanks", "<@UBOB> for the review", team="T0009").replace(grid.ORG, "E0999")
    reply = org_mutual.post(body)
    assert reply.status == 200 and "isn't installed in this workspace" in reply.json()["text"]
    assert records(db) == []


@pytest.mark.parametrize("removal", [
    {"type": "app_uninstalled"},
    {"type": "tokens_revoked", "tokens": {"bot": ["UMUTUAL"]}},
], ids=lambda e: e["type"])
def test_removing_the_org_install_by_enterprise_alone_stops_every_workspace(
        org_mutual: LiveMutual, db: Database, removal: dict) -> None:
    for team in ("T0001", "T0002"):
        org_mutual.post(grid.command("/mutual", "help", team=team))
    reply = org_mutual.post_event(grid.event(removal, team=None))  # names only the enterprise
    assert reply.status == 200, reply.body
    assert bots(db) == []
    with db.session() as s:
        stopped = {w.team_id: w.uninstalled_at is not None for w in s.scalars(select(Workspace))}
    assert stopped and all(stopped.values()), stopped
    before = len(records(db))
    again = org_mutual.post(grid.command("/thanks", "<@UBOB> for the review", team="T0001"))
    assert "isn't installed in this workspace" in again.json()["text"]
    assert len(records(db)) == before, "nothing is recorded for an org that removed Mutual"


def test_a_button_pressed_in_another_workspace_of_the_org_is_served(
        org_mutual: LiveMutual, slack: SlackDouble) -> None:
    reply = org_mutual.post(grid.block_action("claim_confirm", "999", team="T0002", user="UHAL"))
    assert reply.status == 200
    assert "isn't installed" not in reply.body

"""Enterprise Grid, org-wide install (`org_deploy_enabled`): the shapes Slack sends, as in
bolt-python's tests (tests/scenario_tests/test_events_org_apps.py) — the envelope names the
workspace, the authorization only the enterprise (`team_id: null`, `is_enterprise_install:
true`); uninstall and revocation may name only the enterprise."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.sandbox.localapi import Scripted
from tests.support import payloads as p
from tests.support.slack_double import SlackDouble

ORG = "E0001"
ORG_TOKEN = "xoxb-org-wide"


def org_install(slack: SlackDouble) -> None:
    """The double's OAuth exchange (and auth.test) answer as for an org-wide install."""
    plain = slack.ok

    def ok(method: str, params: dict[str, Any]) -> Scripted:
        reply = plain(method, params)
        if method == "oauth.v2.access":
            reply.body.update({"access_token": ORG_TOKEN, "team": None,
                               "enterprise": {"id": ORG, "name": "Acme Org"},
                               "is_enterprise_install": True})
        elif method == "auth.test":
            reply.body.update({"team_id": None, "enterprise_id": ORG, "is_enterprise_install": True})
        return reply

    slack.ok = ok  # type: ignore[method-assign]


def command(name: str, text: str, team: str, user: str = "UALICE") -> str:
    fields = dict(parse_qsl(p.command(name, text, user=user, team=team), keep_blank_values=True))
    fields.update({"enterprise_id": ORG, "enterprise_name": "Acme Org", "is_enterprise_install": "true"})
    return urlencode(fields)


def _org_authorization() -> list[dict[str, Any]]:
    return [{"enterprise_id": ORG, "team_id": None, "user_id": "UMUTUAL", "is_bot": True,
             "is_enterprise_install": True}]


def event(inner: dict[str, Any], team: str | None) -> str:
    """An event from one workspace of the org; `team=None`: one naming only the enterprise."""
    body = json.loads(p.event(inner, team=team or "T0"))
    body.update({"enterprise_id": ORG, "authorizations": _org_authorization()})
    if team is None:
        del body["team_id"]
    return json.dumps(body)


def block_action(action_id: str, value: str, team: str, user: str = "UALICE") -> str:
    payload = json.loads(dict(parse_qsl(p.block_action(action_id, value, user=user, team=team)))["payload"])
    payload.update({"enterprise": {"id": ORG, "name": "Acme Org"}, "is_enterprise_install": True})
    payload["team"]["enterprise_id"] = ORG
    return p.interactive(payload)

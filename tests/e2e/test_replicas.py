"""Two `mutual run` on one database, requests alternating between them as a load balancer
sends them: what a person changes through one is what the other does on the very next
request (nothing is cached per process)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.blocks.config import FIELD_BLOCKS
from bot.db.models import HelpRecord, Workspace
from bot.services.settings import LIMITS
from tests.support import payloads as p
from tests.support.procs import MutualProcess, free_port, http_post
from tests.support.slack_double import SlackDouble


def env(slack: SlackDouble, url: str, port: int) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": p.SECRET,
            "SLACK_API_URL": slack.api_url, "DATABASE_URL": url, "PORT": str(port)}


def post(port: int, body: str, content_type: str = "application/x-www-form-urlencoded") -> object:
    status, answer = http_post(port, "/slack/events", body, p.signed_headers(body, content_type=content_type))
    assert status == 200, answer
    return answer


def thanks_text(port: int, helper: str, user: str = "UALICE") -> str:
    answer = post(port, p.command("/thanks", f"<@{helper}> for the help", user=user))
    assert isinstance(answer, dict)
    return str(answer["text"])


def reaction_records(db, author: str) -> int:
    with db.session() as s:
        return len(s.scalars(select(HelpRecord).where(HelpRecord.source == "reaction",
                                                      HelpRecord.helper_id == author)).all())


def test_two_replicas_agree_on_every_change(tmp_path: Path, slack: SlackDouble, db) -> None:
    a_port, b_port = free_port(), free_port()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with MutualProcess(["run"], env(slack, db.url, a_port), cwd=tmp_path / "a") as a, \
            MutualProcess(["run", "--no-scheduler"], env(slack, db.url, b_port), cwd=tmp_path / "b") as b:
        a.wait_healthy(a_port)
        b.wait_healthy(b_port)

        # Both replicas know Bob; Bob asks to be forgotten through A ...
        assert "Noted" in thanks_text(a_port, "UBOB") and "Noted" in thanks_text(b_port, "UBOB")
        post(a_port, p.block_action("forget_confirm", "forget", user="UBOB"))
        # ... and B leaves him out on the very next request.
        assert "asked Mutual to forget them" in thanks_text(b_port, "UBOB")
        event = p.event(p.reaction("reaction_added", "UALICE", "UBOB", ts="1700000000.000001"))
        post(b_port, event, "application/json")
        assert reaction_records(db, "UBOB") == 0

        # Carol leaves the workspace: Slack tells A; B refuses to record help from her at once.
        assert "Noted" in thanks_text(b_port, "UCAROL")
        gone = {**slack.users["UCAROL"], "deleted": True}
        post(a_port, p.event({"type": "user_change", "user": gone}), "application/json")
        assert "no longer active" in thanks_text(b_port, "UCAROL")

        # An admin changes the thank-you emoji through A; B counts the new one at once.
        slack.users["UERIN"]["is_admin"] = True
        values = {block: {block: value} for block, value in {
            "cfg_summary_weekday": {"type": "static_select", "selected_option": {"value": "4"}},
            "cfg_summary_hour": {"type": "static_select", "selected_option": {"value": "16"}},
            "cfg_timezone": {"type": "plain_text_input", "value": "UTC"},
            "cfg_thank_emoji": {"type": "plain_text_input", "value": "tada"},
            "cfg_digest": {"type": "checkboxes", "selected_options": []},
            # Every threshold at its default, whatever settings there are.
            **{FIELD_BLOCKS[name]: {"type": "number_input",
                               "value": str(Workspace.__table__.c[name].default.arg)}
               for name in LIMITS},
        }.items()}
        saved = post(a_port, p.view_submission("config_submit", values, user="UERIN"))
        assert isinstance(saved, dict) and saved["response_action"] == "update", saved
        tada = p.event(p.reaction("reaction_added", "UALICE", "UERIN", emoji="tada",
                                  ts="1700000000.000002"))
        post(b_port, tada, "application/json")
        assert reaction_records(db, "UERIN") == 1
        assert a.terminate() == 0 and b.terminate() == 0
    for proc in (a, b):
        assert "Traceback" not in proc.log(), proc.log()

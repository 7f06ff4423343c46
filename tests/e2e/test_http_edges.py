"""The HTTP edge, over the real server: signatures, stale timestamps, bodies that are not what
Slack sends, the word "payload" in a command, and the health check."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import random
import time

import pytest

from bot.db.session import Database
from tests.support import payloads as p
from tests.support.db_read import record_count, records
from tests.support.live import LiveMutual, Reply
from tests.support.outage import database_down
from tests.support.slack_double import SlackDouble

THANKS = p.command("/thanks", "<@UBOB> for the review")


def slack_calls_after_start(slack: SlackDouble) -> list[str]:
    return [c.method for c in slack.calls if c.method != "auth.test"]


def post_bytes(mutual: LiveMutual, body: bytes, headers: dict[str, str]) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", mutual.port, timeout=15)
    try:
        conn.request("POST", "/slack/events", body=body, headers=headers)
        resp = conn.getresponse()
        return Reply(resp.status, resp.read().decode(errors="replace"), {})
    finally:
        conn.close()


def sign_bytes(body: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(p.SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest(),
            "Content-Type": "application/x-www-form-urlencoded"}


# -- signatures ----------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    THANKS,
    p.event(p.reaction("reaction_added", user="UALICE", author="UBOB")),
    p.global_shortcut("thank_someone"),
], ids=["command", "event", "interactivity"])
def test_bad_signature_is_401_and_changes_nothing(mutual: LiveMutual, slack: SlackDouble,
                                                  db: Database, body: str) -> None:
    content_type = "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
    reply = mutual.post(body, content_type=content_type, secret="not-the-signing-secret")
    assert reply.status == 401
    mutual.settle()
    assert record_count(db) == 0 and slack_calls_after_start(slack) == []


def test_missing_signature_headers_are_401(mutual: LiveMutual, db: Database) -> None:
    reply = mutual.request("POST", "/slack/events", THANKS,
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 401
    assert record_count(db) == 0


def test_body_changed_after_signing_is_401(mutual: LiveMutual, db: Database) -> None:
    headers = p.signed_headers(THANKS)
    tampered = THANKS.replace("UBOB", "UCAROL")
    assert mutual.request("POST", "/slack/events", tampered, headers).status == 401
    assert record_count(db) == 0


@pytest.mark.parametrize("age", [301, 3600, -301], ids=["just stale", "an hour old", "from the future"])
def test_stale_timestamp_is_401_even_when_correctly_signed(mutual: LiveMutual, slack: SlackDouble,
                                                           db: Database, age: int) -> None:
    reply = mutual.post(THANKS, timestamp=int(time.time()) - age)
    assert reply.status == 401
    assert record_count(db) == 0 and slack_calls_after_start(slack) == []


def test_a_fresh_timestamp_is_accepted(mutual: LiveMutual, db: Database) -> None:
    """The other side of the stale check: 4 minutes of clock skew is fine."""
    assert mutual.post(THANKS, timestamp=int(time.time()) - 240).status == 200
    assert record_count(db) == 1


# -- bodies Slack never sends --------------------------------------------------------------
GARBAGE = {
    "payload not json": ("payload=notjson", "application/x-www-form-urlencoded"),
    "payload a list": ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
    "payload a string": ("payload=%22hi%22", "application/x-www-form-urlencoded"),
    "empty form": ("", "application/x-www-form-urlencoded"),
    "empty json": ("", "application/json"),
    "form noise": ("%%%&&&==x&&=", "application/x-www-form-urlencoded"),
    "broken json": ('{"type": "event_callback", ', "application/json"),
    "json list": ("[1, 2, 3]", "application/json"),
    "json string": ('"event_callback"', "application/json"),
    "json number": ("42", "application/json"),
    "json null": ("null", "application/json"),
    "json object of nothing": ("{}", "application/json"),
}


@pytest.mark.parametrize("name", GARBAGE)
def test_signed_garbage_is_4xx_never_500(mutual: LiveMutual, slack: SlackDouble, db: Database,
                                         name: str) -> None:
    body, content_type = GARBAGE[name]
    reply = mutual.post(body, content_type=content_type)
    assert 400 <= reply.status < 500, (reply.status, reply.body)
    mutual.settle()
    assert record_count(db) == 0 and slack_calls_after_start(slack) == []


@pytest.mark.parametrize("name", GARBAGE)
def test_unsigned_garbage_is_401(mutual: LiveMutual, db: Database, name: str) -> None:
    body, content_type = GARBAGE[name]
    reply = mutual.request("POST", "/slack/events", body, {"Content-Type": content_type})
    assert reply.status == 401, reply.body
    assert record_count(db) == 0


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
def test_random_bytes_are_4xx(mutual: LiveMutual, db: Database, signed: bool) -> None:
    noise = random.Random(2).randbytes(512)
    headers = sign_bytes(noise) if signed else {"Content-Type": "application/x-www-form-urlencoded"}
    reply = post_bytes(mutual, noise, headers)
    assert 400 <= reply.status < 500, reply.body
    assert record_count(db) == 0


def test_oversized_body_is_refused_before_reading(mutual: LiveMutual, db: Database) -> None:
    huge = p.command("/thanks", "<@UBOB> for " + "x" * 1_100_000)
    assert mutual.post(huge).status == 413
    assert record_count(db) == 0


def test_url_verification_is_answered(mutual: LiveMutual) -> None:
    reply = mutual.post_event(json.dumps({"type": "url_verification", "token": "legacy",
                                          "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}))
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_unknown_paths_and_methods_are_404(mutual: LiveMutual) -> None:
    assert mutual.request("GET", "/slack/events").status == 404
    assert mutual.request("POST", "/healthz").status == 404
    assert mutual.request("GET", "/admin").status == 404
    # Not in OAuth mode, so there is no install page to offer.
    assert mutual.request("GET", "/slack/install").status == 404


# -- the word "payload" --------------------------------------------------------------------
@pytest.mark.parametrize(("text", "note"), [
    ("<@UBOB> for the payload parser", "the payload parser"),
    ("<@UBOB> payload", "payload"),
    ("<@UBOB> for fixing payload=none in the webhook", "fixing payload=none in the webhook"),
    ("<@UBOB> for the {\"payload\": 1} example", "the {\"payload\": 1} example"),
])
def test_command_text_with_payload_is_recorded_intact(mutual: LiveMutual, slack: SlackDouble,
                                                      db: Database, text: str, note: str) -> None:
    """Bolt reads a form body containing "payload" as interactivity and drops it; the text
    must still arrive whole."""
    reply = mutual.post(p.command("/thanks", text))
    assert reply.status == 200, reply.body
    assert reply.json()["response_type"] == "ephemeral"
    [rec] = records(db)
    assert (rec.helper_id, rec.receiver_id, rec.note) == ("UBOB", "UALICE", note)
    mutual.settle()
    assert len(slack.dms_to("UBOB")) == 1


# -- health --------------------------------------------------------------------------------
def test_healthz_is_200_while_the_database_answers_and_503_when_not(mutual: LiveMutual,
                                                                   db: Database) -> None:
    reply = mutual.request("GET", "/healthz")
    assert (reply.status, reply.json()) == (200, {"ok": True})
    assert reply.headers["content-type"] == "application/json"
    with database_down(db):
        down = mutual.request("GET", "/healthz")
        assert (down.status, down.json()) == (503, {"ok": False})
    assert mutual.request("GET", "/healthz").status == 200


def test_healthz_needs_no_signature(mutual: LiveMutual) -> None:
    """Load balancers do not sign; the health check must not depend on Slack at all."""
    assert mutual.request("GET", "/healthz", headers={"X-Slack-Signature": "v0=nonsense"}).status == 200


def test_a_command_that_fails_unexpectedly_gets_a_kind_reply_not_a_500(mutual, db):
    """A signed command without the fields Slack always sends trips a listener; the person
    still sees words, not Slack's "failed with error" banner."""
    from urllib.parse import urlencode

    body = urlencode({"team_id": "T0001", "command": "/thanks", "text": "<@UBOB> hi",
                      "channel_id": "C1"})  # no user_id
    reply = mutual.post(body)
    assert reply.status == 200
    assert "went wrong on Mutual's side" in reply.json()["text"]

"""The HTTP edge, over the real server: signatures, stale timestamps, bodies that are not what
Slack sends, the word "payload" in a command, and the health check."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import random
import time
from urllib.parse import urlencode

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


@pytest.mark.parametrize("timestamp", ["abc", "", " ", "-1", "1e9", "1700000000.5",
                                       "99999999999999999999", "0x10", "١٧٠٠٠٠٠٠٠٠"],
                         ids=["letters", "empty", "blank", "negative", "exponent", "float", "huge",
                              "hex", "arabic digits"])
def test_any_timestamp_header_that_is_not_a_number_is_401(mutual: LiveMutual, db: Database,
                                                          timestamp: str) -> None:
    headers = p.signed_headers(THANKS)
    headers["X-Slack-Request-Timestamp"] = timestamp
    assert post_bytes(mutual, THANKS.encode(), _latin1(headers)).status == 401
    assert record_count(db) == 0


@pytest.mark.parametrize("signature", ["", "v0=", "v0=zz", "v1=" + "0" * 64, "v0=é" + "0" * 63,
                                       "x" * 5000, "v0=" + "0" * 64],
                         ids=["empty", "bare", "short", "other version", "non-ascii", "huge", "zeros"])
def test_a_garbled_signature_is_401(mutual: LiveMutual, db: Database, signature: str) -> None:
    headers = p.signed_headers(THANKS)
    headers["X-Slack-Signature"] = signature
    assert post_bytes(mutual, THANKS.encode(), _latin1(headers)).status == 401
    assert record_count(db) == 0


def _latin1(headers: dict[str, str]) -> dict[str, str]:
    """http.client sends header values as latin-1, as browsers and proxies may."""
    return {k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()}


def test_a_refused_signature_is_logged_once_without_the_body(mutual: LiveMutual,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    """Bolt would log the whole body at INFO: the note, user ids and a live response_url."""
    secret_note = p.command("/thanks", "<@UBOB> for the confidential-salary-review")
    with caplog.at_level(logging.DEBUG):
        assert mutual.post(secret_note, secret="not-the-signing-secret").status == 401
        assert mutual.post(secret_note, timestamp=int(time.time()) - 3600).status == 401
    assert not [r for r in caplog.records if "confidential" in r.getMessage()
                or "respond" in r.getMessage()]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and all("signature" in r.getMessage() or "stale" in r.getMessage()
                                      for r in warnings)


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


DEEP = 5000


@pytest.mark.parametrize(("name", "body", "content_type"), [
    ("deep json", "[" * DEEP + "]" * DEEP, "application/json"),
    ("deep json object", '{"a":' * DEEP + "1" + "}" * DEEP, "application/json"),
    ("deep payload", "payload=" + "%5B" * DEEP + "%5D" * DEEP, "application/x-www-form-urlencoded"),
    ("truncated payload", p.global_shortcut("thank_someone")[:-20], "application/x-www-form-urlencoded"),
    ("json number too long", '{"type": "event_callback", "event_time": ' + "9" * 5000 + "}",
     "application/json"),
    ("form sent as json", THANKS, "application/json"),
    ("command sent as text", THANKS, "text/plain"),
    ("command with no type", THANKS, ""),
    ("json sent as a form", p.event(p.reaction("reaction_added", "UALICE", "UBOB")),
     "application/x-www-form-urlencoded"),
    ("multipart", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--",
     "multipart/form-data; boundary=x"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "")
def test_odd_bodies_signed_are_answered_never_500(mutual: LiveMutual, db: Database, name: str,
                                                  body: str, content_type: str) -> None:
    reply = mutual.post(body, content_type=content_type)
    assert reply.status < 500, (name, reply.status)
    unsigned = mutual.request("POST", "/slack/events", body, {"Content-Type": content_type})
    assert unsigned.status == 401
    assert mutual.request("GET", "/healthz").status == 200


def test_non_utf8_body_signed_is_400_and_unsigned_401(mutual: LiveMutual, db: Database) -> None:
    body = THANKS.encode() + b"%FF\xff\xfe"
    assert post_bytes(mutual, body, sign_bytes(body)).status == 400
    assert post_bytes(mutual, body, {"Content-Type": "application/x-www-form-urlencoded"}).status == 401
    assert record_count(db) == 0


@pytest.mark.parametrize("length", ["abc", "-5", "1e3"])
def test_a_garbled_content_length_is_never_500(mutual: LiveMutual, length: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", mutual.port, timeout=15)
    try:
        conn.putrequest("POST", "/slack/events")
        conn.putheader("Content-Length", length)
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.endheaders()
        status = conn.getresponse().status
    finally:
        conn.close()
    assert 400 <= status < 500
    assert mutual.request("GET", "/healthz").status == 200


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


def test_a_command_without_a_user_is_refused_politely(mutual: LiveMutual, db: Database) -> None:
    """A signed command without the fields Slack always sends never reaches a listener; the
    person still sees words, not Slack's "failed with error" banner."""
    body = urlencode({"team_id": "T0001", "command": "/thanks", "text": "<@UBOB> hi",
                      "channel_id": "C1", "trigger_id": "t.1"})  # no user_id
    reply = mutual.post(body)
    assert reply.status == 200
    assert "couldn't read that request" in reply.json()["text"]
    assert record_count(db) == 0


def test_a_command_that_fails_unexpectedly_gets_a_kind_reply_not_a_500(
        mutual: LiveMutual, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A listener that trips says so in words; trying again then works (the failed attempt
    does not count as done)."""
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    real = mutual.deps.directory.lookup
    monkeypatch.setattr(mutual.deps.directory, "lookup", broken)
    reply = mutual.post(THANKS)
    assert reply.status == 200
    assert "went wrong on Mutual's side" in reply.json()["text"]
    monkeypatch.setattr(mutual.deps.directory, "lookup", real)
    again = mutual.post(THANKS)
    assert "That was already done" not in again.json()["text"]
    assert record_count(db) == 1

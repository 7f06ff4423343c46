"""Sending fuzz cases to the live app and checking what it did."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import re
import time
from dataclasses import dataclass

from sqlalchemy import select

from bot.db.models import HelpRecord, Intro, IntroRequest
from bot.db.session import Database
from tests.support import payloads as p
from tests.support.fuzz import ANY, NO_EFFECT, REFUSED, RESPOND, Case, render
from tests.support.fuzz_db import Dump, Snapshot, changed, dump, restore, snapshot
from tests.support.live import LiveMutual, Reply, assert_slack_takes
from tests.support.slack_double import SlackDouble

ANSWER_WITHIN = 3.0  # seconds: Slack shows the person an error past this
# Markup a person's words must never become in anything Mutual sends.
PINGS = re.compile(r"<!(?:channel|here|everyone|subteam)|<https?://evil|<mailto:")


class Errors(logging.Handler):
    """ERROR lines the app logs (a listener that raised, a failed send): each is a finding,
    even when the person was answered politely."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        where = f"{record.pathname}:{record.lineno}"
        if record.exc_info and record.exc_info[1] is not None:
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
            where += f" {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"[:200]
        self.lines.append(f"{record.name}: {record.getMessage()[:120]} at {where}")


@dataclass
class Outcome:
    status: int
    seconds: float
    body: bytes


class Fuzzer:
    """One live app for many examples: the database is put back to the seeded state only
    when an example changed it."""

    def __init__(self, mutual: LiveMutual, slack: SlackDouble, db: Database) -> None:
        self.mutual, self.slack, self.db = mutual, slack, db
        self.seeds = self._seed()
        self.saved: Dump = dump(db)
        self.baseline: Snapshot = snapshot(db)
        self.examples = 0
        self.errors = Errors()
        logging.getLogger().addHandler(self.errors)

    def close(self) -> None:
        logging.getLogger().removeHandler(self.errors)

    def _seed(self) -> dict[str, str]:
        """A workspace with a thank-you, a pending claim, an intro and an intro request, so
        presses and submissions can name rows that exist."""
        for user, text in (("UALICE", "/thanks <@UBOB> for the seed"),
                           ("UALICE", "/helped <@UBOB> set up the seed"),
                           ("UALICE", "/intro <@UBOB> <@UCAROL> you both seed things"),
                           ("UERIN", "/intro request <@UBOB> <@UCAROL> seeds, again")):
            name, _, rest = text.partition(" ")
            reply = self.mutual.post(p.command(name, rest, user=user))
            assert reply.status == 200, reply.body
        self.mutual.settle()
        with self.db.session() as s:
            record = s.scalars(select(HelpRecord.id).where(HelpRecord.status == "confirmed")).one()
            claim = s.scalars(select(HelpRecord.id).where(HelpRecord.status == "pending")).one()
            intro, request = s.scalars(select(Intro.id)).one(), s.scalars(select(IntroRequest.id)).one()
        return {"@@record@@": str(record), "@@claim@@": str(claim), "@@intro@@": str(intro),
                "@@request@@": str(request), RESPOND: self.slack.response_url("fuzz")}

    def send(self, case: Case) -> Outcome:
        body, content_type = render(case, self.seeds)
        headers = _headers(body, content_type, case.sign)
        conn = http.client.HTTPConnection("127.0.0.1", self.mutual.port, timeout=15)
        started = time.monotonic()
        try:
            conn.request("POST", "/slack/events", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
        finally:
            conn.close()
        return Outcome(response.status, time.monotonic() - started, answer)

    def check(self, case: Case) -> None:
        """Send one case and assert everything the fuzz suite promises about it."""
        self.examples += 1
        self.slack.reset()
        self.errors.lines.clear()
        outcome = self.send(case)
        assert outcome.status < 500, (case, outcome.status, outcome.body[:300], self.errors.lines)
        assert_slack_takes(Reply(outcome.status, outcome.body.decode(errors="replace"), {}))
        assert outcome.seconds < ANSWER_WITHIN, (case, f"answered in {outcome.seconds:.2f}s")
        if case.sign != "good":
            assert outcome.status == 401, (case, outcome.status)
        self.mutual.settle()
        assert self.mutual.request("GET", "/healthz").status == 200, "the server went down"
        now = snapshot(self.db)
        try:
            if case.expect == REFUSED:
                assert changed(self.baseline, now) == [], (case, "changed", changed(self.baseline, now))
                calls = [c.method for c in self.slack.calls]
                assert calls == [], (case, "refused, yet called Slack", calls)
            elif case.expect == NO_EFFECT:
                moved = changed(self.baseline, now, ignore=("processed_events",))
                assert moved == [], (case, "changed", moved)
            else:
                assert case.expect == ANY
            self._nothing_pings(case)
            assert self.errors.lines == [], (case, self.errors.lines)
        finally:
            # Put the database back whatever the verdict, so one example never leaks into the
            # next (hypothesis goes on to shrink a failing one).
            if now != self.baseline:
                restore(self.db, self.saved)

    def _nothing_pings(self, case: Case) -> None:
        for call in self.slack.calls:
            sent = json.dumps(call.params, ensure_ascii=False)
            assert not PINGS.search(sent), (case, call.method, sent[:500])


def _headers(body: bytes, content_type: str, sign: str) -> dict[str, str]:
    now = int(time.time())
    timestamp = str({"stale": now - 400, "future": now + 400}.get(sign, now))
    secret = b"not-the-signing-secret" if sign == "secret" else p.SECRET.encode()
    digest = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + digest.hexdigest()}
    if content_type:
        headers["Content-Type"] = content_type
    if sign == "none":
        return {"Content-Type": content_type} if content_type else {}
    if sign.startswith("ts:"):
        headers["X-Slack-Request-Timestamp"] = sign[3:]
    if sign.startswith("sig:"):
        headers["X-Slack-Signature"] = sign[4:]
    return headers

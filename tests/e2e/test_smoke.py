from tests.support import payloads as p


def test_healthz(mutual):
    reply = mutual.request("GET", "/healthz")
    assert reply.status == 200 and reply.json() == {"ok": True}


def test_thanks_records_and_dms(mutual, slack, db):
    reply = mutual.post(p.command("/thanks", "<@UBOB> for the code review"))
    assert reply.status == 200, reply.body
    assert "Bob" in reply.body or "UBOB" in reply.body
    dm = slack.wait_for("chat.postMessage")[0]
    assert dm["channel"] == "UBOB"

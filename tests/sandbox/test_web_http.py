"""`mutual sandbox --web` over HTTP, without a browser: who may ask, what a click becomes on its
way to Mutual (the same signed payloads the terminal sends), and one workspace shared by both
faces."""

from __future__ import annotations

import http.client
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

from bot.sandbox.state import BOT_USER_ID, SavedFile
from bot.sandbox.web.app import SandboxWeb
from bot.sandbox.web.face import WebFace, blocks_key
from bot.sandbox.workspace import Workspace
from tests.sandbox.browser import Served

PORT = 8123
HOME = f"127.0.0.1:{PORT}"


class Client:
    def __init__(self, web: SandboxWeb) -> None:
        self.web = web

    def call(self, method: str, path: str, form: dict[str, Any] | None = None, *, remote: str = "127.0.0.1",
             host: str = HOME, origin: str | None = f"http://{HOME}",
             **headers: str) -> tuple[str, dict[str, str], bytes]:
        body = urlencode(form or {}, doseq=True).encode()
        path, _, query = path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": remote,
            "HTTP_HOST": host, "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
            **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
        if origin is not None:
            environ["HTTP_ORIGIN"] = origin
        answer: dict[str, Any] = {}

        def start(status: str, headers: list[tuple[str, str]]) -> None:
            answer.update(status=status, headers=dict(headers))

        data = b"".join(self.web(environ, start))
        return answer["status"], answer["headers"], data

    def post(self, path: str, **form: Any) -> dict[str, Any]:
        status, _, body = self.call("POST", path, form)
        assert status == "200 OK", body
        return dict(json.loads(body))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Client]:
    workspace = Workspace(tmp_path / "sandbox.db", fresh=True)
    try:
        yield Client(SandboxWeb(WebFace(workspace), port=PORT))
    finally:
        workspace.close()


def sent_payloads(client: Client) -> list[dict[str, Any]]:
    """The interactivity payloads the sandbox posted to Mutual, as Mutual received them."""
    return [json.loads(parse_qs(body)["payload"][0]) for body in client.web.face.ws.sent
            if body.startswith("payload=")]


def test_only_this_machine_and_its_own_names_may_ask(client: Client) -> None:
    assert client.call("GET", "/")[0] == "200 OK"
    for remote in ("::1", "::ffff:127.0.0.1", "127.0.0.2"):
        assert client.call("GET", "/", remote=remote)[0] == "200 OK", remote
    for remote in ("192.0.2.7", "10.0.0.1", "::ffff:192.0.2.7", "fd00::2", "", "not-an-address"):
        status, _, body = client.call("GET", "/", remote=remote)
        assert status == "403 Forbidden" and b"only this machine" in body, remote
    assert client.call("GET", "/", host=f"localhost:{PORT}")[0] == "200 OK"
    # A page elsewhere may point a name of its own at 127.0.0.1 (DNS rebinding): refused.
    for host in ("evil.test", f"evil.test:{PORT}", "127.0.0.1:9999", ""):
        assert client.call("GET", "/", host=host)[0] == "403 Forbidden", host


def test_a_click_from_another_site_changes_nothing(client: Client) -> None:
    face = client.web.face
    before = len(face.state.messages)
    thanks = {"text": "/thanks @bob for the review"}
    for origin, extra in (("http://evil.test", {}), ("null", {}), (f"https://{HOME}", {}),
                          (None, {}), (None, {"sec_fetch_site": "cross-site"})):
        status, _, body = client.call("POST", "/send", thanks, origin=origin, **extra)
        assert status == "403 Forbidden" and b"sandbox's own page" in body, (origin, extra)
    assert face.ws.sent == [] and len(face.state.messages) == before  # nothing reached Mutual
    assert client.call("POST", "/send", thanks, origin=None, sec_fetch_site="same-origin")[0] == "200 OK"
    assert client.post("/send", **thanks)["ok"]
    assert [m.text for m in face.state.messages[before:] if m.ephemeral_to == "UALICE"]


def test_every_answer_forbids_inline_scripts_and_other_origins(client: Client) -> None:
    for path in ("/", "/regions", "/static/sandbox.js", "/static/sandbox.css", "/nowhere"):
        _, headers, _ = client.call("GET", path)
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy and "'unsafe" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    status, headers, body = client.call("GET", "/static/sandbox.js")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/javascript") and b"fetch(" in body
    for bad in ("/static/../face.py", "/static/", "/static/app.py"):
        assert client.call("GET", bad)[0] == "404 Not Found", bad
    assert client.call("PUT", "/send")[0] == "405 Method Not Allowed"
    assert client.call("POST", "/nowhere")[0] == "404 Not Found"
    status, _, body = client.call("POST", "/react", {"n": "two", "emoji": "pray"})
    assert status == "400 Bad Request" and b"n must be a number" in body


def test_files_mutual_uploaded_and_nothing_else(client: Client, tmp_path: Path) -> None:
    face = client.web.face
    folder = face.ws.paths.files
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n....")
    (folder / "records.csv").write_bytes(b"helper,receiver\n")
    outside = tmp_path / "secret.txt"
    outside.write_text("not yours")
    face.state.files.update({"F1": SavedFile("F1", "chart.png", "chart", str(folder / "chart.png")),
                             "F2": SavedFile("F2", "records.csv", "export", str(folder / "records.csv")),
                             "F3": SavedFile("F3", "secret.txt", "x", str(outside)),
                             "F4": SavedFile("F4", "x.png", "x", str(folder / ".." / "secret.txt"))})
    status, headers, body = client.call("GET", "/files/F1")
    assert status == "200 OK" and headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")
    assert headers["Content-Disposition"].startswith("inline")
    status, headers, _ = client.call("GET", "/files/F2")
    assert status == "200 OK" and headers["Content-Disposition"].startswith("attachment")
    for refused in ("F3", "F4", "F9", "..%2Fsecret.txt"):
        assert client.call("GET", f"/files/{refused}")[0] == "404 Not Found", refused


def test_a_click_becomes_the_payload_slack_sends(client: Client) -> None:
    """Buttons, overflow menus and selects on a message, read from the message itself."""
    face = client.web.face
    dm = face.state.app_dm_of("UALICE")
    blocks = [
        {"type": "section", "block_id": "top", "text": {"type": "mrkdwn", "text": "Pick"},
         "accessory": {"type": "overflow", "action_id": "more", "options": [
             {"text": {"type": "plain_text", "text": "Snooze"}, "value": "snooze"}]}},
        {"type": "actions", "block_id": "acts", "elements": [
            {"type": "button", "action_id": "go", "value": "42", "text": {"type": "plain_text", "text": "Go"}},
            {"type": "users_select", "action_id": "who"},
            {"type": "conversations_select", "action_id": "where"}]},
        {"type": "input", "block_id": "box", "label": {"type": "plain_text", "text": "A few words"},
         "element": {"type": "plain_text_input", "action_id": "words"}},
    ]
    with face.ws.slack.lock:
        msg = face.ws.slack.methods.add(dm, BOT_USER_ID, {"text": "pick", "blocks": blocks})
    key = blocks_key(blocks)
    press = {"surface": "message", "n": msg.number, "key": key}
    client.post("/press", **press, at="0.a", option="snooze")
    client.post("/press", **press, at="1.0", option="ignored", f1="it <worked>")
    client.post("/press", **press, at="1.1", option="UCAROL")
    client.post("/press", **press, at="1.2", option="CGENERAL")
    sent = sent_payloads(client)
    assert [p["type"] for p in sent] == ["block_actions"] * 4
    assert all(p["user"]["id"] == "UALICE" and p["container"]["message_ts"] == msg.ts for p in sent)
    assert sent[0]["actions"][0]["selected_option"]["value"] == "snooze"
    assert (sent[1]["actions"][0]["value"], sent[1]["actions"][0]["block_id"]) == ("42", "acts")
    assert sent[1]["state"]["values"]["box"]["words"] == {"type": "plain_text_input", "value": "it <worked>"}
    assert sent[2]["actions"][0]["selected_user"] == "UCAROL"
    assert sent[3]["actions"][0]["selected_conversation"] == "CGENERAL"

    # Refused before anything is sent: a value the menu did not offer, a message since changed,
    # a place with nothing in it, a message someone else can't see.
    for bad in ({"at": "0.a", "option": "delete-everything"}, {"at": "1.0", "key": "stale"},
                {"at": "7.0"}, {"at": "1.1", "option": "UFRANK"}):
        answer = client.post("/press", **{**press, **bad})
        assert answer["ok"] is False, bad
    client.post("/as", person="UBOB")
    answer = client.post("/press", **press, at="1.0")
    assert answer["ok"] is False and f"You can&#39;t see a message #{msg.number}" in answer["regions"]["notes"]
    assert len(sent_payloads(client)) == 4


def test_a_modal_is_submitted_as_slack_submits_it(client: Client) -> None:
    face = client.web.face
    client.post("/shortcut", name="Thank someone")
    view = face.state.modals["UALICE"]
    assert view.view["title"]["text"] == "Say thanks"
    answer = client.post("/modal/submit", f1=["UALICE"], f2=["lunch <b>"])
    assert answer["ok"] and "from yourself" in answer["regions"]["modal"]
    assert ">lunch &lt;b&gt;</textarea>" in answer["regions"]["modal"]  # what was typed, kept as text
    answer = client.post("/modal/submit", f1=["UBOB", "UCAROL"], f2=["lunch"])
    [_, second] = [p for p in sent_payloads(client) if p["type"] == "view_submission"]
    values = second["view"]["state"]["values"]
    assert [a for block in values.values() for a in block.values() if a["type"] == "multi_users_select"] == [
        {"type": "multi_users_select", "selected_users": ["UBOB", "UCAROL"]}]
    assert "grateful" in answer["regions"]["modal"]  # the closing view stays until closed
    assert client.post("/modal/close")["ok"] and "UALICE" not in face.state.modals
    assert client.post("/modal/submit", f1=["UBOB"])["ok"] is False  # nothing open any more


def test_the_page_asks_only_for_what_changed(client: Client) -> None:
    status, _, body = client.call("GET", "/regions")
    version = json.loads(body)["version"]
    assert client.call("GET", f"/regions?since={version}")[0] == "204 No Content"
    answer = client.post("/send", text="/thanks @bob for the review")
    assert answer["version"] != version and set(answer["regions"]) == {"top", "sidebar", "main", "modal", "notes"}
    assert "Only visible to you" in answer["regions"]["main"] and "1 new DM for bob" in answer["regions"]["notes"]
    assert client.call("GET", f"/regions?since={answer['version']}")[0] == "204 No Content"


# -- the real command --------------------------------------------------------------------------

def once() -> None:
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the sandbox always runs on SQLite: these run once, in the SQLite suite")


def script(db: Path, *lines: str) -> str:
    path = db.with_suffix(".txt")
    path.write_text("\n".join(lines) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    done = subprocess.run([sys.executable, "-m", "bot", "sandbox", "--script", str(path), "--db", str(db)],
                          cwd=db.parent, env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def request(url: str, method: str, path: str, form: dict[str, str] | None = None,
         host: str | None = None) -> tuple[int, str]:
    address = url.removeprefix("http://").rstrip("/")
    name, port = address.split(":")
    conn = http.client.HTTPConnection(name, int(port), timeout=60)
    try:
        headers = {"Host": host or address, "Origin": f"http://{address}",
                   "Content-Type": "application/x-www-form-urlencoded"}
        conn.request(method, path, body=urlencode(form or {}), headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read().decode()
    finally:
        conn.close()


def test_one_workspace_two_faces(tmp_path: Path) -> None:
    """Started in the terminal, carried on in the browser, finished in the terminal."""
    once()
    db = tmp_path / "mine.db"
    script(db, "/thanks @bob for the review", "as bob")
    served = Served(db)
    try:
        status, page = request(served.url, "GET", "/")
        assert status == 200 and "Bob Okafor" in page and "alice" in page  # bob, where the terminal left him
        status, body = request(served.url, "POST", "/send", {"text": "/thanks @carol for the coffee"})
        assert status == 200 and json.loads(body)["ok"]
    finally:
        log = served.stop()
    assert "Traceback" not in log and "your sandbox is saved" in log
    out = script(db, "/mutual me")
    assert "bob · " in out and "@carol helped you once" in out


def test_the_page_is_served_on_the_loopback_address_only(tmp_path: Path) -> None:
    once()
    served = Served(tmp_path / "s.db")
    try:
        port = int(served.url.rstrip("/").rsplit(":", 1)[1])
        assert request(served.url, "GET", "/")[0] == 200
        assert request(served.url, "GET", "/", host="evil.test")[0] == 403
        assert request(served.url, "POST", "/home", host=f"localhost:{port}")[0] == 403  # Origin ≠ Host
        other = non_loopback_address()
        if other is not None:
            with pytest.raises(OSError):
                socket.create_connection((other, port), timeout=5).close()
    finally:
        served.stop()


def non_loopback_address() -> str | None:
    """This machine's address on its way out, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


def test_web_and_script_do_not_mix(tmp_path: Path) -> None:
    once()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    for args, said in ((["--web", "--script", "x.txt"], "don't go together"), (["--web", "--port", "70000"], "--port")):
        done = subprocess.run([sys.executable, "-m", "bot", "sandbox", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and said in done.stderr, done.stderr


def test_mutual_can_push_a_view_and_clear_them_all(client: Client) -> None:
    """response_action push stacks a view (its close button says Back), clear closes them all."""
    from bot.sandbox import modals

    face = client.web.face
    client.post("/shortcut", name="Thank someone")
    view = face.state.modals["UALICE"]
    pushed = {"type": "modal", "title": {"type": "plain_text", "text": "One more thing"},
              "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Pushed *on top*"}}]}
    modals._follow(face, view, {"response_action": "push", "view": pushed})
    assert ">Back<" in client.call("GET", "/regions")[2].decode()
    drawn = client.post("/modal/back")["regions"]["modal"]  # the first view again
    assert "Say thanks" in drawn and "UALICE" in face.state.modals
    modals._follow(face, view, {"response_action": "push", "view": pushed})
    shown = client.call("GET", "/regions")[2].decode()
    assert "Pushed <b>on top</b>" in json.loads(shown)["regions"]["modal"] and ">Back<" in shown
    modals._follow(face, view, {"response_action": "clear"})
    assert "UALICE" not in face.state.modals
    client.post("/shortcut", name="Thank someone")
    modals._follow(face, face.state.modals["UALICE"], {"response_action": "push", "view": pushed})
    client.post("/modal/close")  # × closes every view
    assert "UALICE" not in face.state.modals


def test_one_face_at_a_time(tmp_path: Path) -> None:
    """The terminal and the browser keep the same files: the second to open them is told."""
    once()
    db = tmp_path / "mine.db"
    served = Served(db)
    try:
        path = db.with_suffix(".txt")
        path.write_text("/thanks @bob for the review\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
        done = subprocess.run([sys.executable, "-m", "bot", "sandbox", "--script", str(path), "--db", str(db)],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90)
        assert done.returncode == 2 and "another sandbox (in a terminal, or --web) has it open" in done.stderr
        assert request(served.url, "GET", "/")[0] == 200  # the first one goes on
    finally:
        served.stop()
    script(db, "/thanks @bob for the review")  # and once it stops, the terminal may open it

"""The sandbox's page as a small WSGI app, for this machine only.

It refuses any request that does not come from the loopback address, or that names another
host (a page elsewhere could point a name of its own at 127.0.0.1), and any POST whose Origin
is not the page itself: the server drives a real app with real data, so another site open in
the same browser must not be able to click for you. Every answer forbids inline scripts and
other origins (Content-Security-Policy) as a second line behind the escaping.

GET  /                    the page            GET /regions?since=V  what changed since V
GET  /static/<file>       CSS and JavaScript  GET /files/<id>       a file Mutual uploaded
POST /send /react /press /modal/submit|close|back /shortcut /as /go /home /time /slack
     one thing a person does; answered with the regions of the page that changed."""

from __future__ import annotations

import ipaddress
import json
import logging
import mimetypes
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from bot.sandbox.web.face import WebFace
from bot.sandbox.web.fields import Form
from bot.sandbox.web.pages import Pages

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
STATIC = {"sandbox.css": "text/css; charset=utf-8", "sandbox.js": "text/javascript; charset=utf-8",
          "favicon.svg": "image/svg+xml"}
HEADERS = [
    ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
]
Start = Callable[..., Any]
Response = tuple[str, list[tuple[str, str]], bytes]


class BadRequest(ValueError):
    pass


def loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


class SandboxWeb:
    def __init__(self, face: WebFace, port: int = 0) -> None:
        self.face = face
        self.pages = Pages(face)
        self.port = port  # set once the server has bound, for the Host check

    def __call__(self, environ: dict[str, Any], start_response: Start) -> Iterable[bytes]:
        try:
            status, headers, body = self.answer(environ)
        except BadRequest as e:
            status, headers, body = _json("400 Bad Request", {"ok": False, "error": str(e)})
        except Exception:
            logger.exception("the sandbox page failed on %s %s", environ.get("REQUEST_METHOD"),
                             environ.get("PATH_INFO"))
            status, headers, body = _text("500 Internal Server Error",
                                          "The sandbox stumbled; details are in its log file.")
        start_response(status, [*headers, *HEADERS, ("Content-Length", str(len(body)))])
        return [body]

    # -- who may ask -------------------------------------------------------------------------
    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}", f"[::1]:{self.port}"}

    def refusal(self, environ: dict[str, Any]) -> str | None:
        """Why this request is refused, or None."""
        if not loopback(str(environ.get("REMOTE_ADDR", ""))):
            return "The sandbox answers only this machine (the loopback address)."
        host = str(environ.get("HTTP_HOST", "")).lower()
        if host not in self.hosts():
            return "The sandbox answers only at 127.0.0.1 or localhost on its own port."
        if environ.get("REQUEST_METHOD") == "POST":
            origin = environ.get("HTTP_ORIGIN")
            if origin is None:
                if environ.get("HTTP_SEC_FETCH_SITE") != "same-origin":
                    return "A click must come from the sandbox's own page."
            elif origin.lower() != f"http://{host}":
                return "A click must come from the sandbox's own page, not another site."
        return None

    # -- routes ------------------------------------------------------------------------------
    def answer(self, environ: dict[str, Any]) -> Response:
        refused = self.refusal(environ)
        if refused is not None:
            logger.warning("refused %s %s from %s: %s", environ.get("REQUEST_METHOD"),
                           environ.get("PATH_INFO"), environ.get("REMOTE_ADDR"), refused)
            return _text("403 Forbidden", refused)
        method, path = environ.get("REQUEST_METHOD", "GET"), str(environ.get("PATH_INFO") or "/")
        if method == "GET":
            return self.get(path, parse_qs(str(environ.get("QUERY_STRING") or "")))
        if method != "POST":
            return _text("405 Method Not Allowed", "GET or POST only.")
        do = self.actions().get(path)
        if do is None:
            return _text("404 Not Found", "No such thing to do.")
        form = _form(environ)
        ok = do(form)
        return _json("200 OK", {"ok": ok, **self.drawn()})

    def get(self, path: str, query: dict[str, list[str]]) -> Response:
        if path == "/":
            return "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], \
                self.pages.page().encode()
        if path == "/regions":
            if query.get("since", [""])[0] == self.face.version_key():
                return "204 No Content", [("Cache-Control", "no-store")], b""
            return _json("200 OK", self.drawn())
        if path.startswith("/static/"):
            return self.static(path.removeprefix("/static/"))
        if path.startswith("/files/"):
            return self.file(path.removeprefix("/files/"))
        return _text("404 Not Found", "Nothing here.")

    def drawn(self) -> dict[str, Any]:
        version = self.face.version_key()  # before drawing: a change meanwhile is fetched again
        return {"version": version, "regions": self.pages.regions()}

    def static(self, name: str) -> Response:
        if name not in STATIC:
            return _text("404 Not Found", "Nothing here.")
        data = resources.files("bot.sandbox.web").joinpath("static", name).read_bytes()
        return "200 OK", [("Content-Type", STATIC[name]), ("Cache-Control", "no-cache")], data

    def file(self, file_id: str) -> Response:
        """A file Mutual uploaded (the weekly chart, an export), from the sandbox's folder."""
        with self.face.ws.slack.lock:
            saved = self.face.state.files.get(file_id)
        folder = self.face.ws.paths.files.resolve()
        path = Path(saved.path).resolve() if saved is not None and saved.path else None
        if path is None or not path.is_relative_to(folder) or not path.is_file():
            return _text("404 Not Found", "No such file.")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        shown = "inline" if kind.startswith("image/") else "attachment"
        safe_name = "".join(c for c in path.name if c.isalnum() or c in "._-") or "file"
        return "200 OK", [("Content-Type", kind), ("Content-Disposition", f'{shown}; filename="{safe_name}"'),
                          ("Cache-Control", "no-cache")], path.read_bytes()

    # -- things a person does ----------------------------------------------------------------
    def actions(self) -> dict[str, Callable[[Form], bool]]:
        face = self.face
        return {
            "/send": lambda f: face.do("message box", face.send, _one(f, "text", 4000)),
            "/react": lambda f: face.do("reaction", face.react, _number(f), _one(f, "emoji", 64)),
            "/press": lambda f: face.do("press", face.press, _one(f, "surface", 16), _number(f, required=False),
                                        _one(f, "at", 16), f.get("option", []), _inputs(f), _one(f, "key", 32)),
            "/modal/submit": lambda f: face.do("modal", face.submit, _inputs(f)),
            "/modal/close": lambda f: face.do("modal", face.close_modal),
            "/modal/back": lambda f: face.do("modal", face.back),
            "/shortcut": lambda f: face.do("shortcut", face.shortcut, _one(f, "name", 64),
                                           _number(f, required=False) or None),
            "/as": lambda f: face.do("switch", face.become, _one(f, "person", 32)),
            "/go": lambda f: face.do("open", face.go, _one(f, "conversation", 32)),
            "/home": lambda f: face.do("home", face.home),
            "/time": lambda f: face.do("clock", face.move_time, _one(f, "when", 64)),
            "/slack": lambda f: face.do("slack", face.slack, _slack_args(f)),
        }


def _form(environ: dict[str, Any]) -> Form:
    kind = str(environ.get("CONTENT_TYPE") or "")
    if kind and not kind.startswith("application/x-www-form-urlencoded"):
        raise BadRequest("Send a form (application/x-www-form-urlencoded).")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("A bad Content-Length.") from None
    if length > MAX_BODY:
        raise BadRequest("That is more than the sandbox takes at once.")
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        return parse_qs(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise BadRequest("Send UTF-8.") from None


def _one(form: Form, name: str, limit: int) -> str:
    value = (form.get(name) or [""])[0]
    if len(value) > limit:
        raise BadRequest(f"{name} is too long.")
    return value


def _number(form: Form, required: bool = True) -> int:
    raw = _one(form, "n", 12)
    if not raw and not required:
        return 0
    if not raw.isdigit():
        raise BadRequest("Which message? (n must be a number)")
    return int(raw)


def _inputs(form: Form) -> Form:
    """The fields `f<n>` of a modal or of a message's boxes."""
    return {k: v for k, v in form.items() if k[:1] == "f" and k[1:].isdigit()}


def _slack_args(form: Form) -> str:
    """The terminal's `slack …` words, from the page's menu of the simulated Slack's faults."""
    verb = _one(form, "verb", 16).strip()
    # `slack 429 <method> [times] [seconds]`, `slack fail|slow <method> <error|seconds> [times]`
    order = ("method", "times", "extra") if verb == "429" else ("method", "extra", "times")
    words = [verb, *(_one(form, k, 64).strip() for k in order)]
    return " ".join(w for w in words if w and " " not in w)


def _json(status: str, body: dict[str, Any]) -> Response:
    return status, [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")], \
        json.dumps(body).encode()


def _text(status: str, text: str) -> Response:
    return status, [("Content-Type", "text/plain; charset=utf-8")], text.encode()

"""`mutual sandbox --web [--port 8000]`: the simulated workspace, served to a browser on this
machine (127.0.0.1 only) by waitress, as `mutual run` serves Mutual."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from bot.sandbox.workspace import Workspace

DEFAULT_PORT = 8000
HOST = "127.0.0.1"


def serve(path: Path, fresh: bool, port: int) -> int:
    from bot.sandbox.web.app import SandboxWeb
    from bot.sandbox.web.face import WebFace
    from bot.server import close_server, wsgi_server

    if not 0 <= port <= 65535:
        print(f"mutual: --port must be from 0 to 65535, not {port}", file=sys.stderr)
        return 2
    try:
        workspace = Workspace(path, fresh=fresh)
    except OSError as e:
        print(f"mutual: the sandbox could not start at {path}: {e}", file=sys.stderr)
        return 2
    face = WebFace(workspace)
    try:
        web = SandboxWeb(face)
        try:
            server = wsgi_server(web, HOST, port)
        except OSError as e:
            print(f"mutual: can't serve the sandbox on {HOST}:{port} ({e.strerror}); "
                  "try another with --port", file=sys.stderr)
            return 2
        web.port = int(server.effective_port)
        how = "resumed" if workspace.resumed else "a new workspace"
        face.note(f"Database {workspace.paths.db} ({how}). Mutual is real; Slack and the clock are simulated.")
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        thread = threading.Thread(target=server.run, name="sandbox-web", daemon=True)
        thread.start()
        print(f"Mutual sandbox in your browser: http://{HOST}:{web.port}/", flush=True)
        print(f"  {how}: {workspace.paths.db} · only this machine can open it · Ctrl-C stops it",
              flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        close_server(server, thread)
        print("Bye — your sandbox is saved; `mutual sandbox` (or `--web`) picks up where you left off.",
              flush=True)
        return 0
    finally:
        with face.lock:  # whatever a click was doing finishes first
            workspace.close()

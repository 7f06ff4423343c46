"""bot.server.QuietChannel keeps waitress's main loop from polling a connection whose answer a
worker is still writing. Answers must still arrive whole and in order, on a connection that
stays usable, including when a slow reader lets more than waitress's 16 MiB output buffer mark
pile up (the worker then waits for the main loop to drain it)."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bot.server import QuietChannel, wsgi_server

CHUNK = bytes(range(256)) * 256  # 64 KiB


def chunked_app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
    count = int(environ["PATH_INFO"].strip("/"))
    start_response("200 OK", [("Content-Type", "application/octet-stream"),
                              ("Content-Length", str(count * len(CHUNK)))])
    for _ in range(count):
        yield CHUNK


@pytest.fixture
def server() -> Iterator[Any]:
    srv = wsgi_server(chunked_app, "127.0.0.1", 0)
    assert srv.channel_class is QuietChannel
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield srv
    srv.close()


@pytest.mark.parametrize("chunks", [1, 48, 320])  # 64 KiB, 3 MiB, 20 MiB
def test_large_answers_to_a_slow_reader_arrive_whole_on_a_reusable_connection(
        server: Any, chunks: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=20)
    try:
        for _ in range(2):
            conn.request("GET", f"/{chunks}")
            time.sleep(0.5)  # read nothing while the worker writes
            response = conn.getresponse()
            assert response.status == 200
            assert response.read() == CHUNK * chunks
    finally:
        conn.close()

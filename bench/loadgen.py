"""A closed-loop HTTP/1.1 keep-alive load generator: N connections, each sending the next
pre-built request as soon as its previous answer is read. Requests come from a file of raw,
already-signed HTTP requests, so the timed loop only writes bytes and parses answers.

    python -m bench.loadgen --port 3000 --requests reqs.bin --concurrency 20 --warmup 200

Prints one JSON object: counts, statuses, throughput, latency percentiles and the load
generator's own CPU use (to show it was not the bottleneck)."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def write_requests(path: Path, requests: list[bytes]) -> None:
    with path.open("wb") as f:
        for raw in requests:
            f.write(struct.pack(">I", len(raw)))
            f.write(raw)


def read_requests(path: Path) -> list[bytes]:
    data = path.read_bytes()
    out, pos = [], 0
    while pos < len(data):
        (size,) = struct.unpack_from(">I", data, pos)
        out.append(data[pos + 4 : pos + 4 + size])
        pos += 4 + size
    return out


def http_request(path: str, body: bytes, headers: dict[str, str], host: str = "127.0.0.1") -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    unexpected_body: int = 0
    connection_errors: int = 0
    reconnects: int = 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            close = True
    body = await reader.readexactly(length) if length else b""
    return status, body, close


async def _client(host: str, port: int, requests: list[bytes], cursor: list[int], stop_at: int,
                  warmup: int, expect: bytes | None, tally: Tally, timeout: float) -> None:
    reader = writer = None
    while True:
        i = cursor[0]
        if i >= stop_at:
            break
        cursor[0] = i + 1
        if writer is None:
            reader, writer = await asyncio.open_connection(host, port)
        assert reader is not None
        start = time.perf_counter()
        try:
            writer.write(requests[i])
            status, body, close = await asyncio.wait_for(_read_response(reader), timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            # A broken or silent connection: count it, never resend (a resend would be a new
            # delivery), and carry on with a fresh connection.
            if i >= warmup:
                tally.connection_errors += 1
            writer.close()
            writer = None
            tally.reconnects += 1
            continue
        elapsed = time.perf_counter() - start
        if i >= warmup:
            tally.latencies.append(elapsed)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            if expect is not None and status == 200 and expect not in body:
                tally.unexpected_body += 1
        if close:
            writer.close()
            writer = None
            tally.reconnects += 1
    if writer is not None:
        writer.close()


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    # Nearest rank: the smallest value with at least q% of the values at or below it.
    k = max(0, math.ceil(q / 100 * len(sorted_values)) - 1)
    return sorted_values[min(k, len(sorted_values) - 1)]


async def run(host: str, port: int, requests: list[bytes], concurrency: int, warmup: int,
              expect: bytes | None, timeout: float) -> dict[str, Any]:
    tally = Tally()
    cursor = [0]
    # Warm-up first (caches, connections, lazy imports), then the measured requests.
    await asyncio.gather(*(_client(host, port, requests, cursor, warmup, warmup, expect, tally,
                                   timeout) for _ in range(concurrency)))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(_client(host, port, requests, cursor, len(requests), warmup, expect,
                                   tally, timeout) for _ in range(concurrency)))
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    lat = sorted(tally.latencies)
    ok = tally.statuses.get(200, 0) - tally.unexpected_body
    measured = len(requests) - warmup
    return {
        "requests": measured,
        "ok": ok,
        "errors": measured - ok,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "unexpected_body": tally.unexpected_body,
        "connection_errors": tally.connection_errors,
        "reconnects": tally.reconnects,
        "concurrency": concurrency,
        "seconds": round(wall, 3),
        "rps": round(len(lat) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(lat, 50) * 1000, 2),
        "p95_ms": round(percentile(lat, 95) * 1000, 2),
        "p99_ms": round(percentile(lat, 99) * 1000, 2),
        "max_ms": round((lat[-1] if lat else float("nan")) * 1000, 2),
        "loadgen_cpu_pct": round(100 * cpu / wall, 1) if wall else 0.0,
        "loadgen_process_cpu_s": round(time.process_time(), 3),  # start-up and reading too
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--requests", type=Path, required=True, help="file written by write_requests")
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--warmup", type=int, default=0, help="leading requests left out of the figures")
    p.add_argument("--expect", help="a 200 whose body lacks this text counts as an error")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for one answer")
    args = p.parse_args(argv)
    requests = read_requests(args.requests)
    expect = args.expect.encode() if args.expect else None
    result = asyncio.run(run(args.host, args.port, requests, args.concurrency, args.warmup,
                             expect, args.timeout))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Who is running: an id per process, and whether a holder recorded earlier is still alive."""

from __future__ import annotations

import os
import socket
import uuid


def runner_id() -> str:
    """`host:pid:random`, unique per runner, short enough for `claimed_by` and lease holders."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_is_dead(holder: str | None) -> bool:
    """True only when the holder ran on this machine and its process is gone, so its claims
    can be taken over at once instead of waiting for them to lapse. Anything else (another
    machine, a live or unreadable process) counts as alive."""
    if not holder:
        return False
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False

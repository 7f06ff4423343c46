"""Moving the simulated clock as a real one moves: through every moment on the way at which
something is due, in order.

A real `mutual run` runs its jobs every few minutes and its deliverer sends each held message
when it falls due. A clock that jumps three days at once would instead run the jobs once, at
the far end: a reminder and the expiry it comes before would land together, a DM held for
someone's working hours would be held again past the next jump, a week's summary would be
skipped. `advance` stops at each moment Mutual would have acted (bot/jobs/wakes.py: held
messages, thresholds passing, the weekly posts), runs the jobs there and lets the deliverer
send what is due, then goes on. Both faces of the sandbox (the terminal, the browser) call it;
`each` lets them show what happened at each moment as it happens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.jobs.wakes import next_moment
from bot.sandbox.workspace import Workspace

# Stop a second past each moment: "older than three days" holds just after three days.
PAST = timedelta(seconds=1)
# A workspace where Slack keeps failing retries every half hour for a day; a jump of months
# might pass a few hundred moments. Far beyond that something is looping: stop stepping.
MAX_MOMENTS = 5000


@dataclass
class Moment:
    """One stop of the clock: when, and which jobs failed there (as "job: reason")."""

    at: datetime
    failed: list[str] = field(default_factory=list)
    last: bool = False  # the instant asked for


def advance(ws: Workspace, to: datetime, each: Callable[[Moment], None] | None = None) -> list[Moment]:
    """Move the clock to `to` through every moment in between at which something is due,
    running Mutual's scheduled jobs and delivery at each (and at `to`); returns the stops."""
    stops: list[Moment] = []
    while len(stops) < MAX_MOMENTS:
        with ws.db.session() as session:
            due = next_moment(session, ws.clock(), to)
        if due is None or due + PAST >= to:
            break
        stops.append(_stop(ws, due + PAST, each))
    stops.append(_stop(ws, to, each, last=True))
    return stops


def _stop(ws: Workspace, at: datetime, each: Callable[[Moment], None] | None,
          last: bool = False) -> Moment:
    if at > ws.clock():  # (settling may have waited a moment past it already)
        ws.move_clock(at)
    results = ws.run_jobs()
    moment = Moment(at, [f"{job}: {result}" for job, result in results.items()
                         if str(result).startswith("failed")], last)
    if each is not None:
        each(moment)
    return moment

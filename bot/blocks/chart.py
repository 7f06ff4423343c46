"""The weekly summary's chart: help exchanged per day, as PNG bytes.

Rendered headless with matplotlib's Agg canvas on a Figure of its own (no pyplot state), so it
is safe in a server thread and needs no display. Days that involve fewer than the privacy
floor's people are drawn as a faint placeholder, never as a number."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence

from bot.services.summary import PRIVACY_FLOOR, Day

WARM = "#2b8a6e"
QUIET = "#d9dedc"


def _matplotlib_ready() -> None:
    # matplotlib writes a font cache under MPLCONFIGDIR; a read-only home must not stop us.
    home = os.environ.get("MPLCONFIGDIR")
    if home is None and not os.access(os.path.expanduser("~"), os.W_OK):
        os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="mutual-mpl-")


def render_week_chart(days: Sequence[Day], title: str) -> bytes:
    _matplotlib_ready()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(7.0, 3.2), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [d.day.strftime("%a %d") for d in days]
    shown = [d.help.value if d.help.shown else 0 for d in days]
    hidden = [d.help.value > 0 and not d.help.shown for d in days]
    tallest = max(shown, default=0) or 1
    ax.bar(labels, shown, color=WARM, width=0.6)
    stub = [tallest * 0.08 if h else 0 for h in hidden]
    ax.bar(labels, stub, color=QUIET, width=0.6, hatch="//", edgecolor="white")
    for x, (value, is_hidden) in enumerate(zip(shown, hidden, strict=True)):
        if value:
            ax.annotate(str(value), (x, value), ha="center", va="bottom", fontsize=9,
                        xytext=(0, 2), textcoords="offset points")
        elif is_hidden:
            ax.annotate(f"<{PRIVACY_FLOOR} people", (x, tallest * 0.08), ha="center",
                        va="bottom", fontsize=7, color="#888888", xytext=(0, 2),
                        textcoords="offset points")
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_ylabel("help exchanged")
    ax.set_ylim(0, tallest * 1.2)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()

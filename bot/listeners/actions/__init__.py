from __future__ import annotations

from slack_bolt import App

from bot.listeners.actions import (
    asks,
    claims,
    followups,
    intros,
    nudges,
    offers,
    setup,
    share,
    undo,
    views,
    withdraw,
)
from bot.listeners.deps import Deps


def register(app: App, deps: Deps) -> None:
    share.register(app, deps)
    claims.register(app, deps)
    nudges.register(app, deps)
    intros.register(app, deps)
    views.register(app, deps)
    undo.register(app, deps)
    followups.register(app, deps)
    withdraw.register(app, deps)
    asks.register(app, deps)
    offers.register(app, deps)
    setup.register(app, deps)

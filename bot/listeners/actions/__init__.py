from __future__ import annotations

from slack_bolt import App

from bot.listeners.actions import asks, claims, intros, nudges, offers, share, views
from bot.listeners.deps import Deps


def register(app: App, deps: Deps) -> None:
    share.register(app, deps)
    claims.register(app, deps)
    nudges.register(app, deps)
    intros.register(app, deps)
    views.register(app, deps)
    asks.register(app, deps)
    offers.register(app, deps)

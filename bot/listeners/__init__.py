"""One `register_listeners(app, deps)`; each surface registers its own."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, shortcuts, views
from bot.listeners.deps import Deps


def register_listeners(app: App, deps: Deps) -> None:
    for surface in (commands, events, actions, shortcuts, views):
        surface.register(app, deps)

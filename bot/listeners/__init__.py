"""One `register_listeners(app, deps)`; each surface registers its own."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, options, shortcuts, views, welcome
from bot.listeners.deps import Deps


def register_listeners(app: App, deps: Deps) -> None:
    for surface in (commands, events, actions, shortcuts, views, options, welcome):
        surface.register(app, deps)

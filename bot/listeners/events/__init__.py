from __future__ import annotations

from slack_bolt import App

from bot.listeners.deps import Deps
from bot.listeners.events import home, lifecycle, messages, reactions


def register(app: App, deps: Deps) -> None:
    reactions.register(app, deps)
    lifecycle.register(app, deps)
    messages.register(app, deps)
    home.register(app, deps)

from __future__ import annotations

from slack_bolt import App

from bot.listeners.commands import ask, helped, intro, mutual, offer, thanks
from bot.listeners.deps import Deps


def register(app: App, deps: Deps) -> None:
    thanks.register(app, deps)
    helped.register(app, deps)
    mutual.register(app, deps)
    intro.register(app, deps)
    ask.register(app, deps)
    offer.register(app, deps)

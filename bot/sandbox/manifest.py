"""What Slack knows about Mutual from its app manifest (manifest.yml), which decides what the
simulated Slack sends it. A test keeps these in step with the manifest."""

from __future__ import annotations

COMMANDS = ("/thanks", "/helped", "/intro", "/mutual", "/ask", "/offer")
# command -> (description, usage hint), as Slack lists them when someone types "/"
COMMAND_HINTS = {
    "/thanks": ("Thank people who helped you", "@alex [@sam …] for the code review"),
    "/helped": ("Record help you gave; they confirm it", "@alex reviewed the launch plan"),
    "/intro": ("Introduce two people, once both agree",
               "@alex @sam why they should meet  |  request @connector @target why"),
    "/mutual": ("Your relationships, intros, summaries and settings",
                "me | with @alex | intros | asks | summary | nudges off | snooze 7 | export | forget | config | help"),
    "/ask": ("Ask this channel for help; people offer with a button",
             "how do I rotate the staging database password?"),
    "/offer": ("Say what people can ask you about (or list yours)", "reviewing SQL migrations"),
}
# shortcut name (as people see it) -> (type, callback_id)
SHORTCUTS = {"This helped me": ("message", "record_help"), "Thank someone": ("global", "thank_someone"),
             "Ask for help": ("global", "ask_for_help")}
# Event subscriptions: Slack sends only these. `message.mpim` and `message.im` mean messages in
# group DMs and in a DM with the app; messages in channels reach Mutual only as `app_mention`,
# when they @mention it.
EVENTS = ("reaction_added", "reaction_removed", "message.mpim", "message.im", "app_mention",
          "app_home_opened", "app_uninstalled", "tokens_revoked", "user_change")

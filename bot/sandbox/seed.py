"""The simulated workspace a fresh sandbox starts with: six people in real time zones (an admin,
someone deactivated), a bot, #general and #random with a few messages each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sandbox.state import BOT_USER_ID, Conversation, Message, Person, State

# A Monday, 10:00 in London: working hours in London, Berlin and Kolkata; New York is not up
# yet and Tokyo has gone home, which shows how Mutual holds private messages until morning.
START = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)

PEOPLE = [
    Person("UALICE", "alice", "Alice Moreau", "Europe/London"),
    Person("UBOB", "bob", "Bob Okafor", "America/New_York"),
    Person("UCAROL", "carol", "Carol Jensen", "Europe/Berlin"),
    Person("UDAN", "dan", "Dan Iyer", "Asia/Kolkata"),
    Person("UERIN", "erin", "Erin Sato", "Asia/Tokyo", is_admin=True),
    Person("UFRANK", "frank", "Frank Hale", "Australia/Sydney", deleted=True),
    Person("UDEPLOYBOT", "deploybot", "Deploybot", "UTC", is_bot=True),
]

# The workspace's own emoji (emoji.list), beside Slack's standard ones.
CUSTOM_EMOJI = {"thankyou": "https://emoji.slack-edge.invalid/thankyou.png",
                "partyparrot": "https://emoji.slack-edge.invalid/partyparrot.gif",
                "shipit": "alias:squirrel"}

# (channel, author, minutes before the start, text)
MESSAGES = [
    ("general", "bob", 50, "Morning all! Staging is green again: the flaky test was a time zone bug."),
    ("general", "carol", 40, "If anyone needs a second pair of eyes on SQL migrations today, I'm around."),
    ("general", "dan", 30, "I wrote up the VPN setup step by step: it's pinned in #random."),
    ("random", "erin", 45, "Team lunch on Thursday? I'll book the usual place."),
    ("random", "alice", 35, "Has anyone read a good book on negotiation lately?"),
    ("random", "deploybot", 20, "Deploy #482 to production finished in 4m 12s."),
]


def seeded_state() -> State:
    state = State(clock=START.isoformat(), me="UALICE")
    state.people = {p.id: p for p in PEOPLE}
    active = [p.id for p in PEOPLE if not p.deleted]
    # Someone invited Mutual to both channels, so it can share files there (the summary chart).
    for name in ("general", "random"):
        conv = Conversation("C" + name.upper(), "channel", [*active, BOT_USER_ID], name=name)
        state.conversations[conv.id] = conv
    for channel, author, minutes, text in MESSAGES:  # numbered in this order: #general first
        at = START - timedelta(minutes=minutes)
        state.messages.append(Message(number=state.new_number(), channel="C" + channel.upper(),
                                      ts=f"{at.timestamp():.6f}", user="U" + author.upper(),
                                      text=text))
    for person in PEOPLE:
        state.where[person.id] = "CGENERAL"
        state.seen[person.id] = state.next_number - 1
    return state

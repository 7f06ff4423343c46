"""Mutual: a Slack app that keeps a team's relationships two-way."""

"""`mutual sandbox`: a simulated Slack workspace in the terminal.

The real app (`bot.app.create_app`) runs behind the real HTTP edge (`bot.server`); a local,
stateful stand-in for Slack's Web API answers its calls and keeps what each person would see.
What a person types becomes the signed request Slack would send. Nothing outside this package
knows it exists: it plugs in only the Web API base URL and the clock."""

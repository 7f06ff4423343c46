"""`mutual sandbox --web`: the same simulated workspace, drawn in a browser as Slack draws it.

One engine, two faces: the page is served by a small WSGI app on the loopback address; each
click becomes a call into the same sandbox engine the terminal uses (bot/sandbox: commands,
modals, verbs), which talks to Mutual over signed HTTP exactly as Slack does. The page has no
road of its own into Mutual. Block Kit is turned into HTML here, in Python, with every piece of
text escaped (Jinja2's autoescaping and markupsafe), so whatever a person typed stays text."""

"""Uploading files with the v2 flow Slack requires since files.upload was retired:
files.getUploadURLExternal → POST the bytes to the `upload_url` it returns →
files.completeUploadExternal(channel_id=…). slack_sdk's `files_upload_v2` does exactly that,
posting to the URL Slack hands back (so a local API double receives the bytes too)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.sender import Outcome, call


def upload_file(client: WebClient, channel_id: str, data: bytes, filename: str, title: str,
                comment: str | None = None, alt_text: str | None = None) -> Outcome:
    """Share `data` in `channel_id` (a channel, or a DM's id)."""
    return call(lambda: client.files_upload_v2(channel=channel_id, content=data, filename=filename,
                                               title=title, initial_comment=comment,
                                               alt_txt=alt_text),
                read=lambda data: (channel_id, None))

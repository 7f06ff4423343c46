"""Uploading files with the v2 flow Slack requires since files.upload was retired:
files.getUploadURLExternal → POST the bytes to the `upload_url` it returns →
files.completeUploadExternal(channel_id=…). slack_sdk's `files_upload_v2` does exactly that,
posting to the URL Slack hands back (so a local API double receives the bytes too)."""

from __future__ import annotations

from slack_sdk import WebClient


def upload_file(client: WebClient, channel_id: str, data: bytes, filename: str, title: str,
                comment: str | None = None, alt_text: str | None = None) -> str | None:
    """Share `data` in `channel_id`; the new file's id."""
    response = client.files_upload_v2(channel=channel_id, content=data, filename=filename,
                                      title=title, initial_comment=comment, alt_txt=alt_text)
    file = response.get("file") or {}
    return file.get("id")


def dm_channel(client: WebClient, user_id: str) -> str:
    """The app's DM with a person (file uploads need a channel id, not a user id)."""
    response = client.conversations_open(users=user_id)
    return str(response["channel"]["id"])

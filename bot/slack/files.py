"""Uploading a file with the v2 flow Slack requires since files.upload was retired, one step at
a time so each step's failure means what it should:

1. files.getUploadURLExternal — an upload URL and a file id; asking again is harmless.
2. POST the bytes to that URL — nothing is shared yet; doing it again is harmless.
3. files.completeUploadExternal(channel_id=…) — the file is shared in the channel. Only an
   answer lost here leaves it unknown whether people saw it (the outbox then sends it at most
   once); any failure before it is simply tried again."""

from __future__ import annotations

import http.client
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from slack_sdk import WebClient

from bot.slack.sender import SENT, TRANSIENT, UNKNOWN, Outcome, call


def upload_file(client: WebClient, channel_id: str, data: bytes, filename: str, title: str,
                comment: str | None = None, alt_text: str | None = None) -> Outcome:
    """Share `data` in `channel_id` (a channel, or a DM's id)."""
    got = call(lambda: client.files_getUploadURLExternal(filename=filename, length=len(data),
                                                         alt_txt=alt_text),
               read=lambda answer: (None, None))
    if got.status != SENT:
        return harmless(got)
    answer = got.data or {}
    url, file_id = answer.get("upload_url"), answer.get("file_id")
    if not isinstance(url, str) or not isinstance(file_id, str):
        return Outcome(TRANSIENT, "no upload URL in Slack's answer")
    posted = post_bytes(url, data, int(client.timeout))
    if posted is not None:
        return posted
    files: list[dict[str, str | None]] = [{"id": file_id, "title": title}]
    return call(lambda: client.files_completeUploadExternal(files=files, channel_id=channel_id,
                                                            initial_comment=comment),
                read=lambda answer: (channel_id, None))


def harmless(outcome: Outcome) -> Outcome:
    """A step that shares nothing: an answer lost on the way is just a failure to retry."""
    return Outcome(TRANSIENT, outcome.error) if outcome.status == UNKNOWN else outcome


def post_bytes(url: str, data: bytes, timeout: int) -> Outcome | None:
    """POST the file's bytes to its upload URL; None when Slack took them."""
    try:
        with urlopen(Request(url, data=data, method="POST"), timeout=timeout) as response:
            response.read()
    except HTTPError as e:
        return Outcome(TRANSIENT, f"upload answered {e.code}")
    except (URLError, OSError, http.client.HTTPException) as e:
        return Outcome(TRANSIENT, f"upload failed: {type(e).__name__}")
    return None

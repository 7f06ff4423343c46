"""What Mutual tells whom, and when (PRODUCT.md §4c). Each rule of tact is decided here, once,
and every message that could break it goes through it:

- **Who may be named in a channel** — `names_not_chosen`. The deliverer checks every post a
  channel reads (a kind's `channel_post`, bot/delivery/kinds.py) just before it goes out: a
  post naming anyone who did not choose it there (by sharing their own thank-you, posting
  their own ask, or being named in the words they wrote) is never sent.
- **When a "no" may be told** — `closes_at`. A "not now" to an intro, a request or a claim
  changes nothing anyone else can see until the moment an unanswered one would have lapsed;
  then it closes as a lapse does, in the same words (the expiry jobs are the only ones that
  tell anyone).
- **When the same thing may be asked again** — `may_ask_again` (bot/services/asking_again.py
  looks up what was closed when): not for `ask_again_days` after a "no" or a lapse, whoever
  asks, answered with a neutral "not now".
- **When later questions may be asked** — bot/services/questions.py: at most once every
  `question_gap_days`, gathered into one DM.
- **Closing what ended** — bot/services/closing.py: every message about a thing that ended
  loses its buttons and says so."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

# A person mentioned anywhere in a message: <@U123>, <@U123|bob>, <@W123>.
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def named_in(msg: Any) -> set[str]:
    """Everyone a message (its text, blocks, attachments, as sent) mentions."""
    return set(_MENTION.findall(json.dumps(msg, ensure_ascii=False)))


def mentioned_in(words: str) -> set[str]:
    """The people someone mentioned in what they wrote themselves (a note, an ask)."""
    return set(_MENTION.findall(words or ""))


def names_not_chosen(msg: Any, chose: Iterable[str]) -> set[str]:
    """Those a channel post would name without having chosen it; empty when it may go out."""
    return named_in(msg) - set(chose)


def closes_at(started_at: datetime, lapse_days: int) -> datetime:
    """When something nobody answered lapses — and the only moment a "no" to it is told."""
    return started_at + timedelta(days=lapse_days)


def may_tell(started_at: datetime, lapse_days: int, now: datetime) -> bool:
    """Whether the outcome of something asked at `started_at` may be told now: only once an
    unanswered one would have lapsed (strictly after), so a "no" is indistinguishable."""
    return now > closes_at(started_at, lapse_days)


def may_ask_again(closed_at: datetime | None, ask_again_days: int, now: datetime) -> bool:
    """After a "no" or a lapse at `closed_at`, the same thing waits `ask_again_days`."""
    return closed_at is None or now >= closed_at + timedelta(days=ask_again_days)

"""Parsing what people type after a slash command.

People write sentences, not syntax: "/thanks to @bob for the review", "/thanks so much @bob!",
"/thanks for the review @bob", "/intro please meet @bob and @carol: billing", "/helped I
reviewed @bob's PR". The people are the first run of mentions wherever it stands (or, where a
command needs two, the first two mentions); the note is what remains, tidied: the words that
only joined the sentence together ("to", "for", "so much", "please meet", a colon) go, what
the person said stays, and a mention that is part of what they said ("@bob's PR") stays in it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# <@U123>, <@U123|bob> (older clients), and <@W123> for Enterprise Grid users.
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# A run of mentions, with the separators people naturally type between them.
# Slack sends "&" as "&amp;"; a bare "&" is accepted too, but never the start of "&lt;".
_ONE = r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>"
_SEP = r"\s*(?:,|&amp;|&(?![a-z]+;)|\band\b)?\s*"
RUN = re.compile(rf"{_ONE}(?:{_SEP}{_ONE})*", re.I)
# A bare @name nobody resolved (not @here, @channel or @everyone, which are not people).
BARE_HANDLE = re.compile(r"(?<![<\w])@(?!(?:here|channel|everyone)\b)[\w.\-]+", re.I)
POSSESSIVE = re.compile(r"^['’]s\b")
# Words that only join a sentence to its mentions, at the start of what remains.
_FILLER = r"(?:to|for|so\s+much|very\s+much|a\s+lot|again|please|meet|and)\b"
# A dash joins only with a space after it ("— the review"), never "-1 bug".
_LEADING = re.compile(rf"^(?:\s+|[,:;]|[-–—](?=\s)|{_FILLER})+", re.I)
_TRAILING = re.compile(r"(?:\s+|[,:;]|(?<=\s)[-–—]|\b(?:to|for|and)\b)+$", re.I)
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.!?;:])")
_SPACES = re.compile(r"[ \t]+")
NOTE_MAX = 500
# People thanked at once (/thanks, the thank modal): the receipt's buttons carry one id each,
# and a thank-you to more people than this reads as a broadcast, not a note.
PEOPLE_MAX = 25


@dataclass(frozen=True)
class Mentions:
    """`user_ids` in the order typed (duplicates removed), the note that remains, bare @names
    nobody could resolve, and `typed`: the mentions taken, duplicates kept (so "the same
    person twice" can be told apart from "one person")."""

    user_ids: list[str]
    rest: str
    bare_handles: list[str]
    typed: list[str]


def split_mentions(text: str, want: int | None = None) -> Mentions:
    """The people and the note in "<@A> <@B|bob> for the review" ([A, B], "the review").

    Without `want`, the people are the first run of mentions; with it, mentions are taken in
    order until `want` different people are found (an intro: "@bob, meet @carol")."""
    text = (text or "").strip()
    spans: list[tuple[int, int]] = []
    typed: list[str] = []
    if want is None:
        run = RUN.search(text)
        if run is not None:
            spans, typed = [run.span()], MENTION.findall(run.group(0))
    else:
        for mention in MENTION.finditer(text):
            if len(set(typed)) >= want:
                break
            spans.append(mention.span())
            typed.append(mention.group(1))
    ids = list(dict.fromkeys(typed))
    handles = BARE_HANDLE.findall(MENTION.sub(" ", text))
    if not ids:
        return Mentions(user_ids=[], rest=unescape(text), bare_handles=handles, typed=[])
    return Mentions(user_ids=ids, rest=_tidy(unescape(_without(text, spans))),
                    bare_handles=handles, typed=typed)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the mentions taken removed, except one that is part of what was said
    ("@bob's PR" keeps @bob)."""
    out, last = [], 0
    for start, end in spans:
        if POSSESSIVE.match(text[end:]):
            continue
        out.append(text[last:start])
        out.append(" ")
        last = end
    out.append(text[last:])
    return "".join(out)


def _tidy(note: str) -> str:
    """Joining words and doubled spaces gone; the person's own line breaks kept."""
    note = "\n".join(_SPACES.sub(" ", line).strip() for line in note.strip().splitlines())
    note = _SPACE_BEFORE_PUNCT.sub(r"\1", note)
    note = _TRAILING.sub("", _LEADING.sub("", note))
    return "" if not re.search(r"\w", note) else note


def first_word(text: str) -> tuple[str, str]:
    """("request", "<@A> <@B> why") from "request <@A> <@B> why"."""
    parts = (text or "").strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


def unescape(text: str) -> str:
    """Slack sends &, <, > in command text as entities; keep notes as the person typed them."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

"""Slack's mrkdwn as HTML, drawn as Slack's client draws it: *bold*, _italic_, ~strike~,
`code`, ```blocks```, > quotes, links, @mentions and #channels as pills, :emoji: as characters.

Everything is escaped: the text between the markup is decoded from Slack's own escapes
(`&lt;`, `&gt;`, `&amp;`) and escaped again for HTML, so a note that says `<script>` shows
`<script>`. A link's target is kept only for http(s) and mailto; anything else
(`javascript:`, `data:` …) is shown as its words, not as a link."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from rich._emoji_codes import EMOJI as RICH_EMOJI

Name = Callable[[str], str]

SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Emoji Slack knows that rich's table lacks; custom workspace emoji (like :thankyou:) are drawn
# as their name in a badge, as Slack draws an emoji it has no image for.
MORE_EMOJI = {"heart_hands": "🫶", "thumbsup": "👍", "simple_smile": "🙂", "slightly_smiling_face": "🙂"}
CUSTOM_EMOJI = {"thankyou"}

# Around a placeholder's number: fenced code blocks (held for a whole message) and a line's
# links, mentions and code (held for that line). Private-use characters, stripped from input.
FENCED = ("\ue000", "\ue001")
INLINE = ("\ue002", "\ue003")
ANGLE = re.compile(r"<([^<>\n]+)>")
FENCE = re.compile(r"```\n?(.*?)```", re.S)
CODE = re.compile(r"`([^`\n]+)`")
BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")
ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)_(?![\w_])")
STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)~(?![\w~])")
EMOJI = re.compile(r":([a-z0-9_+\-']+):")
DATE_FORMATS = {"{date_num}": "%Y-%m-%d", "{date}": "%B %-d, %Y", "{date_short}": "%b %-d, %Y",
                "{date_long}": "%A, %B %-d, %Y", "{date_pretty}": "%B %-d, %Y",
                "{date_short_pretty}": "%b %-d, %Y", "{date_long_pretty}": "%A, %B %-d, %Y",
                "{time}": "%H:%M", "{time_secs}": "%H:%M:%S"}


def emoji_char(name: str) -> str | None:
    return MORE_EMOJI.get(name) or RICH_EMOJI.get(name)


def emoji_html(name: str) -> Markup:
    """One emoji by its short name: the character, or a badge with its name."""
    char = emoji_char(name)
    if char is not None:
        return Markup('<span class="emoji" title=":{}:">{}</span>').format(name, char)
    kind = "emoji-custom" if name in CUSTOM_EMOJI else "emoji-unknown"
    return Markup('<span class="{}" title=":{}:">:{}:</span>').format(kind, name, name)


def plain_html(text: str, emoji: bool = True) -> Markup:
    """A plain_text object: escaped, emoji codes drawn when `emoji` is on (Slack's default)."""
    safe = str(escape(_clean(text)))
    if emoji:
        safe = EMOJI.sub(_emoji_or_same, safe)
    return Markup(safe.replace("\n", "<br>"))


class Mrkdwn:
    """Renders mrkdwn for one viewer: names of people and channels, dates in their time zone."""

    def __init__(self, person: Name, channel: Name, tz: str = "UTC") -> None:
        self.person = person
        self.channel = channel
        self.tz = ZoneInfo(tz)

    def __call__(self, text: str) -> Markup:
        fenced: list[Markup] = []
        # Code blocks first: nothing inside them is formatted (links and mentions still are).
        text = FENCE.sub(lambda m: _hold(fenced, FENCED, Markup('<pre class="code-block">{}</pre>').format(
            Markup(self._inline(m.group(1), code=True)))), _clean(text))
        out: list[str] = []
        quote: list[str] = []
        for line in text.split("\n"):
            if line.startswith(">"):
                quote.append(self._inline(line[1:].removeprefix(" ")))
                continue
            if quote:
                out.append(f'<blockquote>{"<br>".join(quote)}</blockquote>')
                quote = []
            out.append(self._inline(line))
        if quote:
            out.append(f'<blockquote>{"<br>".join(quote)}</blockquote>')
        return Markup(_unhold(_join_lines(out), fenced, FENCED))

    def _inline(self, line: str, code: bool = False) -> str:
        """Part of a line: links and mentions, then escaping, then styles and emoji."""
        held: list[Markup] = []
        line = ANGLE.sub(lambda m: _hold(held, INLINE, self._angle(m.group(1))), line)
        safe = str(escape(_unslack(line)))
        if not code:
            safe = CODE.sub(lambda m: _hold(held, INLINE, Markup("<code>{}</code>").format(
                Markup(m.group(1)))), safe)
            safe = BOLD.sub(r"<b>\1</b>", safe)
            safe = ITALIC.sub(r"<i>\1</i>", safe)
            safe = STRIKE.sub(r"<s>\1</s>", safe)
            safe = EMOJI.sub(_emoji_or_same, safe)
        return _unhold(safe, held, INLINE)

    def _angle(self, inner: str) -> Markup:
        """`<…>`: a mention, a channel, a special mention, a date, or a link."""
        target, _, label = inner.partition("|")
        label = _unslack(label)
        if target.startswith("@"):
            return Markup('<span class="mention">@{}</span>').format(self.person(target[1:]))
        if target.startswith("#"):
            return Markup('<span class="mention channel">#{}</span>').format(label or self.channel(target[1:]))
        if target.startswith("!date^"):
            return escape(self._date(target, label))
        if target.startswith("!subteam^"):
            return Markup('<span class="mention">{}</span>').format(label or "@group")
        if target.startswith("!"):
            return Markup('<span class="mention special">@{}</span>').format(label or target[1:])
        url = _unslack(target)
        if url.lower().startswith(SAFE_SCHEMES):
            return Markup('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(
                url, label or url)
        return escape(label or url)  # not a link Slack would open: its words only

    def _date(self, target: str, fallback: str) -> str:
        """`<!date^1763287200^{date_long} at {time}|fallback>` in the viewer's time zone."""
        parts = target.split("^")
        try:
            at = datetime.fromtimestamp(int(parts[1]), self.tz)
        except (IndexError, ValueError, OverflowError):
            return fallback or target
        shown = parts[2] if len(parts) > 2 else ""
        for token, fmt in DATE_FORMATS.items():
            shown = shown.replace(token, at.strftime(fmt))
        return shown if "{" not in shown else (fallback or shown)


def _clean(text: str) -> str:
    text = str(text)
    for mark in (*FENCED, *INLINE):
        text = text.replace(mark, "")
    return text


def _hold(held: list[Markup], marks: tuple[str, str], html: Markup) -> str:
    held.append(html)
    return f"{marks[0]}{len(held) - 1}{marks[1]}"


def _unhold(html: str, held: list[Markup], marks: tuple[str, str]) -> str:
    return re.sub(marks[0] + r"(\d+)" + marks[1], lambda m: str(held[int(m.group(1))]), html)


def _unslack(text: str) -> str:
    """Slack's three escapes, undone (the result is escaped again for HTML)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _emoji_or_same(match: re.Match[str]) -> str:
    name = match.group(1)
    if emoji_char(name) is None and name not in CUSTOM_EMOJI:
        return match.group(0)  # "10:30:00" and friends are not emoji
    return str(emoji_html(name))


def _join_lines(lines: list[str]) -> str:
    out = ""
    for i, line in enumerate(lines):
        if i and not (out.endswith("</blockquote>") or line.startswith("<blockquote>")):
            out += "<br>"
        out += line
    return out

"""Text people type, made safe to store: no control characters, nothing a database refuses."""

from __future__ import annotations

import re

# C0 and C1 control characters except \t and \n, and lone UTF-16 surrogates (JSON can carry
# "\ud800"; no database driver can encode it). PostgreSQL refuses NUL outright.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` without control characters (tabs and newlines stay) or lone surrogates."""
    return _UNSTORABLE.sub("", text)

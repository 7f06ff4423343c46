"""Regenerate bot/data/emoji_names.txt: Slack's standard emoji short names.

Slack names its standard emoji after iamcal's emoji-data, which the npm package
`emoji-datasource` (MIT) publishes as `emoji.json`: each emoji with its `short_names` (`+1` and
`thumbsup` for 👍). The list shipped with Mutual is every short name, sorted, one a line, with
the version it came from in a comment on the first line.

    npm pack emoji-datasource@16.0.0 && tar xzf emoji-datasource-16.0.0.tgz
    .venv/bin/python -m tests.tools.emoji_names package/emoji.json package/package.json \\
        > bot/data/emoji_names.txt
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def names_from(emoji_json: Path) -> list[str]:
    emoji = json.loads(emoji_json.read_text(encoding="utf-8"))
    return sorted({name for entry in emoji for name in entry["short_names"]})


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    emoji_json, package_json = (Path(a) for a in argv)
    version = json.loads(package_json.read_text(encoding="utf-8"))["version"]
    print(f"# Slack's standard emoji short names: emoji-datasource {version} (iamcal/emoji-data, MIT); "
          "regenerate with tests/tools/emoji_names.py")
    for name in names_from(emoji_json):
        print(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

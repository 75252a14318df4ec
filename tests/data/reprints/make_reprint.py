"""Write the TV-station reprint of the bundled AP sample used by the stance
events tests (tests/python/test_stance_events.py).

A station that reprints an AP live blog puts its own headline and byline
on it, drops the dateline and the photo caption, and its web form changes
the whitespace: a blank line between paragraphs, double spaces after
sentences, trailing spaces. The entries, their clock times and their
sentences are AP's. The reprint is derived from the sample by this script
(run it from the checkout's root) so the two can never drift apart:

    python tests/data/reprints/make_reprint.py

and a test checks that the committed file is what it writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "samples" / "ap-the-latest-venezuela-2019-01-24.txt"
OUT = Path(__file__).resolve().parent / "wxyz-venezuela-reprint.txt"

HEADER = [
    "Venezuela crisis: the latest as Maduro orders diplomats home",
    "",
    "By WXYZ Newsroom and The Associated Press",
    "",
    "The Latest on the political crisis in Venezuela (all times local):",
]
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+, [A-Z][A-Z .'-]+ \(AP\) — ")


def reprint(sample: str) -> str:
    """The sample's entries under the station's header, re-spaced."""
    lines = sample.splitlines()
    start = next(i for i, line in enumerate(lines) if DATELINE.match(line))
    body = lines[start + 1:]
    out = list(HEADER)
    for line in body:
        if not line.strip():
            continue
        out.append("")
        out.append(re.sub(r"([.!?”]) (?=[A-Z“])", r"\1  ", line) + "  ")
    return "\n".join(out) + "\n"


def main() -> int:
    OUT.write_text(reprint(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Derive the snapshot sequence in this folder from the bundled sample.

The AP blog of 24 Jan 2019 grew all day; we only have its final text. This
script cuts it into the versions a reader would have seen at 2 a.m., 7 a.m.,
noon, 3 p.m. and 5 p.m. Caracas time (UTC-4), and stages the kind of edits a
live desk makes:

- correction 1: the 6:50 a.m. entry first reads "Gauido" (as in the sample)
  and is corrected to "Guaido" from the noon snapshot on;
- correction 2: the 9:00 a.m. entry first says "at least a dozen people" and
  is revised to "at least 16 people" from the 3 p.m. snapshot on;
- removal: the 4 a.m. entry is dropped from the 3 p.m. snapshot on.

Run it from the repo root: python tests/data/snapshots/derive_snapshots.py
The files it writes are committed; the tests read them, not this script.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[2] / "samples" / "ap-the-latest-venezuela-2019-01-24.txt"
MARKER = re.compile(r"^(\d{1,2}(?::\d{2})? [ap]\.m\.|\d{1,2}(?::\d{2})? P\.M\.)$", re.M)

# snapshot local time (24h), file stem, observed at (UTC)
SNAPSHOTS = [
    (2 * 60, "01-0200", "2019-01-24T06:00:00Z"),
    (7 * 60, "02-0700", "2019-01-24T11:00:00Z"),
    (12 * 60, "03-1200", "2019-01-24T16:00:00Z"),
    (15 * 60, "04-1500", "2019-01-24T19:00:00Z"),
    (17 * 60, "05-1700", "2019-01-24T21:00:00Z"),
]


def minutes(marker: str) -> int:
    clock, half = marker.lower().split(" ")
    hour, _, minute = clock.partition(":")
    return int(hour) % 12 * 60 + int(minute or 0) + (720 if half.startswith("p") else 0)


def main() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    first = MARKER.search(text)
    assert first is not None
    header, body = text[: first.start()], text[first.start():]
    starts = [m.start() for m in MARKER.finditer(body)] + [len(body)]
    entries = [body[a:b] for a, b in zip(starts, starts[1:])]
    for cutoff, stem, observed in SNAPSHOTS:
        kept = []
        for entry in entries:
            marker = entry.split("\n", 1)[0]
            at = minutes(marker)
            if at >= cutoff:
                continue
            if marker == "6:50 a.m." and cutoff >= 12 * 60:
                entry = entry.replace("Gauido", "Guaido")
            if marker == "9:00 a.m." and cutoff >= 15 * 60:
                entry = entry.replace("at least a dozen people", "at least 16 people")
            if marker == "4 a.m." and cutoff >= 15 * 60:
                continue
            kept.append(entry)
        out = HERE / f"snapshot-{stem}.txt"
        out.write_text(header + "".join(kept).rstrip("\n") + "\n", encoding="utf-8")
        print(f"{out.name}: {len(kept)} entries, observed at {observed}")


if __name__ == "__main__":
    main()

"""The held-out (test) split of the stance evaluation corpus is well formed.

The split is only ever scored, never read by whoever writes extraction rules,
so these checks look at structure alone and never print corpus text on
success: every blog parses with today's parser through the real CLI with no
warning or reject, every gold row names an entry the parser produces, every
group id is an ISO3 code, a seeded ``org-<code>`` or a row of ``groups.csv``,
and the counts in ``crises.csv`` are the real ones.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from conftest import REPO

SPLIT = REPO / "tests" / "data" / "stances" / "test"
SEEDS = REPO / "seeds" / "reference"
GOLD_COLUMNS = ["entry_id", "source_group", "target_group", "polarity", "is_background", "note"]
CRISES = sorted(p.name for p in SPLIT.iterdir() if p.is_dir()) if SPLIT.is_dir() else []


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def parsed(blog: Path) -> tuple[int, str, tuple[dict, ...]]:
    """``liveledger parse BLOG --json`` as a user runs it: exit code, stderr, entries."""
    done = subprocess.run([sys.executable, "-m", "liveledger.cli", "parse", str(blog), "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    entries = tuple(json.loads(line) for line in done.stdout.splitlines() if line.strip())
    return done.returncode, done.stderr, entries


def known_groups() -> set[str]:
    iso3 = {r["country_code"] for r in read_csv(SEEDS / "countries.csv")}
    orgs = {"org-" + r["organization_code"].lower()
            for r in read_csv(SEEDS / "international_organizations.csv")}
    return iso3 | orgs | {r["group_id"] for r in read_csv(SPLIT / "groups.csv")}


def test_split_size() -> None:
    crises = read_csv(SPLIT / "crises.csv")
    assert len(CRISES) >= 8
    assert sorted(r["crisis_id"] for r in crises) == CRISES
    assert sum(int(r["blogs"]) for r in crises) >= 12
    assert sum(int(r["entries"]) for r in crises) >= 150


@pytest.mark.parametrize("crisis", CRISES)
def test_blogs_parse_cleanly(crisis: str) -> None:
    blogs = sorted((SPLIT / crisis).glob("*.txt"))
    assert 1 <= len(blogs) <= 3
    for blog in blogs:
        code, stderr, entries = parsed(blog)
        assert code == 0 and stderr.strip() == "", f"{blog.name}: exit {code}: {stderr[:300]}"
        assert entries, f"{blog.name}: no entries"


@pytest.mark.parametrize("crisis", CRISES)
def test_gold_rows_are_valid(crisis: str) -> None:
    keys = {e["entry_key"] for blog in sorted((SPLIT / crisis).glob("*.txt"))
            for e in parsed(blog)[2]}
    groups = known_groups()
    with (SPLIT / crisis / "gold.csv").open(newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == GOLD_COLUMNS
    seen: set[tuple[str, str, str, str]] = set()
    for line, row in enumerate(read_csv(SPLIT / crisis / "gold.csv"), start=2):
        where = f"{crisis}/gold.csv:{line}"
        assert row["entry_id"] in keys, f"{where}: no such entry"
        assert row["source_group"] in groups, f"{where}: unknown source group"
        assert row["target_group"] in groups, f"{where}: unknown target group"
        assert row["source_group"] != row["target_group"], f"{where}: source is target"
        assert row["polarity"] in {"1", "0", "-1"}, f"{where}: bad polarity"
        assert row["is_background"] in {"true", "false"}, f"{where}: bad is_background"
        assert row["note"].strip(), f"{where}: empty note"
        key = (row["entry_id"], row["source_group"], row["target_group"], row["polarity"])
        assert key not in seen, f"{where}: duplicate fact"
        seen.add(key)


def test_crisis_counts_are_true() -> None:
    for row in read_csv(SPLIT / "crises.csv"):
        blogs = sorted((SPLIT / row["crisis_id"]).glob("*.txt"))
        entries = sum(len(parsed(blog)[2]) for blog in blogs)
        facts = len(read_csv(SPLIT / row["crisis_id"] / "gold.csv"))
        assert (int(row["blogs"]), int(row["entries"]), int(row["facts"])) == \
            (len(blogs), entries, facts), row["crisis_id"]


def test_groups_file_lists_only_used_nonstate_groups() -> None:
    used = {row[column] for crisis in CRISES for row in read_csv(SPLIT / crisis / "gold.csv")
            for column in ("source_group", "target_group")}
    for row in read_csv(SPLIT / "groups.csv"):
        assert row["kind"] == "nonstate", row["group_id"]
        assert row["names"].strip(), row["group_id"]
        assert row["group_id"] in used, f"{row['group_id']} is listed but never used"

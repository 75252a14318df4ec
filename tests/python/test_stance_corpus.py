"""The stance evaluation corpus (tests/data/stances/) is internally consistent.

The gold files are the truth ``liveledger evaluate`` measures the extractor
against, so a gold row that names an entry the parser never produces, a group
id nobody defined, or a crises.csv count that drifted from the files would
silently distort every score. These checks read the blogs the way
``liveledger parse`` does (decode, parse, set aside undecodable lines) and
require that every blog parses with no rejects and no warnings.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE
from liveledger import intake
from liveledger.parser import parse_blog
from liveledger.places import PlaceIndex

STANCES = REPO / "tests" / "data" / "stances"
GOLD_COLUMNS = ["entry_id", "source_group", "target_group", "polarity", "is_background", "note"]
GROUP_COLUMNS = ["group_id", "group_name", "kind", "names"]
CRISIS_COLUMNS = ["crisis_id", "title", "start_year", "country_codes", "blogs", "entries", "facts"]
SPLITS = sorted(p for p in STANCES.glob("*") if (p / "crises.csv").is_file())


def _rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == columns, f"{path}: columns {reader.fieldnames}"
        return list(reader)


def _seed_groups() -> set[str]:
    seeds = REPO / "seeds" / "reference"
    with (seeds / "countries.csv").open(encoding="utf-8") as fh:
        iso3 = {r["country_code"] for r in csv.DictReader(fh)}
    with (seeds / "international_organizations.csv").open(encoding="utf-8") as fh:
        orgs = {"org-" + r["organization_code"].lower() for r in csv.DictReader(fh)}
    return iso3 | orgs


def _entry_keys(blog: Path, places: PlaceIndex) -> list[str]:
    """Entry keys of one blog as ``liveledger parse`` reads it; it must parse cleanly."""
    decoded = intake.decode(intake.read_input(blog))
    assert decoded.text is not None, f"{blog}: {decoded.problem}"
    parsed = intake.set_aside_undecodable(parse_blog(decoded.text, places), decoded)
    assert parsed.rejections == (), f"{blog}: {[r.message for r in parsed.rejections]}"
    assert parsed.warnings == (), f"{blog}: {parsed.warnings}"
    assert parsed.entries, f"{blog}: no entries"
    return [entry.entry_key for entry in parsed.entries]


def _check_gold(gold: list[dict[str, str]], keys: set[str], groups: set[str], where: str) -> None:
    seen: set[tuple[str, str, str, str]] = set()
    for row in gold:
        claim = (row["entry_id"], row["source_group"], row["target_group"], row["polarity"])
        assert row["entry_id"] in keys, f"{where}: no such entry {row['entry_id']}"
        assert row["source_group"] in groups, f"{where}: unknown group {row['source_group']}"
        assert row["target_group"] in groups, f"{where}: unknown group {row['target_group']}"
        assert row["source_group"] != row["target_group"], f"{where}: self-stance {claim}"
        assert row["polarity"] in {"1", "0", "-1"}, f"{where}: polarity {row['polarity']}"
        assert row["is_background"] in {"true", "false"}, f"{where}: is_background {row}"
        assert row["note"].strip(), f"{where}: empty note for {claim}"
        assert claim not in seen, f"{where}: duplicate fact {claim}"
        seen.add(claim)


@pytest.mark.parametrize("split", SPLITS, ids=lambda p: p.name)
def test_split_gold_matches_its_blogs(split: Path, places: PlaceIndex) -> None:
    groups_file = split / "groups.csv"
    defined = _rows(groups_file, GROUP_COLUMNS) if groups_file.is_file() else []
    assert all(g["kind"] == "nonstate" and g["names"].strip() for g in defined)
    groups = _seed_groups() | {g["group_id"] for g in defined}
    crises = _rows(split / "crises.csv", CRISIS_COLUMNS)
    assert sorted(c["crisis_id"] for c in crises) == sorted(
        p.name for p in split.iterdir() if p.is_dir()
    )
    all_keys: Counter[str] = Counter()
    used: set[str] = set()
    for crisis in crises:
        folder = split / crisis["crisis_id"]
        blogs = sorted(folder.glob("*.txt"))
        keys = [key for blog in blogs for key in _entry_keys(blog, places)]
        all_keys.update(keys)
        gold = _rows(folder / "gold.csv", GOLD_COLUMNS)
        _check_gold(gold, set(keys), groups, crisis["crisis_id"])
        used.update(r["source_group"] for r in gold)
        used.update(r["target_group"] for r in gold)
        counted = (int(crisis["blogs"]), int(crisis["entries"]), int(crisis["facts"]))
        assert counted == (len(blogs), len(keys), len(gold)), (
            f"crises.csv is stale for {folder.name}"
        )
    assert [k for k, n in all_keys.items() if n > 1] == [], "entry keys collide between blogs"
    assert {g["group_id"] for g in defined} <= used, "groups.csv defines groups no fact uses"


def test_sample_gold_matches_the_sample_blog(places: PlaceIndex) -> None:
    gold_file = STANCES / "sample" / "gold.csv"
    if not gold_file.is_file():
        pytest.skip("no sample gold in this checkout")
    groups_file = STANCES / "sample" / "groups.csv"
    defined = _rows(groups_file, GROUP_COLUMNS) if groups_file.is_file() else []
    groups = _seed_groups() | {g["group_id"] for g in defined} | {"org-ven-national-assembly"}
    _check_gold(_rows(gold_file, GOLD_COLUMNS), set(_entry_keys(SAMPLE, places)), groups, "sample")


def test_the_corpus_is_as_large_and_as_varied_as_the_issue_asks() -> None:
    """At least 24 blogs and 300 entries from 15 crises, split by crisis, no crisis in both."""
    per_split = {
        split.name: _rows(split / "crises.csv", CRISIS_COLUMNS)
        for split in SPLITS
        if split.name in {"dev", "test"}
    }
    assert set(per_split) == {"dev", "test"}
    crises = [row for rows in per_split.values() for row in rows]
    assert len({row["crisis_id"] for row in crises}) == len(crises) >= 15
    assert sum(int(row["blogs"]) for row in crises) >= 24
    assert sum(int(row["entries"]) for row in crises) >= 300
    for rows in per_split.values():
        assert sum(int(row["entries"]) for row in rows) >= 150

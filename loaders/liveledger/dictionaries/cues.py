"""A stance cue lexicon from the CAMEO verb dictionary: ``seeds/stances/cameo_cues.csv``.

``cameo_verbs.csv`` (converted from ``CAMEO.2.0.txt``) holds every verb and
verb pattern with its CAMEO code and generated inflections. Only some CAMEO
classes say where an actor stands toward another; this step keeps those and
names each with a stance code of ``stance_codes.csv``:

========================  =====================================================
CAMEO codes               stance code
========================  =====================================================
026, 027, 028             ``call_for_dialogue`` (appeal to meet, settle, mediate)
036 - 039                 ``offer_dialogue`` (intent to meet, settle, mediate)
051, 052, 053             ``support`` (praise, defend verbally, rally support)
054                       ``recognize`` (grant recognition, open relations)
070 - 075                 ``aid`` (aid, protection, asylum)
110 - 116 except 112      ``criticize`` (disapprove, denounce, complain)
112                       ``accuse``
120 - 129                 ``reject``
130 - 139                 ``threaten``
160 - 166                 ``sanction`` (reduce or break relations, sanctions)
180 - 196                 ``attack`` (assault, use of force)
========================  =====================================================

Precision: the patterns were written for PETRARCH's parse trees, where a
verb's class is checked against its parsed object. A shallow matcher sees
only words, so a lone verb is kept only for the classes whose lone verbs
carry the stance by themselves (praise 051, recognition 054, denouncing 111,
accusing 112, boycotts 163); every other class contributes multi-word
patterns only ("break relations", "impose sanctions", "call for talks"),
whose words fix the sense. Lone verbs of the generic classes (020 "ask",
030 "plan", 120 "delay", 190 "fire") are too often something else.
Phrases the curated ``stance_cues.csv`` has are left to it.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from .convert import to_csv

#: (first code, last code, stance code), CAMEO codes compared as 3-digit text
CLASSES: tuple[tuple[str, str, str], ...] = (
    ("026", "028", "call_for_dialogue"),
    ("036", "039", "offer_dialogue"),
    ("051", "053", "support"),
    ("054", "054", "recognize"),
    ("070", "075", "aid"),
    ("112", "112", "accuse"),
    ("110", "116", "criticize"),
    ("120", "129", "reject"),
    ("130", "139", "threaten"),
    ("160", "166", "sanction"),
    ("180", "196", "attack"),
)
#: classes whose lone verbs are kept
LONE_VERB_CODES = frozenset({"051", "054", "111", "112", "163"})
MULTI_WORD_KINDS = frozenset(
    {"verb_object", "verb_preposition", "verb_object_preposition", "multi_word_verb", "noun"}
)
#: the matcher reads at most 8 tokens (int_phrases_matched)
MAX_TOKENS = 8


@dataclass(frozen=True)
class CameoCue:
    """One row of cameo_cues.csv: a phrase, its stance code, form and CAMEO class."""

    cue_phrase: str
    stance_code: str
    cue_form: str
    cameo_code: str


def stance_code_for(cameo_code: str) -> str | None:
    """The stance code of a CAMEO code, or None when its class takes no side."""
    code = cameo_code[:3]
    for first, last, stance in CLASSES:
        if first <= code <= last:
            return stance
    return None


def derive(cameo_verbs: Path, curated_cues: Path) -> list[CameoCue]:
    """The cue rows, one per phrase (the lowest CAMEO code wins a shared phrase)."""
    with curated_cues.open(newline="", encoding="utf-8") as handle:
        curated = {row["cue_phrase"].lower() for row in csv.DictReader(handle)}
    chosen: dict[str, CameoCue] = {}
    with cameo_verbs.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stance = stance_code_for(row["cameo_code"])
            phrase = " ".join(row["phrase"].lower().split())
            words = phrase.split()
            if stance is None or phrase in curated or not words or len(words) > MAX_TOKENS:
                continue
            is_lone_verb = len(words) == 1
            if is_lone_verb and row["cameo_code"][:3] not in LONE_VERB_CODES:
                continue
            if not is_lone_verb and row["pattern_kind"] not in MULTI_WORD_KINDS:
                continue
            cue = CameoCue(phrase, stance, "verb", row["cameo_code"][:3])
            kept = chosen.get(phrase)
            if kept is None or cue.cameo_code < kept.cameo_code:
                chosen[phrase] = cue
    return sorted(chosen.values(), key=lambda c: c.cue_phrase)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liveledger.dictionaries.cues",
        description="Derive seeds/stances/cameo_cues.csv (the stance cues of the CAMEO "
        "classes that take a side) from the converted CAMEO verb seed.",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=Path("seeds"),
        help="the project's seeds folder (default: seeds)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="the file to write (default: SEEDS/stances/cameo_cues.csv)",
    )
    args = parser.parse_args(argv)
    verbs = args.seeds / "dictionaries" / "cameo_verbs.csv"
    curated = args.seeds / "stances" / "stance_cues.csv"
    for needed in (verbs, curated):
        if not needed.is_file():
            print(
                f"liveledger: error: {needed} not found: pass the project's seeds folder "
                "with --seeds",
                file=sys.stderr,
            )
            return 1
    cues = derive(verbs, curated)
    out = args.out or args.seeds / "stances" / "cameo_cues.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        to_csv(cues, ["cue_phrase", "stance_code", "cue_form", "cameo_code"]), encoding="utf-8"
    )
    print(f"{out}: {len(cues)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The seeds derived from the converted dictionaries: world people and CAMEO cues.

Both derivations read only committed seeds, so they run everywhere: each is
rerun through its real command into a temporary folder and must give the
committed bytes. The CAMEO class mapping and its precision filter are checked
on a small verb table written here.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from liveledger.dictionaries.cues import derive, stance_code_for
from liveledger.dictionaries.people import close_spelling

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
PY = Path(sys.executable)
WORLD_SEEDS = ("world_people.csv", "world_person_aliases.csv", "world_person_roles.csv")


def _run(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PY), "-m", module, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=300,
    )


def test_world_people_seeds_match_a_fresh_derivation(tmp_path: Path) -> None:
    done = _run(
        "liveledger.dictionaries.people",
        "--seeds",
        str(SEEDS),
        "--out",
        str(tmp_path),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    for name in WORLD_SEEDS:
        fresh = (tmp_path / name).read_bytes()
        assert fresh == (SEEDS / "dictionaries" / name).read_bytes(), (
            f"seeds/dictionaries/{name} differs: rerun python -m liveledger.dictionaries.people"
        )


def test_cameo_cues_match_a_fresh_derivation(tmp_path: Path) -> None:
    out = tmp_path / "cameo_cues.csv"
    done = _run(
        "liveledger.dictionaries.cues", "--seeds", str(SEEDS), "--out", str(out), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (SEEDS / "stances" / "cameo_cues.csv").read_bytes(), (
        "seeds/stances/cameo_cues.csv differs: rerun python -m liveledger.dictionaries.cues"
    )


def test_cues_command_reports_a_missing_seeds_folder_in_one_line(tmp_path: Path) -> None:
    done = _run("liveledger.dictionaries.cues", "--seeds", str(tmp_path / "nope"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("liveledger: error: ")
    assert "--seeds" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("cameo_code", "stance_code"),
    [
        ("027", "call_for_dialogue"),
        ("036", "offer_dialogue"),
        ("051", "support"),
        ("054", "recognize"),
        ("071", "aid"),
        ("111", "criticize"),
        ("112", "accuse"),
        ("1121", "accuse"),
        ("125", "reject"),
        ("138", "threaten"),
        ("161", "sanction"),
        ("190", "attack"),
        ("010", None),
        ("043", None),
        ("100", None),
        ("175", None),
    ],
)
def test_each_cameo_class_maps_to_its_stance_code(cameo_code: str, stance_code: str | None) -> None:
    assert stance_code_for(cameo_code) == stance_code


def _write(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_lone_verbs_only_where_they_carry_the_stance(tmp_path: Path) -> None:
    verbs = _write(
        tmp_path / "verbs.csv",
        "phrase,cameo_code,cameo_root,lemma,form,verb_block,pattern_kind,source_line",
        "praised,051,05,praise,past,PRAISE,verb,1",
        "fired,190,19,fire,past,FIRE,verb,2",
        "fired missiles at,190,19,fire,past,FIRE,verb_object_preposition,3",
        "cut ties with,161,16,cut,past,CUT,verb_object_preposition,4",
        "met with,040,04,meet,past,MEET,verb_preposition,5",
        "backed,051,05,back,past,BACK,verb,6",
        "break off relations,161,16,break,base,BREAK,verb_object,7",
        "break off relations,160,16,break,base,BREAK,verb_object,8",
    )
    curated = _write(
        tmp_path / "cues.csv", "cue_phrase,stance_code,cue_form", "backed,support,verb"
    )
    rows = {(c.cue_phrase, c.stance_code, c.cameo_code) for c in derive(verbs, curated)}
    assert rows == {
        ("praised", "support", "051"),  # a lone verb of a precise class
        ("fired missiles at", "attack", "190"),  # a pattern, not the lone "fired"
        ("cut ties with", "sanction", "161"),
        ("break off relations", "sanction", "160"),  # the lowest code of a shared phrase
    }  # "backed": the curated row's; "met": no side


def test_committed_cues_have_known_codes_and_fit_the_matcher() -> None:
    with (SEEDS / "stances" / "stance_codes.csv").open(newline="", encoding="utf-8") as handle:
        codes = {row["stance_code"] for row in csv.DictReader(handle)}
    with (SEEDS / "stances" / "cameo_cues.csv").open(newline="", encoding="utf-8") as handle:
        cues = list(csv.DictReader(handle))
    assert len(cues) > 1000
    assert {c["stance_code"] for c in cues} <= codes
    assert all(1 <= len(c["cue_phrase"].split()) <= 8 for c in cues)
    assert len({c["cue_phrase"] for c in cues}) == len(cues)


@pytest.mark.parametrize(
    ("word", "other", "close"),
    [
        ("gadhafi", "qaddafi", True),  # two of seven letters
        ("rowhani", "rouhani", True),
        ("gaddafi", "qaddafi", True),
        ("administration", "obama", False),  # a last word that is no name of the person
        ("vi", "felipe", False),
        ("lopez", "perez", False),  # two of five: a different name, not a spelling
    ],
)
def test_close_spelling_is_a_third_of_the_longer_word(word: str, other: str, close: bool) -> None:
    assert close_spelling(word, other) is close


def test_a_variants_last_word_is_a_surname_only_when_it_spells_one() -> None:
    """'Moammar Gadhafi' gives the surname 'Gadhafi'; 'Obama Administration' no 'Administration'."""
    aliases = {
        row["alias"]: row["alias_type"]
        for row in _world_aliases()
        if row["actor_id"] in ("person-muammar-gaddafi", "person-hassan-rouhani")
    }
    assert aliases.get("Gadhafi") == "surname"
    assert aliases.get("Rowhani") == "surname"
    assert not any(
        alias.endswith("Administration") and kind == "surname" for alias, kind in aliases.items()
    )
    surnames = [row["alias"] for row in _world_aliases() if row["alias_type"] == "surname"]
    assert "Administration" not in surnames


def _world_aliases() -> list[dict[str, str]]:
    with (SEEDS / "dictionaries" / "world_person_aliases.csv").open(
        newline="", encoding="utf-8"
    ) as handle:
        return list(csv.DictReader(handle))

"""liveledger evaluate: gold reading, group mapping, scores, and the real CLI on a built split.

The unit tests score small in-memory fixtures whose expected figures are
worked out by hand in the comments; the end-to-end test builds one tiny
split (two crises, two blogs of tests/data/blogs) through
``liveledger evaluate --split dev --build`` and reads the printed table.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, TEST_BLOGS
from liveledger.errors import InputFileError, OptionError
from liveledger.evaluate import scoring
from liveledger.evaluate.evaluation import score_predictions
from liveledger.evaluate.gold import (
    Crisis,
    GoldFact,
    GoldGroup,
    GoldSet,
    read_gold_file,
    read_single,
    read_split,
)
from liveledger.evaluate.groups import map_groups, normalize_name
from liveledger.evaluate.warehouse import (
    CrisisPredictions,
    GroupNames,
    PredictedFact,
    Predictions,
)

HEADER = "entry_id,source_group,target_group,polarity,is_background,note\n"


# --- scores -----------------------------------------------------------------


def test_precision_recall_f1_and_the_undefined_cases() -> None:
    s = scoring.Score("x", true_positives=3, predicted=4, expected=6)
    assert (s.precision, s.recall) == (0.75, 0.5)
    assert s.f1 == pytest.approx(0.6)  # 2*3 / (4+6)
    nothing_predicted = scoring.Score("x", 0, 0, 5)
    assert nothing_predicted.precision is None and nothing_predicted.recall == 0.0
    assert nothing_predicted.f1 == 0.0
    assert scoring.Score("x", 0, 0, 0).f1 is None
    assert scoring.Score("rule", 2, 3, None).recall is None
    assert scoring.Score("rule", 2, 3, None).f1 is None


def test_macro_is_the_mean_of_the_defined_crisis_scores() -> None:
    scores = [scoring.Score("a", 1, 2, 4), scoring.Score("b", 0, 0, 2)]
    avg = scoring.macro("macro", scores)
    assert avg.precision == 0.5  # b has no precision: only a's 1/2
    assert avg.recall == pytest.approx((0.25 + 0.0) / 2)
    assert avg.f1 == pytest.approx((2 / 6 + 0.0) / 2)


def _fact(
    entry: str, source: str, target: str, polarity: int, background: bool | None = False
) -> GoldFact:
    return GoldFact(entry, source, target, polarity, background)


def _pred(entry: str, source: str, target: str, polarity: int, rule: str) -> PredictedFact:
    return PredictedFact(entry, source, target, polarity, rule)


@pytest.fixture
def two_crises() -> tuple[GoldSet, Predictions]:
    """Crisis A (Sudan-like, a mapped group) and crisis B (states only)."""
    rsf = GoldGroup(
        "SDN-rsf",
        "Rapid Support Forces",
        "armed group",
        ("Rapid Support Forces", "RSF", "Mohamed Hamdan Dagalo"),
    )
    gold = GoldSet(
        "dev",
        (
            Crisis(
                "a",
                "A",
                (
                    _fact("a/1", "USA", "SDN-rsf", -1),
                    _fact("a/1", "SDN", "SDN-rsf", -1, background=True),
                    _fact("a/2", "org-un", "SDN", 0),
                    _fact("a/2", "org-un", "SDN-rsf", 0),
                ),
                (),
            ),
            Crisis("b", "B", (_fact("b/1", "RUS", "VEN", 1, background=True),), ()),
        ),
        {"SDN-rsf": rsf},
        scope_by_blog=True,
    )
    predictions = Predictions(
        crises=(
            CrisisPredictions(
                "a",
                3,
                (
                    # maps to SDN-rsf by the member's accented name: TP, two rules
                    _pred("a/1", "USA", "group-rsf", -1, "r1"),
                    _pred("a/1", "USA", "group-rsf", -1, "r2"),
                    _pred("a/2", "org-un", "SDN", 0, "r1"),  # TP, said twice by one rule
                    _pred("a/2", "org-un", "SDN", 0, "r1"),
                    _pred("a/2", "org-un", "", 0, "r1"),  # targetless: FP
                    _pred("a/3", "EGY", "SDN", 1, "r2"),  # entry without gold: FP
                ),
            ),
            CrisisPredictions(
                "b",
                1,
                (
                    _pred("b/1", "RUS", "VEN", 1, "r1"),  # TP
                    # b's gold uses no groups.csv group, so group-rsf is not mapped here: FP
                    _pred("b/1", "group-rsf", "VEN", -1, "r2"),
                ),
            ),
        ),
        names={
            "group-rsf": GroupNames(
                own=frozenset({"the paramilitary"}), members=frozenset({"Mohamed Hamdan Dagaló"})
            )
        },
        organizations=frozenset({"org-un"}),
    )
    return gold, predictions


def test_scores_per_crisis_polarity_rule_background_micro_and_macro(
    two_crises: tuple[GoldSet, Predictions],
) -> None:
    result = score_predictions(*two_crises)
    a, b = result.crises
    # A: gold 4, predicted {a/1 USA>rsf -1, a/2 un>SDN 0, a/2 un>'' 0, a/3 EGY>SDN +1}: TP 2
    assert (a.score.true_positives, a.score.predicted, a.score.expected) == (2, 4, 4)
    assert (a.score.precision, a.score.recall, a.score.f1) == (0.5, 0.5, 0.5)
    assert a.mapping.mapped == {"group-rsf": "SDN-rsf"}
    assert ("a/2", "org-un", "SDN-rsf", 0) in a.false_negatives
    assert ("a/3", "EGY", "SDN", 1) in a.false_positives
    # B: gold 1, predicted 2, TP 1
    assert b.mapping.mapped == {}
    assert b.false_positives == (("b/1", "group-rsf", "VEN", -1),)
    assert (b.score.precision, b.score.recall) == (0.5, 1.0)
    assert b.score.f1 == pytest.approx(2 / 3)
    # micro: TP 3, predicted 6, gold 5
    assert (result.overall.true_positives, result.overall.predicted, result.overall.expected) == (
        3,
        6,
        5,
    )
    assert (result.overall.precision, result.overall.recall) == (0.5, 0.6)
    assert result.overall.f1 == pytest.approx(6 / 11)
    # macro: means of (0.5, 0.5), (0.5, 1.0), (0.5, 2/3)
    assert (result.macro.precision, result.macro.recall) == (0.5, 0.75)
    assert result.macro.f1 == pytest.approx((0.5 + 2 / 3) / 2)
    polarity = {s.label: (s.true_positives, s.predicted, s.expected) for s in result.polarities}
    assert polarity == {
        "support (+1)": (1, 2, 1),
        "neutral (0)": (1, 2, 2),
        "hostile (-1)": (1, 2, 2),
    }
    # r1 made a/1 (TP), a/2 SDN (TP, once), a/2 '' (FP), b/1 RUS (TP);
    # r2 made a/1 (TP), a/3 (FP), b/1 group-rsf (FP)
    rules = {s.label: (s.true_positives, s.predicted, s.precision, s.recall) for s in result.rules}
    assert rules == {"r1": (3, 4, 0.75, None), "r2": (1, 3, 1 / 3, None)}
    # background: a/1 SDN>rsf (missed) and b/1 (found): 1 of 2; news: a/1 USA, a/2 SDN of 3
    background = {s.label: (s.true_positives, s.expected) for s in result.background}
    assert background == {"background": (1, 2), "news": (2, 3)}


def test_legacy_gold_without_is_background_has_no_background_breakdown() -> None:
    facts = [_fact("e", "USA", "VEN", 1, background=None)]
    assert scoring.by_background(facts, set()) == ()


# --- group mapping ------------------------------------------------------------


def _group(group_id: str, *names: str) -> GoldGroup:
    return GoldGroup(group_id, names[0], "group", names)


def _state_or_org(group: str) -> bool:
    return len(group) == 3 and group.isupper() or group == "org-un"


def test_names_match_ignoring_case_accents_and_spacing() -> None:
    assert normalize_name("  Juan  GUAIDÓ ") == normalize_name("juan guaido")
    mapping = map_groups(
        ["org-ven-national-assembly"],
        [_group("VEN-opposition", "Juan Guaido", "opposition")],
        {
            "org-ven-national-assembly": GroupNames(
                frozenset({"National Assembly"}), frozenset({"Juan Guaidó"})
            )
        },
        _state_or_org,
    )
    assert mapping.mapped == {"org-ven-national-assembly": "VEN-opposition"}
    assert mapping.matched_by["org-ven-national-assembly"] == "Juan Guaidó"


def test_own_names_win_over_member_names_and_ties_stay_unmapped() -> None:
    groups = [_group("X-a", "Alpha Front"), _group("X-b", "Bravo", "Beta Party")]
    names = {
        "own-first": GroupNames(frozenset({"Alpha Front"}), frozenset({"Bravo"})),
        "tied": GroupNames(frozenset({"Alpha Front", "beta party"}), frozenset()),
        "unknown": GroupNames(frozenset({"Gamma"}), frozenset({"Delta"})),
    }
    mapping = map_groups(names, groups, names, _state_or_org)
    assert mapping.mapped == {"own-first": "X-a"}
    assert mapping.ambiguous == {"tied": ("X-a", "X-b")}
    assert mapping.apply("unknown") == "unknown"


def test_states_and_organisations_are_never_mapped_by_name() -> None:
    names = {
        "VEN": GroupNames(frozenset({"opposition"}), frozenset()),
        "org-un": GroupNames(frozenset({"opposition"}), frozenset()),
    }
    mapping = map_groups(names, [_group("VEN-opposition", "opposition")], names, _state_or_org)
    assert mapping.mapped == {}


# --- gold files ---------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("e,USA,VEN,2,false,x\n", ":2: polarity '2' is not 1, 0 or -1"),
        ("e,USA,VEN,1,maybe,x\n", ":2: is_background 'maybe' is not true or false"),
        ("e,USA,XX-rebels,1,false,x\n", ":2: target_group 'XX-rebels' is not an ISO3 code"),
        ("e,USA,,0,false,x\n", ":2: target_group is empty"),
        (",USA,VEN,1,false,x\n", ":2: entry_id is empty"),
        ("e,USA,VEN,1,false,x\ne,USA,VEN,1,true,y\n", ":3: repeats line 2"),
        ("e,USA,VEN,1,false,a, b\n", ":2: more fields than the header has"),
    ],
)
def test_bad_gold_rows_are_named_by_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path / "gold.csv", HEADER + body)
    with pytest.raises(InputFileError, match=message.replace("(", r"\(")):
        read_gold_file(path)


def test_missing_columns_and_a_missing_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "gold.csv", "entry_id,source_group,target_group,polarity\n")
    with pytest.raises(InputFileError, match="missing column.s. is_background, note"):
        read_gold_file(path)
    with pytest.raises(InputFileError, match="has no facts"):
        read_single(path)  # a legacy file needs only the scored columns, but some rows
    with pytest.raises(InputFileError, match="no such file"):
        read_gold_file(tmp_path / "absent.csv")


def test_legacy_file_allows_an_empty_target(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "old.csv",
        "entry_id,source_group,target_group,polarity,note\n"
        "e,org-eu,,0,calls for dialogue\ne,USA,VEN,-1,x\n",
    )
    gold = read_single(path)
    assert [f.claim for f in gold.crises[0].facts] == [
        ("e", "org-eu", "", 0),
        ("e", "USA", "VEN", -1),
    ]
    assert not gold.scope_by_blog


def test_split_layout_and_its_errors(tmp_path: Path) -> None:
    corpus = tmp_path / "stances"
    _write(
        corpus / "dev" / "groups.csv",
        "group_id,group_name,kind,names\nSDN-rsf,Rapid Support Forces,armed group,RSF\n",
    )
    _write(corpus / "dev" / "sdn" / "blog.txt", "text")
    _write(corpus / "dev" / "sdn" / "gold.csv", HEADER + "e,USA,SDN-rsf,-1,false,x\n")
    gold = read_split(corpus, "dev")
    assert [c.crisis_id for c in gold.crises] == ["sdn"]
    assert gold.groups["SDN-rsf"].names == ("Rapid Support Forces", "RSF")
    with pytest.raises(OptionError, match=r"no split 'train' in .* \(splits there: dev\)"):
        read_split(corpus, "train")
    _write(corpus / "dev" / "crises.csv", "crisis_id,title\nsdn,Sudan\nmmr,Myanmar\n")
    with pytest.raises(InputFileError, match="crises.csv: lists mmr but"):
        read_split(corpus, "dev")
    (corpus / "dev" / "crises.csv").unlink()
    _write(corpus / "dev" / "mmr" / "blog.txt", "text")
    with pytest.raises(InputFileError, match="mmr: has blogs but no gold.csv"):
        read_split(corpus, "dev")


def test_a_gold_file_at_the_split_root_scores_the_fallback_blogs(tmp_path: Path) -> None:
    corpus = tmp_path / "stances"
    _write(corpus / "sample" / "gold.csv", HEADER + "e,USA,org-ven-national-assembly,1,false,x\n")
    _write(corpus / "sample" / "crises.csv", "crisis_id,title\nven-2019,Venezuela\n")
    samples = _write(tmp_path / "samples" / "sample.txt", "text").parent
    gold = read_split(corpus, "sample", samples)
    assert [(c.crisis_id, c.blogs) for c in gold.crises] == [
        ("ven-2019", (samples / "sample.txt",))
    ]


# --- the real CLI on a built split --------------------------------------------

BOLIVIA = "2019-11-11--la-paz--political-crisis-in-bolivia"
ANKARA = "2019-01-25--ankara--diplomatic-dispute"


def _corpus(root: Path) -> Path:
    """Two crises annotated by reading tests/data/blogs (see the notes)."""
    dev = root / "stances" / "dev"
    for crisis, blog in (
        ("bol-2019", "bolivia-midnight-crossing.txt"),
        ("tur-2019", "ankara-stance-change.txt"),
    ):
        (dev / crisis).mkdir(parents=True)
        shutil.copy(TEST_BLOGS / blog, dev / crisis / blog)
    _write(
        dev / "groups.csv",
        "group_id,group_name,kind,names\n"
        "BOL-mas,Movement for Socialism,party,Evo Morales|Morales|MAS\n",
    )
    _write(
        dev / "crises.csv",
        "crisis_id,title,start_year,country_codes,blogs,entries,facts\n"
        "bol-2019,Bolivia,2019,BOL,1,5,3\ntur-2019,Turkey,2019,TUR,1,2,2\n",
    )
    _write(
        dev / "bol-2019" / "gold.csv",
        HEADER
        + f"{BOLIVIA}/2019-11-11T01:10,MEX,BOL-mas,1,false,has granted asylum to ... Morales\n"
        f"{BOLIVIA}/2019-11-11T00:15,org-oas,BOL,0,false,called for dialogue ... on Bolivia\n"
        f"{BOLIVIA}/2019-11-11T00:15,org-oas,BOL-mas,0,false,called for dialogue\n",
    )
    _write(
        dev / "tur-2019" / "gold.csv",
        HEADER + f"{ANKARA}/2019-01-25T17:00,TUR,VEN,-1,false,Turkey has condemned Nicolas Maduro\n"
        f"{ANKARA}/2019-01-25T09:00,TUR,VEN,1,false,Turkey says it supports Nicolas Maduro\n",
    )
    return root / "stances"


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVELEDGER_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [str(REPO / ".venv" / "bin" / "liveledger"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def built_split(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    root = tmp_path_factory.mktemp("evaluate")
    corpus = _corpus(root)
    warehouse = root / "warehouse" / "liveledger.duckdb"
    done = _cli(
        warehouse, "evaluate", "--split", "dev", "--corpus", str(corpus), "--build", "--errors"
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    yield corpus, warehouse.parent / "eval-dev.duckdb", done.stdout


def _rows(table: str, title: str) -> dict[str, list[str]]:
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == title.split()[:1])
    assert lines[start].split()[-6:] == ["precision", "recall", "f1", "TP", "pred", "gold"]
    rows: dict[str, list[str]] = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        *label, p, r, f, tp, pred, gold = line.split()
        rows[" ".join(label)] = [p, r, f, tp, pred, gold]
    return rows


def test_evaluate_build_scores_the_split_it_built(built_split: tuple[Path, Path, str]) -> None:
    corpus, scratch, out = built_split
    assert scratch.exists()
    assert not (scratch.parent / "liveledger.duckdb").exists()  # the warehouse is untouched
    # bol: predicted MEX>person-evo-morales (mapped to BOL-mas by name, TP) and
    # org-oas's call for dialogue, naming no party, toward the blog's country BOL
    # (TP; the second side, BOL-mas, is missed). tur: both found.
    assert _rows(out, "crisis") == {
        "bol-2019": ["1.000", "0.667", "0.800", "2", "2", "3"],
        "tur-2019": ["1.000", "1.000", "1.000", "2", "2", "2"],
    }
    assert _rows(out, "polarity")["neutral (0)"] == ["1.000", "0.500", "0.667", "1", "1", "2"]
    assert _rows(out, "rule")["nearest_in_clause+first_after+crisis_country"][:3] == [
        "1.000",
        "-",
        "-",
    ]
    assert all(row[1] == "-" for row in _rows(out, "rule").values())
    background = _rows(out, "gold facts")  # recall only; none of these facts is a recap
    assert background == {
        "background": ["-", "-", "-", "0", "-", "0"],
        "news": ["-", "0.800", "-", "4", "-", "5"],
    }
    assert "group person-evo-morales -> BOL-mas (name 'Evo Morales')" in out
    summary = _rows(out, "summary")
    assert summary["macro (2 crises)"][:3] == ["1.000", "0.833", "0.900"]
    assert summary["overall"] == ["1.000", "0.800", "0.889", "4", "4", "5"]
    assert out.splitlines()[-1].split()[0] == "overall"


def test_evaluate_json_on_an_existing_warehouse(built_split: tuple[Path, Path, str]) -> None:
    corpus, scratch, _ = built_split
    done = _cli(scratch, "evaluate", "--split", "dev", "--corpus", str(corpus), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [c["crisis_id"] for c in data["crises"]] == ["bol-2019", "tur-2019"]
    assert data["micro"]["true_positives"] == 4 and data["micro"]["gold"] == 5
    assert data["macro"]["f1"] == pytest.approx(0.9)
    assert data["crises"][0]["group_mapping"][0]["gold"] == "BOL-mas"
    below = _cli(
        scratch, "evaluate", "--split", "dev", "--corpus", str(corpus), "--min-recall", "0.9"
    )
    assert below.returncode == 1
    assert "recall 0.800 (min 0.9)" in below.stderr


def _one_line_error(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode != 0, done.stdout
    assert message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--split", "nope"], "no split 'nope' in"),
        (["--gold", "x.csv", "--split", "dev"], "give one or the other"),
        (["--build"], "--corpus and --build need --split"),
    ],
)
def test_evaluate_option_errors(
    built_split: tuple[Path, Path, str], args: list[str], message: str
) -> None:
    corpus, scratch, _ = built_split
    if "--split" in args:
        args = [*args, "--corpus", str(corpus)]
    _one_line_error(_cli(scratch, "evaluate", *args), message)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("TUR,VEN,-1", "TUR,VEN,-2", "tur-2019/gold.csv:2: polarity '-2' is not 1, 0 or -1"),
        (
            "T17:00",
            "T17:05",
            "gold.csv:2: entry 2019-01-25--ankara--diplomatic-dispute/"
            "2019-01-25T17:05 is not an entry of crisis tur-2019's blogs",
        ),
    ],
)
def test_evaluate_bad_gold_rows(
    built_split: tuple[Path, Path, str], tmp_path: Path, old: str, new: str, message: str
) -> None:
    corpus, scratch, _ = built_split
    bad = tmp_path / "stances"
    shutil.copytree(corpus, bad)
    gold = bad / "dev" / "tur-2019" / "gold.csv"
    gold.write_text(gold.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _one_line_error(_cli(scratch, "evaluate", "--split", "dev", "--corpus", str(bad)), message)


def test_evaluate_a_crisis_whose_blogs_are_not_loaded(
    built_split: tuple[Path, Path, str], tmp_path: Path
) -> None:
    corpus, scratch, _ = built_split
    bad = tmp_path / "stances"
    shutil.copytree(corpus, bad)
    (bad / "dev" / "afg").mkdir()
    shutil.copy(TEST_BLOGS / "kabul-partial-rejects.txt", bad / "dev" / "afg")
    _write(bad / "dev" / "afg" / "gold.csv", HEADER)
    _one_line_error(
        _cli(scratch, "evaluate", "--split", "dev", "--corpus", str(bad)), "of crisis afg is not in"
    )

"""The dictionary converter: line formats, inflections, ids, and the seeds.

The seeds under ``seeds/dictionaries/`` are committed; ``test_seeds_match_a_
fresh_conversion`` rebuilds them from the PETRARCH2 dictionaries and requires
the same bytes, so they cannot drift from the converter.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from liveledger.dictionaries import inflect
from liveledger.dictionaries.actors import (
    Reference,
    build_actor_tables,
    current_code,
    parse_actor_lines,
)
from liveledger.dictionaries.agents import parse_agent_lines
from liveledger.dictionaries.convert import OUTPUTS
from liveledger.dictionaries.dates import DictionaryDateError, parse_date, parse_restriction
from liveledger.dictionaries.names import display_name, slug
from liveledger.dictionaries.verbs import build_cue_rows, parse_pattern_line, parse_verb_dictionary

REPO = Path(__file__).resolve().parents[2]

#: ``../shared/reference/petrarch2-dictionaries`` next to the repo (CI and the
#: main checkout); one level further up for a git worktree under ``wt/``;
#: ``LIVELEDGER_DICTIONARIES`` overrides both.
_DEFAULT_SOURCE = REPO / ".." / "shared" / "reference" / "petrarch2-dictionaries"
_CANDIDATES = [
    (
        Path(os.environ["LIVELEDGER_DICTIONARIES"])
        if os.environ.get("LIVELEDGER_DICTIONARIES")
        else None
    ),
    _DEFAULT_SOURCE,
    REPO / ".." / ".." / "shared" / "reference" / "petrarch2-dictionaries",
]
SOURCE = next((p for p in _CANDIDATES if p is not None and p.is_dir()), _DEFAULT_SOURCE)
SEEDS = REPO / "seeds" / "dictionaries"
PY = REPO / ".venv" / "bin" / "python"


def _ref(**kw: object) -> Reference:
    base = dict(
        country_names={"CMR": "Cameroon", "VEN": "Venezuela"},
        demonyms={"VEN": {"venezuelan"}},
        capitals={"VEN": {"caracas"}},
        cities={"VEN": {"maracaibo"}},
        organizations={},
        organization_names={},
        curated_people={},
        curated_bodies={},
    )
    base.update(kw)
    return Reference(**base)  # type: ignore[arg-type]


# --- dates -------------------------------------------------------------------


def test_two_digit_years_pivot_at_30_like_petrarch() -> None:
    assert parse_date("821106") == "1982-11-06"
    assert parse_date("300101") == "2030-01-01"
    assert parse_date("310101") == "1931-01-01"
    assert parse_date("19270101") == "1927-01-01"


@pytest.mark.parametrize("text", ["2004017", "1920030320", "201005011", "820230"])
def test_malformed_dates_are_rejected_not_guessed(text: str) -> None:
    with pytest.raises(DictionaryDateError):
        parse_date(text)


def test_restrictions() -> None:
    assert parse_restriction(">821106").valid_from == "1982-11-06"
    before = parse_restriction("<910827")
    assert (before.valid_from, before.valid_to, before.kind) == ("", "1991-08-27", "before")
    between = parse_restriction("320101-331108")
    assert (between.valid_from, between.valid_to) == ("1932-01-01", "1933-11-08")
    assert parse_restriction("> 140608").valid_from == "2014-06-08"  # blank tolerated
    assert parse_restriction("").kind == "default"


# --- actor lines -------------------------------------------------------------

ACTOR_SAMPLE = """\
# a comment line
CAMEROON_  [CMR]
+CAMEROONIAN_
+YAOUNDE_  # capital
PAUL_BIYA_  # CountryInfo.txt
\t[CMRELI 510101-750630]
\t[CMRGOV 750630-821106]
\t[CMRGOV >821106]
\t[CMRELI]
UNCODED_NAME_
BROKEN_DATE_PERSON_
\t[CMRGOV >2004017]
CAMEROON_ARMED_FORCES [CMRMIL]
+CAMEROONIAN_ARMY
""".splitlines()


def test_actor_records_names_synonyms_codes_and_comments() -> None:
    records, issues = parse_actor_lines(ACTOR_SAMPLE, "Phoenix.Countries.actors.txt")
    assert [r.primary for r in records] == [
        "CAMEROON",
        "PAUL BIYA",
        "UNCODED NAME",
        "BROKEN DATE PERSON",
        "CAMEROON ARMED FORCES",
    ]
    cameroon, biya = records[0], records[1]
    assert cameroon.synonyms == ["CAMEROONIAN", "YAOUNDE"]  # comment after '#' dropped
    assert [c.code for c in biya.codes] == ["CMRELI", "CMRGOV", "CMRGOV", "CMRELI"]
    assert current_code(biya).restriction.valid_from == "1982-11-06"
    assert "CountryInfo.txt" in biya.comments
    assert [i.line_no for i in issues] == [12]  # the 7-digit date, with its line


def test_actor_tables_types_ids_roles_and_skips() -> None:
    records, issues = parse_actor_lines(ACTOR_SAMPLE, "Phoenix.Countries.actors.txt")
    tables = build_actor_tables([(records, issues)], _ref())
    by_id = {a.actor_id: a for a in tables.actors}
    assert set(by_id) == {"country-cmr", "person-paul-biya", "org-cmr-cameroon-armed-forces"}
    assert by_id["country-cmr"].actor_name == "Cameroon"
    biya = by_id["person-paul-biya"]
    assert (biya.actor_name, biya.actor_type, biya.country_code) == ("Paul Biya", "person", "CMR")
    assert biya.affiliation_actor_id == "gov-cmr"
    roles = [
        (r.role_title, r.organization_actor_id, r.valid_from, r.valid_to)
        for r in tables.roles
        if r.actor_id == "person-paul-biya"
    ]
    assert ("Government", "gov-cmr", "1982-11-06", "") in roles
    assert ("Elites", "country-cmr", "1951-01-01", "1975-06-30") in roles
    aliases = {(a.actor_id, a.alias): a.alias_type for a in tables.aliases}
    assert aliases[("country-cmr", "CAMEROON")] == "name"
    assert aliases[("org-cmr-cameroon-armed-forces", "CAMEROONIAN ARMY")] == "variant"
    reasons = " ".join(i.reason for i in tables.skipped)
    assert "no code" in reasons and "unreadable dates" in reasons


def test_country_aliases_are_typed_from_the_reference_seeds() -> None:
    lines = ["VENEZUELA_ [VEN]", "+VENEZUELAN_", "+CARACAS", "+MARACAIBO", "+ZULIA"]
    tables = build_actor_tables([parse_actor_lines(lines, "Phoenix.Countries.actors.txt")], _ref())
    types = {a.alias: a.alias_type for a in tables.aliases}
    assert types == {
        "VENEZUELA": "name",
        "VENEZUELAN": "demonym",
        "CARACAS": "capital",
        "MARACAIBO": "city",
        "ZULIA": "variant",
    }


def test_curated_people_keep_their_ids_and_records_of_one_person_merge() -> None:
    countries = ["NICOLAS_MADURO_MOROS  # CountryInfo.txt", "\t[VENGOV >060901]"]
    international = ["SECRETARY-GENERAL_BAN_KI-MOON", "+BAN_KI-MOON", "\t[IGOUNO >20070101]"]
    korea = ["BAN_KI_MOON_  # CountryInfo.txt", "\t[KORGOVBUS 041001-061130]"]
    ref = _ref(
        curated_people={"nicolas maduro moros": "person-nicolas-maduro"},
        country_names={"VEN": "Venezuela", "KOR": "South Korea"},
    )
    tables = build_actor_tables(
        [
            parse_actor_lines(countries + korea, "Phoenix.Countries.actors.txt"),
            parse_actor_lines(international, "Phoenix.International.actors.txt"),
        ],
        ref,
    )
    ids = {a.actor_id for a in tables.actors}
    assert ids == {"person-nicolas-maduro", "person-ban-ki-moon"}
    ban = next(a for a in tables.actors if a.actor_id == "person-ban-ki-moon")
    assert ban.cameo_code == "IGOUNO"  # current role wins over the older Korean one
    assert {r.cameo_code for r in tables.roles if r.actor_id == "person-ban-ki-moon"} == {
        "IGOUNO",
        "KORGOVBUS",
    }


def test_names() -> None:
    assert display_name("PAUL_BIYA_") == "Paul Biya"
    assert display_name("BASHAR_AL-ASSAD") == "Bashar al-Assad"
    assert display_name("JOHN_MCCAIN") == "John McCain"
    assert display_name("R.K._PACHAURI_") == "R.K. Pachauri"
    assert display_name("POPE_JOHN_PAUL_II") == "Pope John Paul II"
    assert display_name("NATO_", acronyms=True) == "NATO"
    assert display_name("PEOPLE'S_LIBERATION_ARMY", acronyms=True) == "People's Liberation Army"
    assert slug("Nicolás Maduro") == "nicolas-maduro"
    # nicknames in double quotes: single quotes, so no CSV cell needs escaping
    assert display_name('MANUEL_HELDER_DIAS_"KOPELIPA"') == "Manuel Helder Dias 'Kopelipa'"


# --- agents ------------------------------------------------------------------


def test_agent_lines_plurals_markers_and_positions() -> None:
    lines = """\
!PERSON! = MAN, MEN
POLICE {} [~COP]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOVATG] # comment
DEPUTY [~GOV]
DEPARTMENT_OF_DEFENSE [~MIL]
CONGRESS!PERSON! [~LEG]
HUMAN_RIGHTS_BODY  [NGO~]
NO_CODE_HERE
""".splitlines()
    rows, skipped = parse_agent_lines(lines)
    got = {(r.agent_phrase, r.agent_form, r.agent_code) for r in rows}
    assert ("police", "singular", "COP") in got
    assert not any(p == "polices" for p, _, _ in got)
    assert ("attorneys general", "plural", "GOVATG") in got
    assert ("deputies", "plural", "GOV") in got
    assert ("departments of defense", "plural", "MIL") in got
    assert ("congressman", "substituted", "LEG") in got
    assert ("congressmen", "substituted", "LEG") in got
    body = next(r for r in rows if r.agent_phrase == "human rights body")
    assert (body.code_position, body.sector_label) == (
        "before_country",
        "Non-governmental organisation",
    )
    assert skipped["no_code"] == 1


# --- verbs -------------------------------------------------------------------


def test_inflections() -> None:
    assert inflect.regular_forms("condemn") == {
        "base": "condemn",
        "s": "condemns",
        "past": "condemned",
        "ing": "condemning",
    }
    assert inflect.regular_forms("deny")["s"] == "denies"
    assert inflect.past("deny") == "denied"
    assert inflect.past("ban") == "banned" and inflect.present_participle("ban") == "banning"
    assert inflect.past("expel") == "expelled"
    assert inflect.past("offer") == "offered"
    assert inflect.present_participle("accuse") == "accusing"
    assert inflect.present_participle("agree") == "agreeing"
    assert inflect.third_person("push") == "pushes"


def test_pattern_lines_convert_or_say_why_not() -> None:
    ok = parse_pattern_line("- * (FOR {FINANCIAL AID})      [0231]", " ASK", 7)
    assert not isinstance(ok, str)
    assert (ok.post, ok.kind, ok.code, ok.comment_words) == (
        ["for", "financial", "aid"],
        "verb_preposition",
        "0231",
        ["ASK"],
    )
    assert parse_pattern_line("- &MILITARY * EXERCISES [062:062]", "", 1) == "pre_verb"
    assert parse_pattern_line("- * &CURRENCY [0231]", "", 1) == "synset"
    assert parse_pattern_line("- * (TO {BANNED PARTIES}) $  [1722]", "", 1) == "actor_slot"
    assert parse_pattern_line("- * (BEFORE COURT) [:173]", "", 1) == "reverse_only"
    paired = parse_pattern_line("- * (TO) [042:043]", " RUSH", 1)
    assert not isinstance(paired, str) and paired.code == "042"


VERB_SAMPLE = """\
&CURRENCY
+MONEY
####### VERB PATTERNS #######
---  DENOUNCE   [111]  ---
DENOUNCE
CONDEMN
BRING {BRINGS BRINGING BROUGHT } [---]
+ASK_FOR {+ASKED_FOR +ASKING_FOR +ASKS_FOR} [020]
- * CONDEMNATION                 [111]   # CONDEMN
- * {TERRORIST ATTACK}           [018]   # CONDEMN
- * &CURRENCY                    [0231]  # DENOUNCE
- &MILITARY *                    [154]   # DENOUNCE
~ a (a b ATTACK) SAY = a b 015
""".splitlines()


def test_verb_blocks_to_cue_rows() -> None:
    vd = parse_verb_dictionary(VERB_SAMPLE)
    assert [b.name for b in vd.blocks] == ["DENOUNCE"]
    assert vd.synsets["&CURRENCY"] == ["money"]
    rows, counts = build_cue_rows(vd)
    got = {(r.phrase, r.cameo_code, r.form, r.pattern_kind) for r in rows}
    assert ("condemned", "111", "past", "verb") in got
    assert ("denounces", "111", "s", "verb") in got
    assert ("condemnation", "111", "noun", "noun") in got  # attested by the pattern
    # a pattern applies to the verb its comment names, not to every verb of the block
    assert ("condemns condemnation", "111", "s", "verb_object") in got
    assert not any(p.startswith("denounce") and " " in p for p, _, _, _ in got)
    assert ("asked for", "020", "past", "multi_word_verb") in got
    assert not any(p.startswith("bring") for p, _, _, _ in got)  # null code
    # the terrorist-attack pattern is code 018 (root 01): not a stance class
    assert not any("terrorist" in p for p, _, _, _ in got)
    assert counts["synset"] == 1 and counts["pre_verb"] == 1 and counts["transformation"] == 1
    assert counts["pattern_outside_stance_classes"] == 1


# --- the committed seeds -----------------------------------------------------


def _needs_source() -> None:
    if not SOURCE.is_dir():
        pytest.skip(
            f"the PETRARCH2 dictionaries are not at {SOURCE} (../shared/reference/"
            "petrarch2-dictionaries from the repo); cannot rebuild the seeds"
        )


def test_seeds_match_a_fresh_conversion(tmp_path: Path) -> None:
    """Through the real CLI, into a tmp dir: byte-identical to the commit."""
    _needs_source()
    out = tmp_path / "dictionaries"
    done = subprocess.run(
        [
            str(PY),
            "-m",
            "liveledger.dictionaries",
            "--source",
            str(SOURCE),
            "--out",
            str(out),
            "--seeds",
            str(REPO / "seeds"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "phoenix_actors.csv:" in done.stdout
    for name in OUTPUTS:
        fresh, committed = (out / name).read_bytes(), (SEEDS / name).read_bytes()
        assert fresh == committed, (
            f"seeds/dictionaries/{name} differs from a fresh conversion: rerun it"
        )


def test_cli_reports_a_missing_source_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(PY),
            "-m",
            "liveledger.dictionaries",
            "--source",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("liveledger: error: dictionaries folder")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_cli_reports_unusable_input_in_one_line(tmp_path: Path) -> None:
    """A dictionary that is not UTF-8, and a missing seeds folder: one line each."""
    source = tmp_path / "dicts"
    source.mkdir()
    for name in (
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt",
        "CAMEO.2.0.txt",
    ):
        (source / name).write_text("# empty\n", encoding="utf-8")
    (source / "Phoenix.agents.txt").write_bytes(b"POLICE \xff\xfe [~COP]\n")
    base = [
        str(PY),
        "-m",
        "liveledger.dictionaries",
        "--source",
        str(source),
        "--out",
        str(tmp_path / "out"),
    ]
    done = subprocess.run(
        base + ["--seeds", str(REPO / "seeds")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "is not UTF-8" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run(
        base + ["--seeds", str(tmp_path / "no-seeds")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "cannot read the reference seed" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1


def _read(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_known_facts_in_the_committed_seeds() -> None:
    actors = {r["actor_id"]: r for r in _read("phoenix_actors.csv")}
    roles = _read("phoenix_actor_roles.csv")
    # Paul Biya: government of Cameroon from 6 Nov 1982 (the file's own example)
    assert any(
        r["actor_id"] == "person-paul-biya"
        and r["cameo_code"] == "CMRGOV"
        and r["valid_from"] == "1982-11-06"
        and r["valid_to"] == ""
        for r in roles
    )
    assert actors["person-paul-biya"]["actor_name"] == "Paul Biya"
    # ids shared with the curated seeds
    assert actors["person-nicolas-maduro"]["country_code"] == "VEN"
    assert actors["country-ven"]["actor_name"] == "Venezuela"
    assert actors["org-un"]["actor_type"] == "organization"
    assert actors["person-ban-ki-moon"]["affiliation_actor_id"] == "org-un"
    assert actors["group-hamas"]["actor_type"] == "group"
    ids = list(actors)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for name in OUTPUTS:
        if name.endswith(".csv"):
            assert '"' * 2 not in (SEEDS / name).read_text(encoding="utf-8"), name
    cues = {(r["phrase"], r["cameo_code"]) for r in _read("cameo_verbs.csv")}
    assert ("condemned", "111") in cues and ("expelled", "174") in cues
    agents = {(r["agent_phrase"], r["sector"]) for r in _read("phoenix_agents.csv")}
    assert ("foreign minister", "GOV") in agents  # from FOREIGN_!MINIST! [~GOV]
    assert ("police", "COP") in agents and ("polices", "COP") not in agents


def test_module_runs_with_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "liveledger.dictionaries", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "--source" in done.stdout


# --- the hand-written recent roles -------------------------------------------

REQUIRED_COUNTRIES = (
    "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA "  # G20
    "VEN COL CUB BOL EGY LBY UKR YEM ARE QAT BHR ESP MMR HND CIV SYR IRN BLR ARM AZE "
    "AFG PAK SDN NER NGA ISR"
).split()
#: Mid-years without a prime minister in recent_roles.csv: military rule
#: (Myanmar 2021 before Aug; Sudan's council before Aug 2019) or, for Sudan
#: 2022-2024, acting heads of government the file does not cover.
NO_HEAD_OF_GOVERNMENT = {"MMR": (2021,), "SDN": (2019, 2022, 2023, 2024)}
ROLE_KINDS = {
    "head_of_state",
    "head_of_government",
    "head_of_state_and_government",
    "foreign_minister",
    "head_of_state_claim",
    "un_secretary_general",
    "eu_high_representative",
    "au_commission_chair",
}


def test_recent_roles_are_well_formed_dated_and_noted() -> None:
    import datetime as dt

    from liveledger.dictionaries.names import fold
    from liveledger.dictionaries.reference import load_reference

    curated = load_reference(REPO / "seeds").curated_people
    phoenix: dict[str, set[str]] = {}
    for a in _read("phoenix_actor_aliases.csv"):
        phoenix.setdefault(slug(a["alias"]), set()).add(a["actor_id"])
    rows = _read("recent_roles.csv")
    assert len(rows) > 400
    for r in rows:
        where = f"recent_roles.csv {r['actor_id']} {r['role_title']}"
        assert r["role_kind"] in ROLE_KINDS, where
        assert r["source_note"].strip(), where
        start = dt.date.fromisoformat(r["valid_from"])
        if r["valid_to"]:
            assert start <= dt.date.fromisoformat(r["valid_to"]), where
        allowed = {curated.get(fold(r["actor_name"])), "person-" + slug(r["actor_name"])}
        allowed |= phoenix.get(slug(r["actor_name"]), set())
        assert r["actor_id"] in allowed, where
        expected_org = "gov-" + r["country_code"].lower() if r["country_code"] else None
        if expected_org:
            assert r["organization_actor_id"] == expected_org, where


def _covers(rows: list[dict[str, str]], kinds: set[str], year: int) -> bool:
    day = f"{year}-07-01"
    return any(
        r["role_kind"] in kinds
        and r["valid_from"] <= day
        and (not r["valid_to"] or r["valid_to"] > day)
        for r in rows
    )


def test_recent_roles_cover_every_listed_country_from_2015() -> None:
    rows = _read("recent_roles.csv")
    missing = []
    for cc in REQUIRED_COUNTRIES:
        mine = [r for r in rows if r["country_code"] == cc]
        for year in range(2015, 2025):
            if not _covers(
                mine, {"head_of_state", "head_of_state_and_government", "head_of_state_claim"}, year
            ):
                missing.append(f"{cc} head of state {year}")
            if not _covers(mine, {"head_of_government", "head_of_state_and_government"}, year):
                if year not in NO_HEAD_OF_GOVERNMENT.get(cc, ()):
                    missing.append(f"{cc} head of government {year}")
        if not any(r["role_kind"] == "foreign_minister" for r in mine):
            missing.append(f"{cc} foreign minister")
    for org, kind in (
        ("org-un", "un_secretary_general"),
        ("org-eu", "eu_high_representative"),
        ("org-au", "au_commission_chair"),
    ):
        mine = [r for r in rows if r["organization_actor_id"] == org]
        if not all(_covers(mine, {kind}, y) for y in range(2009, 2026)):
            missing.append(org)
    assert not missing, missing


def test_recent_roles_keep_the_curated_ids() -> None:
    curated = {r["actor_name"]: r["actor_id"] for r in _read_seed("actors/actors.csv")}
    for r in _read("recent_roles.csv"):
        if r["actor_name"] in curated:
            assert r["actor_id"] == curated[r["actor_name"]], r
    ids = {r["actor_id"] for r in _read("recent_roles.csv")}
    assert {
        "person-nicolas-maduro",
        "person-donald-trump",
        "person-vladimir-putin",
        "person-bashar-assad",
        "person-antonio-guterres",
        "person-josep-borrell",
    } <= ids


def _read_seed(path: str) -> list[dict[str, str]]:
    with (REPO / "seeds" / path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))

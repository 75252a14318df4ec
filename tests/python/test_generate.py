"""The synthetic corpus generator: deterministic, parseable, varied, seed-driven.

Every generated blog must parse with no rejects and no warnings, and the
parser must arrive at exactly the local times and UTC instants the generator
meant (midnight crossings included), or benchmarks built on the corpus would
measure something else than real input.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import REPO
from liveledger import generate
from liveledger.errors import OptionError, OutputDirError
from liveledger.generate import (
    GeneratedBlog,
    clock,
    frames,
    generate_blog,
    generate_corpus,
    iter_blogs,
)
from liveledger.parser import parse_blog
from liveledger.places import PlaceIndex

SEEDS = REPO / "seeds"
SEED = 20190124
BLOGS = 300


def read_seed(relative: str) -> list[dict[str, str]]:
    with (SEEDS / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def corpus() -> list[GeneratedBlog]:
    return list(iter_blogs(BLOGS, SEED, seeds_dir=SEEDS))


@pytest.fixture(scope="module")
def bodies(corpus: list[GeneratedBlog]) -> str:
    return "\n".join(entry.body for blog in corpus for entry in blog.entries)


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- determinism -------------------------------------------------------------


def test_same_arguments_give_byte_identical_files(tmp_path: Path) -> None:
    first = generate_corpus(tmp_path / "a", 40, SEED, seeds_dir=SEEDS)
    second = generate_corpus(tmp_path / "b", 40, SEED, seeds_dir=SEEDS)
    written = files(tmp_path / "a")
    assert written == files(tmp_path / "b")
    assert sorted(written) == [f"blog-{n:06d}.txt" for n in range(1, 41)]
    assert first.files == second.files == 40
    assert first.bytes_written == sum(len(data) for data in written.values())
    assert (
        first.entries
        == second.entries
        == sum(len(blog.entries) for blog in iter_blogs(40, SEED, seeds_dir=SEEDS))
    )


def test_another_seed_gives_another_corpus(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 20, SEED, seeds_dir=SEEDS)
    generate_corpus(tmp_path / "b", 20, SEED + 1, seeds_dir=SEEDS)
    one, other = files(tmp_path / "a"), files(tmp_path / "b")
    assert one.keys() == other.keys()
    assert all(one[name] != other[name] for name in one)


def test_entries_per_blog_changes_the_corpus(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 5, SEED, seeds_dir=SEEDS)
    generate_corpus(tmp_path / "b", 5, SEED, seeds_dir=SEEDS, entries_per_blog=31)
    assert files(tmp_path / "a") != files(tmp_path / "b")


def test_a_blog_does_not_depend_on_the_blogs_before_it(corpus: list[GeneratedBlog]) -> None:
    words = generate.load_vocabulary(SEEDS)
    for number in (1, 137, BLOGS):
        alone = generate_blog(number, SEED, blogs=BLOGS, words=words)
        assert alone == corpus[number - 1]
    # A smaller corpus is the start of a larger one.
    assert list(iter_blogs(10, SEED, seeds_dir=SEEDS)) == corpus[:10]


# -- the parser reads what the generator meant ------------------------------------


def test_every_blog_parses_to_the_intended_entries(
    corpus: list[GeneratedBlog], places: PlaceIndex
) -> None:
    for blog in corpus:
        parsed = parse_blog(blog.text, places)
        where = f"{blog.file_name} ({blog.dateline_city}, {blog.blog_date})"
        assert parsed.rejections == (), where
        assert parsed.warnings == (), where
        assert parsed.entries_seen == len(parsed.entries) == len(blog.entries), where
        assert parsed.blog_date == blog.blog_date, where
        assert parsed.time_zone == blog.time_zone, where
        for got, meant in zip(parsed.entries, blog.entries):
            assert got.time_marker == meant.marker, where
            assert got.published_at_local == meant.local_time, (where, got.time_marker)
            assert got.published_at == meant.intended_utc, (where, got.time_marker)
            assert got.body == meant.body, where


def test_intended_utc_is_computed_independently(corpus: list[GeneratedBlog]) -> None:
    """The intent is the generator's local time in its zone, not the parser's rule."""
    entry = next(e for blog in corpus for e in blog.entries if blog.time_zone != "UTC")
    offset = entry.local_time.replace(tzinfo=ZoneInfo(entry.time_zone)).utcoffset()
    assert offset is not None
    assert entry.intended_utc == entry.local_time - offset


def test_midnight_crossings_are_present_and_dated_the_day_before(
    corpus: list[GeneratedBlog], places: PlaceIndex
) -> None:
    crossing = [blog for blog in corpus if blog.crosses_midnight]
    assert len(crossing) >= BLOGS // 10
    for blog in crossing[:20]:
        parsed = parse_blog(blog.text, places)
        days = {entry.published_at_local.date() for entry in parsed.entries}
        assert blog.blog_date in days
        assert blog.blog_date - dt.timedelta(days=1) in days
    markers = [entry.marker for blog in crossing for entry in blog.entries]
    assert "midnight" in markers
    assert any(re.fullmatch(r"12:\d\d a\.m\.", marker) for marker in markers)


def test_blog_ids_are_unique(corpus: list[GeneratedBlog], places: PlaceIndex) -> None:
    ids = [parse_blog(blog.text, places).blog_id for blog in corpus]
    assert None not in ids
    assert len(set(ids)) == len(ids)


def test_blog_ids_stay_unique_when_days_repeat(places: PlaceIndex) -> None:
    """Beyond one blog per day the city moves on, so (date, city) still never repeats."""
    days = (generate.LAST_DAY - generate.FIRST_DAY).days + 1
    numbers = range(1, days + 400)
    words = generate.load_vocabulary(SEEDS)
    blogs = [
        generate_blog(n, SEED, blogs=len(numbers), words=words, entries_per_blog=1) for n in numbers
    ]
    assert len({blog.blog_date for blog in blogs}) == days
    ids = [parse_blog(blog.text, places).blog_id for blog in blogs]
    assert len(set(ids)) == len(ids)


def test_dst_changes_are_stepped_over() -> None:
    """No entry at a wall-clock time a DST change skips or repeats: its instant
    would be ambiguous, so the generator's intent would be too."""
    cases = [
        ("Europe/Berlin", dt.date(2019, 3, 31)),
        ("Europe/Berlin", dt.date(2019, 10, 27)),
        ("America/Havana", dt.date(2019, 3, 10)),
        ("America/Santiago", dt.date(2019, 4, 7)),
    ]
    for zone_name, day in cases:
        zone = ZoneInfo(zone_name)
        for seed in range(30):
            times = clock.entry_times(random.Random(seed), 120, day, zone)
            assert times[0].date() == day
            for newer, older in zip(times, times[1:]):
                assert dt.timedelta(0) < newer - older < dt.timedelta(hours=12)
            for when in times:
                fold0 = when.replace(tzinfo=zone, fold=0).utcoffset()
                assert fold0 == when.replace(tzinfo=zone, fold=1).utcoffset(), (zone_name, when)


# -- variety -----------------------------------------------------------------------


def test_marker_forms_vary(corpus: list[GeneratedBlog]) -> None:
    markers = Counter(entry.marker for blog in corpus for entry in blog.entries)
    forms = {
        "h:mm a.m.": r"\d{1,2}:\d\d [ap]\.m\.",
        "h p.m.": r"\d{1,2} [ap]\.m\.",
        "h:mm P.M.": r"\d{1,2}(:\d\d)? [AP]\.M\.",
        "h:mm pm": r"\d{1,2}(:\d\d)? [ap]m",
        "h:mm PM": r"\d{1,2}(:\d\d)? [AP]M",
        "noon": r"noon",
        "midnight": r"midnight",
        "12 p.m.": r"12(:00)? p\.m\.",
    }
    for name, pattern in forms.items():
        assert any(re.fullmatch(pattern, marker) for marker in markers), name


def test_layouts_vary(corpus: list[GeneratedBlog]) -> None:
    texts = [blog.text for blog in corpus]
    assert any("\n___\n" in text for text in texts)
    assert any("\n———\n" in text for text in texts)
    assert any("\r\n" in text for text in texts)
    assert any(re.search(r"^\S.*\n\n\d", text, re.MULTILINE) for text in texts)
    compact = [t for t in texts if "\n\n" not in t.split("(AP)", 1)[1] and "\r" not in t]
    assert compact, "no blog laid out like the sample (no blank lines under the dateline)"
    inline = re.compile(
        r"\(all times \w+\): (\d{1,2}(:\d\d)? ?[apAP]\.?[mM]\.?|noon|midnight)$", re.MULTILINE
    )
    assert any(inline.search(text) for text in texts)
    assert any("By THE ASSOCIATED PRESS" in text for text in texts)
    assert any("(AP Photo/" in text for text in texts)
    stated = Counter(m for t in texts for m in re.findall(r"\(all times (\w+)\)", t))
    assert stated["local"] > BLOGS // 2
    assert set(stated) - {"local"}, "no intro names a zone (EDT, CET, GMT, ...)"


def test_entry_lengths_vary(corpus: list[GeneratedBlog]) -> None:
    paragraphs = Counter(len(entry.paragraphs) for blog in corpus for entry in blog.entries)
    sentences = [
        len(re.findall(r"[.]”?\"?(?= [A-Z“\"]|$)", entry.body.replace("\n", " ")))
        for blog in corpus
        for entry in blog.entries
    ]
    assert paragraphs[1] > 0 and max(paragraphs) >= 5
    assert sum(1 for n in sentences if n == 1) > 100
    assert sum(1 for n in sentences if 5 <= n <= 8) > 100


def test_entries_per_blog_is_the_mean(corpus: list[GeneratedBlog]) -> None:
    counts = [len(blog.entries) for blog in corpus]
    assert abs(sum(counts) / len(counts) - generate.DEFAULT_ENTRIES_PER_BLOG) < 1.5
    assert min(counts) < 20 and max(counts) > 40
    few = [len(blog.entries) for blog in iter_blogs(200, SEED, seeds_dir=SEEDS, entries_per_blog=4)]
    assert abs(sum(few) / len(few) - 4) < 0.5


def test_places_and_dates_spread(corpus: list[GeneratedBlog]) -> None:
    assert len({blog.blog_date.year for blog in corpus}) >= 12
    assert len({blog.dateline_city for blog in corpus}) >= 150
    zones = {blog.time_zone for blog in corpus}
    assert len(zones) >= 80
    offsets = {blog.entries[0].local_time - blog.entries[0].intended_utc for blog in corpus}
    assert min(offsets) <= dt.timedelta(hours=-5) and max(offsets) >= dt.timedelta(hours=8)


def test_datelines_use_only_cities_the_parser_resolves(
    corpus: list[GeneratedBlog], places: PlaceIndex
) -> None:
    cities = {row["city_name"].upper() for row in read_seed("reference/world_cities.csv")}
    for blog in corpus:
        assert blog.dateline_city in cities
        parsed = parse_blog(blog.text, places)
        assert parsed.header.dateline_city == blog.dateline_city


# -- vocabulary from the seeds --------------------------------------------------


def contains(text: str, phrase: str) -> bool:
    """Whether ``phrase`` stands in ``text`` as whole words, ignoring case.

    A plain substring test first: most of the 6,000 CAMEO cues are absent, and
    scanning the corpus once per cue with a case-blind regex took minutes.
    """
    lowered = _lowered(text)
    if phrase.lower() not in lowered:
        return False
    return re.search(rf"(?<![\w-]){re.escape(phrase.lower())}(?![\w-])", lowered) is not None


@functools.lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    return text.lower()


def test_cue_phrases_from_the_seed_appear(bodies: str) -> None:
    cues = read_seed("stances/stance_cues.csv")
    found = [row for row in cues if contains(bodies, row["cue_phrase"])]
    assert len(found) >= 0.95 * len(cues), sorted(
        row["cue_phrase"] for row in cues if row not in found
    )
    codes = {row["stance_code"] for row in read_seed("stances/stance_codes.csv")}
    # codes only the CAMEO cues have (aid, attack) come from a few of their cues
    cameo = [
        row for row in read_seed("stances/cameo_cues.csv") if contains(bodies, row["cue_phrase"])
    ]
    assert {row["stance_code"] for row in found + cameo} == codes
    assert {row["cue_form"] for row in found} == {row["cue_form"] for row in cues}


def test_actors_from_the_seeds_appear(bodies: str) -> None:
    names: dict[str, set[str]] = {}
    for row in read_seed("actors/actors.csv"):
        names.setdefault(row["actor_id"], set()).add(row["actor_name"])
    for row in read_seed("actors/actor_aliases.csv"):
        names.setdefault(row["actor_id"], set()).add(row["alias"])
    mentioned = [actor for actor, forms in names.items() if any(form in bodies for form in forms)]
    assert len(mentioned) >= 0.9 * len(names)
    countries = read_seed("reference/countries.csv")
    assert sum(row["country_name"] in bodies for row in countries) >= 0.8 * len(countries)
    demonyms = [row["demonyms"].split("|")[0] for row in countries if row["demonyms"]]
    assert sum(f"{d} government" in bodies for d in demonyms) >= 0.5 * len(demonyms)
    organizations = read_seed("reference/international_organizations.csv")
    assert sum(row["organization_name"] in bodies for row in organizations) >= 0.5 * len(
        organizations
    )


def test_filler_sentences_carry_no_stance_cue() -> None:
    """Filler is meant to be neutral: a cue in it would be a stance nobody intended."""
    cues = [row["cue_phrase"] for row in read_seed("stances/stance_cues.csv")]
    fillers = frames.FILLERS + frames.ACTOR_FILLERS + frames.PERSON_FILLERS
    for filler in fillers:
        assert not [cue for cue in cues if contains(filler, cue)], filler


# -- the library's and the command's refusals ----------------------------------------


def test_a_non_empty_folder_is_refused_without_force(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("mine")
    with pytest.raises(OutputDirError, match="did not write .*notes.md.*--force"):
        generate_corpus(tmp_path, 2, SEED, seeds_dir=SEEDS)
    assert files(tmp_path) == {"notes.md": b"mine"}


def test_force_replaces_an_earlier_corpus_and_keeps_other_files(tmp_path: Path) -> None:
    generate_corpus(tmp_path, 5, SEED, seeds_dir=SEEDS)
    with pytest.raises(OutputDirError, match="already holds 5 generated blog files"):
        generate_corpus(tmp_path, 3, SEED, seeds_dir=SEEDS)
    (tmp_path / "notes.md").write_text("mine")
    generate_corpus(tmp_path, 3, SEED + 1, seeds_dir=SEEDS, force=True)
    assert sorted(files(tmp_path)) == [
        "blog-000001.txt",
        "blog-000002.txt",
        "blog-000003.txt",
        "notes.md",
    ]
    assert (tmp_path / "blog-000001.txt").read_text(encoding="utf-8") == generate_blog(
        1, SEED + 1, blogs=3, words=generate.load_vocabulary(SEEDS)
    ).text


@pytest.mark.parametrize(("blogs", "per_blog"), [(0, 30), (-3, 30), (2, 0)])
def test_impossible_sizes_are_refused_before_writing(
    tmp_path: Path, blogs: int, per_blog: int
) -> None:
    with pytest.raises(OptionError, match="of 1 or more"):
        generate_corpus(tmp_path / "out", blogs, SEED, seeds_dir=SEEDS, entries_per_blog=per_blog)
    assert not (tmp_path / "out").exists()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], text: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("liveledger: error: ")
    assert text in result.stderr


def test_cli_writes_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    result = run_cli("generate", "--blogs", "3", "--seed", "5", "--entries-per-blog", "4", str(out))
    assert result.returncode == 0, result.stderr
    entries = sum(len(b.entries) for b in iter_blogs(3, 5, seeds_dir=SEEDS, entries_per_blog=4))
    summary = rf"wrote 3 blogs with {entries} entries \(\d+\.\d MB\) to {re.escape(str(out))}"
    assert re.fullmatch(summary + r" in \d+\.\d s\n", result.stdout)
    assert sorted(files(out)) == ["blog-000001.txt", "blog-000002.txt", "blog-000003.txt"]


def test_cli_refuses_a_non_empty_folder_without_force(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("mine")
    assert_one_line_error(run_cli("generate", "--blogs", "2", str(tmp_path)), "--force")
    assert files(tmp_path) == {"notes.md": b"mine"}


def test_cli_refuses_zero_blogs(tmp_path: Path) -> None:
    assert_one_line_error(
        run_cli("generate", "--blogs", "0", str(tmp_path / "out")),
        "--blogs 0: give a number of blogs of 1 or more",
    )
    assert not (tmp_path / "out").exists()


def test_cli_help_names_the_options() -> None:
    result = run_cli("generate", "--help")
    assert result.returncode == 0
    for option in ("--blogs N", "--seed S", "--entries-per-blog M", "--force", "OUT_DIR"):
        assert option in result.stdout

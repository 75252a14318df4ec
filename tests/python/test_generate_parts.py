"""One focused test group per module of ``liveledger.generate``.

``test_generate.py`` checks the corpus as a whole (it parses, it is
deterministic, it means what it says). These tests pin each part on its own,
so a change to, say, the English heuristics fails next to the heuristic and
not 300 blogs later.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import REPO
from liveledger.errors import ProjectError
from liveledger.generate import blogs, clock, corpus, frames, grammar, prose, render, vocabulary
from liveledger.markers import match_marker
from liveledger.parser import parse_blog
from liveledger.places import PlaceIndex

SEEDS = REPO / "seeds"


@pytest.fixture(scope="module")
def words() -> vocabulary.Vocabulary:
    return vocabulary.load_vocabulary(SEEDS)


# -- grammar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "variants", "expected"),
    [
        ("United States", "", "the United States"),
        ("Czech Republic", "", "the Czech Republic"),
        ("U.N.", "", "the U.N."),
        ("EU", "", "the EU"),
        ("NATO", "", "NATO"),
        ("Bolivia", "", "Bolivia"),
        ("The Gambia", "", "the Gambia"),
        ("Philippines", "The Philippines", "the Philippines"),
    ],
)
def test_with_article(name: str, variants: str, expected: str) -> None:
    assert grammar.with_article(name, variants=variants) == expected


@pytest.mark.parametrize(
    ("name", "one_word", "expected"),
    [
        ("Kremlin", True, "the Kremlin"),
        ("Oxfam", False, "Oxfam"),
        ("UNICEF", True, "UNICEF"),
        ("Downing Street", True, "Downing Street"),
        ("Venezuela's army", True, "Venezuela's army"),
        ("Lima Group", False, "the Lima Group"),
    ],
)
def test_institution(name: str, one_word: bool, expected: str) -> None:
    assert grammar.institution(name, one_word_article=one_word) == expected


HEADS = {
    "supports",
    "supported",
    "support",
    "calling",
    "backed",
    "backs",
    "broke",
    "dialogue",
    "ready",
    "recognizes",
    "recognized",
    "meets",
}


@pytest.mark.parametrize(
    ("phrase", "form", "shape"),
    [
        ("supports", "verb", "present"),
        ("support", "verb", "base"),
        ("backed", "verb", "past_ed"),
        ("broke relations", "verb", "past"),
        ("calling for", "verb", "gerund"),
        ("ready to mediate", "verb", "state"),
        ("solidarity with", "verb", "noun_prep"),
        ("dialogue", "verb", "noun"),
        ("illegitimate", "predicate", "predicate"),
        ("backed by", "passive", "passive"),
    ],
)
def test_cue_shape(phrase: str, form: str, shape: str) -> None:
    assert grammar.cue_shape(phrase, form, HEADS) == shape


def test_predicate_kind_and_capitalisation() -> None:
    assert grammar.predicate_kind("illegitimate") == "adjective"
    assert grammar.predicate_kind("deeply flawed") == "adjective"
    assert grammar.predicate_kind("legitimate president") == "noun_phrase"
    assert grammar.predicate_kind("a sham") == "fragment"
    assert grammar.capitalize_first("the U.N. said") == "The U.N. said"
    assert grammar.capitalize_first("") == ""


# -- clock -----------------------------------------------------------------------------


def test_well_defined_rejects_dst_gap_and_overlap() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert not clock.well_defined(dt.datetime(2019, 3, 31, 2, 30), berlin)  # skipped
    assert not clock.well_defined(dt.datetime(2019, 10, 27, 2, 30), berlin)  # repeated
    assert clock.well_defined(dt.datetime(2019, 3, 31, 12, 0), berlin)


def test_entry_times_newest_first_within_twelve_hours() -> None:
    zone = ZoneInfo("America/Caracas")
    day = dt.date(2019, 1, 24)
    times = clock.entry_times(random.Random(3), 40, day, zone)
    assert len(times) == 40 and times[0].date() == day
    assert all(dt.timedelta(0) < a - b < dt.timedelta(hours=12) for a, b in zip(times, times[1:]))


def test_every_marker_reads_back_to_its_clock_time() -> None:
    rng = random.Random(11)
    forms = set()
    for minute in range(0, 24 * 60, 7):
        when = dt.time(minute // 60, minute % 60)
        for _ in range(3):
            text = clock.marker(rng, when)
            found = match_marker(text)
            assert found is not None and found.clock == when, text
            forms.add(text.split()[-1] if " " in text else text)
    for noon_or_midnight in (dt.time(0), dt.time(12)):
        texts = {clock.marker(rng, noon_or_midnight) for _ in range(50)}
        assert {"midnight", "noon"} & texts
    assert {"a.m.", "p.m.", "A.M.", "P.M.", "am", "pm", "AM", "PM"} <= forms


def test_zone_statement_names_a_zone_the_parser_maps_back() -> None:
    rng = random.Random(5)
    said = {clock.zone_statement(rng, "Europe/London", dt.date(2019, 1, 15)) for _ in range(300)}
    assert said <= {("Europe/London", "local"), ("UTC", "GMT")}
    assert ("UTC", "GMT") in said
    summer = {clock.zone_statement(rng, "Europe/London", dt.date(2019, 7, 15)) for _ in range(300)}
    assert ("Europe/London", "BST") in summer
    lima = {clock.zone_statement(rng, "America/Lima", dt.date(2019, 7, 15)) for _ in range(300)}
    assert lima <= {("America/Lima", "local"), ("UTC", "GMT")}


# -- vocabulary ------------------------------------------------------------------------


def test_every_place_dateline_resolves_to_its_zone(words: vocabulary.Vocabulary) -> None:
    index = PlaceIndex.from_seed_dir(SEEDS / "reference")
    places = [place for group in words.place_groups for place in group]
    assert len(places) > 50
    for place in places:
        for dateline in place.datelines:
            city = dateline.split(",")[0]
            assert vocabulary.dateline_resolves(dateline, city, place.time_zone, index), dateline
    assert not vocabulary.dateline_resolves("ATLANTIS, Nowhere", "ATLANTIS", "UTC", index)


def test_vocabulary_has_every_kind_of_actor_and_cue(words: vocabulary.Vocabulary) -> None:
    assert words.persons and words.bodies and words.countries and words.organizations
    assert all(actor.is_person for actor in words.persons)
    assert {cue.shape for cue in words.cues} >= {"present", "past_ed", "predicate", "passive"}
    assert words.capacity == clock.day_count() * len(words.place_groups)
    assert vocabulary.ascii_dateline("BOGOTÁ") == "BOGOTA"


def test_person_forms_come_from_aliases_and_titles() -> None:
    actor = {"actor_name": "Ana Example", "actor_id": "per-x", "country_code": "ESP"}
    aliases = [
        {"alias": "Example", "alias_type": "surname"},
        {"alias": "Anna Example", "alias_type": "misspelling"},
    ]
    person = vocabulary.person(
        actor, aliases, [("President", "gov-esp")], {"demonyms": "Spanish|Spaniard"}
    )
    assert person.short == "Example" and person.is_person
    assert {
        "Ana Example",
        "Anna Example",
        "President Ana Example",
        "Spanish President Ana Example",
    } == set(person.first)


def test_missing_seed_is_a_project_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="countries.csv is missing"):
        vocabulary.load_vocabulary(tmp_path)


# -- frames ----------------------------------------------------------------------------


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_seed_cue_has_frames_and_person_frames_have_no_pronoun(
    words: vocabulary.Vocabulary,
) -> None:
    allowed = {"src", "tgt", "cue", "link", "tail", "day", "q0", "q1", "cap", "article"}
    for cue in words.cues:
        for person in (False, True):
            chosen = frames.frames_for(cue, person)
            assert chosen, cue
            for frame in chosen:
                assert placeholders(frame) <= allowed, frame
                assert "{src}" in frame, frame
                if cue.needs_target:
                    assert "{tgt}" in frame, (cue, frame)
        person_frames = frames.frames_for(cue, True)
        pronoun_free = [
            f for f in frames.frames_for(cue, False) if " it " not in f and " its " not in f
        ]
        if pronoun_free:
            assert set(person_frames) == set(pronoun_free), cue


def test_filler_templates_use_only_known_placeholders() -> None:
    allowed = {"city", "day", "n", "q0", "q1", "month", "clock", "actor", "short"}
    for template in frames.FILLERS + frames.ACTOR_FILLERS + frames.PERSON_FILLERS:
        assert placeholders(template) <= allowed, template
    assert all("{short}" in t or "{actor}" in t for t in frames.PERSON_FILLERS)
    assert not any("{actor}" in t for t in frames.FILLERS)


# -- prose -----------------------------------------------------------------------------


def test_writer_is_deterministic_and_writes_sentences(words: vocabulary.Vocabulary) -> None:
    place = words.place_groups[0][0]
    when = dt.datetime(2019, 1, 24, 17, 5)

    def write(seed: int) -> tuple[str, ...]:
        return prose.Writer(random.Random(seed), words, place, frames.QUOTES["curly"]).paragraphs(
            when
        )

    assert write(1) == write(1)
    assert write(1) != write(2)
    for seed in range(30):
        paragraphs = write(seed)
        assert 1 <= len(paragraphs) <= 16
        for paragraph in paragraphs:
            assert paragraph[:1].isupper() or paragraph[:1] in '“"', paragraph
            assert "{" not in paragraph and '"' not in paragraph  # curly quotes only


# -- render ----------------------------------------------------------------------------


def test_title_case_keeps_small_words() -> None:
    assert (
        render.title_case("crowds gather in the capital of peru")
        == "Crowds Gather in the Capital of Peru"
    )
    assert render.title_case("a day to remember") == "A Day to Remember"


def test_rendered_blog_parses_back(words: vocabulary.Vocabulary) -> None:
    index = PlaceIndex.from_seed_dir(SEEDS / "reference")
    place = next(
        p for group in words.place_groups for p in group if p.time_zone == "America/Caracas"
    )
    day = dt.date(2019, 1, 24)
    for seed in range(20):
        rng = random.Random(seed)
        writer = prose.Writer(rng, words, place, frames.QUOTES["straight"])
        times = [dt.datetime(2019, 1, 24, 18, 30), dt.datetime(2019, 1, 24, 12, 0)]
        entries = tuple(
            blogs.GeneratedEntry(
                t, place.time_zone, clock.marker(rng, t.time()), writer.paragraphs(t)
            )
            for t in times
        )
        lines = render.header(rng, writer, place, place.datelines[0], day, "local")
        assert lines[0].startswith("The Latest: ") and "(AP)" in lines[-1]
        parsed = parse_blog(render.render(rng, lines, entries), index)
        assert not parsed.rejections
        assert [e.body for e in parsed.entries] == [e.body for e in entries]


# -- blogs -----------------------------------------------------------------------------


def test_entry_knows_its_utc_instant_and_blog_its_midnight_crossing() -> None:
    entry = blogs.GeneratedEntry(
        dt.datetime(2019, 1, 24, 23, 30), "America/Caracas", "11:30 p.m.", ("One.", "Two.")
    )
    assert entry.intended_utc == dt.datetime(2019, 1, 25, 3, 30)
    assert entry.body == "One.\nTwo."
    older = blogs.GeneratedEntry(dt.datetime(2019, 1, 23, 23, 0), "UTC", "11 p.m.", ("x",))
    blog = blogs.GeneratedBlog(
        1, "blog-000001.txt", dt.date(2019, 1, 24), "UTC", "CARACAS", (entry, older), ""
    )
    assert blog.crosses_midnight
    summary = blogs.CorpusSummary(Path("."), 1, 2, 2_500_000, 0.1)
    assert summary.megabytes == 2.5


# -- corpus ----------------------------------------------------------------------------


def test_slots_never_repeat_a_date_and_city(words: vocabulary.Vocabulary) -> None:
    days = clock.day_count()
    numbers = list(range(1, 200)) + list(range(days - 100, days + 100))
    seen = set()
    for number in numbers:
        day, group = corpus.slot(number, 7, words)
        assert clock.FIRST_DAY <= day <= clock.LAST_DAY
        assert (day, group) not in seen
        seen.add((day, group))


def test_mix_file_name_and_entry_count() -> None:
    assert corpus.mix("blog", 1, 2) == corpus.mix("blog", 1, 2)
    assert corpus.mix("blog", 1, 2) != corpus.mix("blog", 12)
    assert corpus.file_name(7, 300) == "blog-000007.txt"
    assert corpus.file_name(7, 1_000_000) == "blog-0000007.txt"
    rng = random.Random(0)
    counts = [corpus.entry_count(rng, 30) for _ in range(5000)]
    assert min(counts) >= 15 and max(counts) <= 45
    assert abs(sum(counts) / len(counts) - 30) < 0.5
    assert {corpus.entry_count(rng, 1) for _ in range(20)} == {1}

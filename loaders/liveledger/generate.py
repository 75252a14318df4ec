"""Write a synthetic corpus of AP "The Latest" live blogs, deterministically.

Benchmarks and scale tests need far more input than the one real sample, and
real blogs cannot be redistributed in bulk. The generator writes blogs in the
exact plain-text format the parser reads (headline, dated photo caption or
date line, dateline "CITY, Country (AP) — The Latest on … (all times
local):", entries headed by clock-time markers, newest first), varying what
real blogs vary: marker forms, separators, midnight crossings, entry length,
cities and time zones, dates across years.

Its vocabulary comes from the project's seeds, read at generation time:
cities from ``reference/world_cities.csv`` (only those the parser resolves,
checked by parsing a dateline), actors from ``actors/`` and the country and
organisation references, stance cues from ``stances/stance_cues.csv``. So the
stance pipeline gets realistic work, and a seed an analyst adds shows up in
the next corpus without touching this module.

Determinism: blog *k* is a pure function of (k, seed, entries per blog, the
seeds, the Python version's ``random``): it has its own ``random.Random``
seeded from (seed, k), and its date and city come from k by arithmetic, so
any blog can be produced without generating the ones before it, and files
are streamed to disk one at a time. Every blog gets a distinct (date,
dateline city) pair, hence a distinct parser ``blog_id``; otherwise two files
would look like two snapshots of one blog.

The generator knows what it meant: every ``GeneratedEntry`` carries its local
wall-clock time and zone, so tests can check the parser's UTC instants
against the intent. Local times that a DST change makes ambiguous or
non-existent are never used, because the intent would not be well defined.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from .errors import OptionError, OutputDirError, ProjectError
from .parser import derive_blog_id, parse_blog
from .places import PlaceIndex
from .project import find_project
from .records import BlogHeader

#: The mean number of entries per blog when none is asked for: the bundled
#: sample has 29.
DEFAULT_ENTRIES_PER_BLOG = 30

#: Blog dates are spread over these years (inclusive).
FIRST_DAY = dt.date(2010, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

_FILE_NAME = re.compile(r"^blog-\d{6,}\.txt$")
_UTC = dt.timezone.utc

# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedEntry:
    """One entry as the generator meant it: when, under which marker, what text.

    ``local_time`` is the wall-clock time in the blog's zone; the parser should
    arrive at exactly this local time and at ``intended_utc``.
    """

    local_time: dt.datetime
    time_zone: str
    marker: str
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        """The body as the parser reports it: one line per paragraph."""
        return "\n".join(self.paragraphs)

    @property
    def intended_utc(self) -> dt.datetime:
        """The UTC instant (naive) the entry was written at."""
        aware = self.local_time.replace(tzinfo=ZoneInfo(self.time_zone))
        return aware.astimezone(_UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class GeneratedBlog:
    """One synthetic blog: its file name, what it means, and its text."""

    number: int
    file_name: str
    blog_date: dt.date
    time_zone: str
    dateline_city: str
    entries: tuple[GeneratedEntry, ...]
    text: str

    @property
    def crosses_midnight(self) -> bool:
        return self.entries[-1].local_time.date() != self.blog_date


@dataclass(frozen=True)
class CorpusSummary:
    """What ``generate_corpus`` wrote."""

    out_dir: Path
    files: int
    entries: int
    bytes_written: int
    seconds: float

    @property
    def megabytes(self) -> float:
        return self.bytes_written / 1_000_000


# ---------------------------------------------------------------------------
# The vocabulary, read from the seeds
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A dateline city the parser resolves, with the ways to write its dateline."""

    city: str
    country: str  # as it reads in a sentence: "Bolivia", "the Philippines"
    time_zone: str
    datelines: tuple[str, ...]  # "LA PAZ, Bolivia", "LA PAZ, BOLIVIA", maybe "LA PAZ"


@dataclass(frozen=True)
class Actor:
    """How an actor from the seeds can be written: first and later mentions."""

    first: tuple[str, ...]
    short: str
    is_person: bool = False


@dataclass(frozen=True)
class Cue:
    """A stance cue phrase from the seed and the sentence shape it fits.

    ``shape`` is read off the phrase (see ``_cue_shape``): an inflected verb
    ("supports", "backed", "calling for"), a bare verb, a state ("ready to
    mediate"), a noun ("dialogue", "solidarity with") or the seed's own
    predicate/passive/attribution forms. ``link`` is what joins the cue to
    its target ("broke relations" + "with").
    """

    phrase: str
    stance_code: str
    shape: str
    needs_target: bool
    link: str


@dataclass(frozen=True)
class Vocabulary:
    """Everything the generator draws from, read once per seeds folder."""

    place_groups: tuple[tuple[Place, ...], ...]  # one group per blog-id city slug
    persons: tuple[Actor, ...]
    bodies: tuple[Actor, ...]  # governments, institutions, groups
    countries: tuple[Actor, ...]
    organizations: tuple[Actor, ...]
    cues: tuple[Cue, ...]

    @property
    def capacity(self) -> int:
        """How many blogs can have distinct (date, city) pairs."""
        return _day_count() * len(self.place_groups)


def load_vocabulary(seeds_dir: Path) -> Vocabulary:
    """Read the seeds under ``seeds_dir`` (cached per folder)."""
    return _load_vocabulary(seeds_dir.resolve())


@lru_cache(maxsize=4)
def _load_vocabulary(seeds_dir: Path) -> Vocabulary:
    reference = seeds_dir / "reference"
    countries = _read_csv(reference / "countries.csv")
    country_by_code = {row["country_code"]: row for row in countries}
    actors = _read_csv(seeds_dir / "actors" / "actors.csv")
    aliases = _read_csv(seeds_dir / "actors" / "actor_aliases.csv")
    roles = _read_csv(seeds_dir / "actors" / "actor_roles.csv")
    persons, bodies = _curated_actors(actors, aliases, roles, country_by_code)
    return Vocabulary(
        place_groups=_places(reference, country_by_code),
        persons=persons,
        bodies=bodies,
        countries=tuple(_country_actor(row) for row in countries),
        organizations=_organizations(_read_csv(reference / "international_organizations.csv")),
        cues=_cues(_read_csv(seeds_dir / "stances" / "stance_cues.csv"),
                   _read_csv(seeds_dir / "stances" / "stance_codes.csv")),
    )


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ProjectError(
            f"seed {path} is missing; run liveledger from a liveledger checkout "
            "or set LIVELEDGER_PROJECT_DIR")
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: unicodedata.normalize("NFC", v or "") for k, v in row.items()}
                for row in csv.DictReader(handle)]


def _ascii(text: str) -> str:
    """AP datelines are written without accents: "BOGOTA, Colombia"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _places(reference: Path, country_by_code: dict[str, dict[str, str]]) -> tuple[
        tuple[Place, ...], ...]:
    """Every city whose dateline the parser reads back to the city's own zone.

    Rather than re-implement the parser's dateline and place rules, each
    candidate dateline is parsed; only forms that come back with the same city
    text and the seed's zone are kept. Cities are grouped by the slug the
    parser puts into ``blog_id``, so two cities never share an id.
    """
    index = PlaceIndex.from_seed_dir(reference)
    groups: dict[str, list[Place]] = {}
    for row in _read_csv(reference / "world_cities.csv"):
        country = country_by_code.get(row["country_code"])
        if country is None:
            continue
        city = _ascii(row["city_name"]).upper()
        region = _ascii(country["country_name"])
        candidates = [f"{city}, {region}", f"{city}, {region.upper()}", city]
        datelines = tuple(d for d in candidates
                          if _dateline_resolves(d, city, row["time_zone"], index))
        if not datelines:
            continue
        slug = derive_blog_id(BlogHeader(dateline_city=city), FIRST_DAY)
        groups.setdefault(slug, []).append(Place(
            city=row["city_name"], country=_country_phrase(country), time_zone=row["time_zone"],
            datelines=datelines))
    return tuple(tuple(groups[slug]) for slug in sorted(groups))


def _dateline_resolves(dateline: str, city: str, zone: str, index: PlaceIndex) -> bool:
    probe = (f"The Latest: Probe\n\nFriday, Jan. 25, 2019\n\n"
             f"{dateline} (AP) — The Latest on the probe (all times local):\n5 p.m.\nText.\n")
    parsed = parse_blog(probe, index)
    return (parsed.header.dateline_city == city and parsed.time_zone == zone
            and len(parsed.entries) == 1 and not parsed.rejections)


def _country_phrase(row: dict[str, str]) -> str:
    """The country's name as it reads mid-sentence ("the United States")."""
    return _with_article(row["country_name"], variants=row["official_name_variants"])


def _with_article(name: str, *, variants: str = "") -> str:
    """Add "the" where English wants it: "the U.N.", "the Kremlin", not "NATO".

    A heuristic, not a grammar: it is right for the seeds' names and readable
    for the rest.
    """
    if name.lower().startswith("the "):
        return "the " + name[4:]
    words = name.split()
    the_variant = f"The {name}" in variants.split("|")
    if (name.startswith("United ") or words[-1] in {"Republic", "Islands", "Kingdom", "Emirates"}
            or "." in name or (name.isupper() and len(name) <= 3)
            or (the_variant and name.endswith("s"))):
        return "the " + name
    return name


def _institution(name: str, *, one_word_article: bool = True) -> str:
    """Institutions and metonyms take "the" unless possessive or an acronym.

    A one-word metonym does ("the Kremlin"), a one-word organisation name
    does not ("Oxfam"): ``one_word_article`` says which this is.
    """
    if name.lower().startswith("the ") or "'s " in name or "’s " in name:
        return _with_article(name)
    if name.isupper() and " " not in name and "." not in name and len(name) > 3:
        return name  # NATO, UNICEF, FANB
    if " " not in name and not one_word_article and not name.isupper():
        return name
    if name.split()[-1] == "Street":
        return name  # Downing Street
    return "the " + name


def _country_actor(row: dict[str, str]) -> Actor:
    name = _country_phrase(row)
    demonym = row["demonyms"].split("|")[0]
    first = [name, name, f"the government of {name}"]
    if demonym:  # Dominica and Vatican City have none in the seed
        first.append(f"the {demonym} government")
    first += [_with_article(v) for v in row["official_name_variants"].split("|")
              if v and len(v.split()) <= 2 and not v.lower().startswith("the ")]
    if row["capital"] and row["capital"] != row["country_name"]:
        first.append(row["capital"])
    return Actor(first=tuple(dict.fromkeys(first)), short=name)


def _curated_actors(
    actors: list[dict[str, str]], aliases: list[dict[str, str]], roles: list[dict[str, str]],
    country_by_code: dict[str, dict[str, str]],
) -> tuple[tuple[Actor, ...], tuple[Actor, ...]]:
    """People (with their titles) and bodies from the curated actor seeds."""
    by_actor: dict[str, list[dict[str, str]]] = {}
    for alias in aliases:
        by_actor.setdefault(alias["actor_id"], []).append(alias)
    titles: dict[str, list[tuple[str, str]]] = {}
    for role in roles:
        title = role["role_title"]
        if len(title.split()) <= 3 and "," not in title:
            titles.setdefault(role["actor_id"], []).append((title, role["organization_actor_id"]))
    persons: list[Actor] = []
    bodies: list[Actor] = []
    for actor in actors:
        own = by_actor.get(actor["actor_id"], [])
        if actor["actor_type"] == "person":
            persons.append(_person(actor, own, titles.get(actor["actor_id"], []),
                                   country_by_code.get(actor["country_code"])))
        else:
            bodies.append(_body([actor["actor_name"]] + [a["alias"] for a in own]))
    # Aliases of actors the models derive rather than list (the Kremlin is
    # gov-rus, the Vatican org-holy_see): bodies known only by their aliases.
    listed = {actor["actor_id"] for actor in actors}
    bodies += [_body([a["alias"] for a in own])
               for actor_id, own in by_actor.items() if actor_id not in listed]
    return tuple(persons), tuple(bodies)


def _body(names: list[str]) -> Actor:
    forms = tuple(dict.fromkeys(_institution(n) for n in names))
    return Actor(first=forms, short=min(forms, key=len))


def _person(actor: dict[str, str], aliases: list[dict[str, str]],
            titles: list[tuple[str, str]], country: dict[str, str] | None) -> Actor:
    """A person's first mentions, weighted towards the seed's own name.

    Titled forms ("Turkish President Recep Tayyip Erdogan") come from the
    roles seed; variants and misspellings appear, but less often.
    """
    name = actor["actor_name"]
    first = [name] * 3 + [a["alias"] for a in aliases if a["alias_type"] == "full_name"] * 2
    first += [a["alias"] for a in aliases if a["alias_type"] in {"variant", "misspelling"}]
    for title, organization in titles:
        if name.startswith(title):
            continue  # "Pope Francis" needs no "Pope"
        first += [f"{title} {name}"] * 2
        demonym = country["demonyms"].split("|")[0] if country else ""
        if demonym and organization.startswith("gov-"):
            first += [f"{demonym} {title} {name}"] * 2
    surnames = [a["alias"] for a in aliases if a["alias_type"] == "surname"]
    return Actor(first=tuple(first), short=surnames[0] if surnames else name.split()[-1],
                 is_person=True)


def _organizations(rows: list[dict[str, str]]) -> tuple[Actor, ...]:
    found = []
    for row in rows:
        names = [row["organization_name"]] + [a for a in row["aliases"].split("|") if a]
        forms = tuple(dict.fromkeys(_institution(n, one_word_article=False) for n in names))
        found.append(Actor(first=forms, short=min(forms, key=len)))
    return tuple(found)


# Cue shapes. English needs a little help here: a handful of irregular past
# tenses and heads that read as states ("ready to mediate", "shocked by").
_IRREGULAR_PAST = {"stand": "stood", "break": "broke", "hold": "held", "speak": "spoke",
                   "meet": "met", "cut": "cut"}
_STATE_HEADS = {"ready", "willing", "shocked"}
_PREPOSITIONS = {"of", "with", "to", "by", "up", "behind", "on", "for", "against", "from", "in"}
_LINKS = {"relations": " with", "ties": " with", "talks": " with", "diplomats": " out of",
          "angrily": " to"}


def _cues(rows: list[dict[str, str]], codes: list[dict[str, str]]) -> tuple[Cue, ...]:
    needs_target = {row["stance_code"]: row["requires_target"] == "true" for row in codes}
    heads = {row["cue_phrase"].split()[0] for row in rows if row["cue_form"] == "verb"}
    return tuple(
        Cue(phrase=row["cue_phrase"], stance_code=row["stance_code"],
            shape=_cue_shape(row["cue_phrase"], row["cue_form"], heads),
            needs_target=needs_target.get(row["stance_code"], True),
            link=_LINKS.get(row["cue_phrase"].split()[-1], ""))
        for row in rows)


def _cue_shape(phrase: str, form: str, heads: set[str]) -> str:
    """Which sentence frame a cue fits, read from its first word."""
    if form != "verb":
        return form  # predicate, passive, attribution
    words = phrase.split()
    head = words[0]
    if head in _STATE_HEADS:
        return "state"
    if head.endswith("ing"):
        return "gerund"
    if head.endswith("ed") or head in _IRREGULAR_PAST.values():
        return "past_ed" if head.endswith("ed") else "past"
    if head.endswith("s") and any(_inflects(stem, heads) for stem in _stems(head)):
        return "present"
    if (head + "s" in heads or head + "es" in heads) and _inflects(head, heads):
        return "base"
    return "noun_prep" if words[-1] in _PREPOSITIONS and len(words) > 1 else "noun"


def _stems(present: str) -> list[str]:
    stems = [present[:-1]]
    if present.endswith("es"):
        stems.append(present[:-2])
    if present.endswith("ies"):
        stems.append(present[:-3] + "y")
    return stems


def _inflects(stem: str, heads: set[str]) -> bool:
    """True if the seeds also hold a past or -ing form of ``stem`` (it is a verb)."""
    forms = {stem + "ed", stem + "d", stem + "ing", stem + stem[-1:] + "ed",
             stem[:-1] + "ing" if stem.endswith("e") else stem + "ing"}
    return bool(forms & heads) or _IRREGULAR_PAST.get(stem) in heads


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

_Q = {"straight": ('"', '"'), "curly": ("“", "”")}

# Sentence frames per cue shape. {src}/{tgt} are actor mentions, {link} joins
# a cue to its target, {tail} is neutral context, {q0}/{q1} the blog's quote
# marks. Frames with "it"/"its" are not used when the source is a person (the
# seeds do not say whether to write "he" or "she").
_TARGET_FRAMES: dict[str, tuple[str, ...]] = {
    "present": ("{src} {cue}{link} {tgt}{tail}.", "{src} says it {cue}{link} {tgt}{tail}.",
                "{src} said {day} that it {cue}{link} {tgt}{tail}."),
    "past": ("{src} {cue}{link} {tgt}{tail} on {day}.", "On {day}, {src} {cue}{link} {tgt}{tail}."),
    "past_ed": ("{src} {cue}{link} {tgt}{tail} on {day}.", "{src} has {cue}{link} {tgt}{tail}.",
                "On {day}, {src} {cue}{link} {tgt}{tail}."),
    "gerund": ("{src} is {cue}{link} {tgt}{tail}.", "{src} said it was {cue}{link} {tgt}{tail}."),
    "base": ("{src} said it would {cue}{link} {tgt}{tail}.",
             "{src} vowed to {cue}{link} {tgt}{tail}.",
             "{src} said it would not {cue}{link} {tgt}."),
    "state": ("{src} is {cue}{link} {tgt}.", "{src} said it was {cue}{link} {tgt}."),
    "noun_prep": ("{src} spoke of its {cue} {tgt}.", "{src} stressed the {cue} {tgt}."),
    "noun": ("{src} spoke of {q0}{cue}{q1} in a statement on {tgt}.",),
    "passive": ("{tgt} is {cue} {src}.", "{tgt} has been {cue} {src}{tail}."),
    "attribution": ("{src} said the protests were {cue} {tgt}.",),
}
_NOUN_ATTRIBUTION = ("{src} warned of {cue} {tgt}.",)
#: Predicates: adjectives ("illegitimate", "deeply flawed"), "the" + noun
#: phrase ("the legitimate president"), or a quoted fragment.
_PREDICATE_FRAMES = {
    "adjective": ("{src} said {tgt} was {q0}{cue}.{q1}", "{src} described {tgt} as {q0}{cue}.{q1}"),
    "noun_phrase": ("{src} said {tgt} was the {cue}.", "{src} described {tgt} as the {cue}."),
    "fragment": ("{src} said of {tgt}: {q0}{cap}.{q1}",),
}
_TARGETLESS_FRAMES: dict[str, tuple[str, ...]] = {
    "present": ("{src} {cue}{tail}.", "{src} says it {cue}{tail}."),
    "past": ("{src} {cue}{tail} on {day}.",),
    "past_ed": ("{src} {cue}{tail} on {day}.", "{src} has {cue}{tail}."),
    "gerund": ("{src} is {cue}{tail}.",),
    "base": ("{src} said it was ready to {cue}{tail}.", "{src} is ready to {cue}{tail}."),
    "state": ("{src} is {cue}{tail}.", "{src} said it was {cue}{tail}."),
    "noun": ("{src} said {q0}{cue}{q1} was the only way forward.",
             "{src} said in a statement: {q0}{cap}.{q1}"),
}
_CALL_FOR = ("{src} called for {article}{cue}{tail}.", "{src} appealed for {article}{cue}{tail}.")

_TAILS: dict[str, tuple[str, ...]] = {
    "support": ("", "", " in the dispute", " amid the crisis"),
    "recognize": ("", " as interim president", " as the country's leader"),
    "call_for_dialogue": ("", " between the government and the opposition"),
    "offer_dialogue": ("", " between the two sides"),
    "consult": ("", " by phone", " on the crisis"),
    "criticize": ("", " over the crackdown on protesters", " for the violence"),
    "demand": (" to release political prisoners", " to hold new elections", " to end the violence"),
    "threaten": ("", " with new measures"),
    "sanction": ("", " over the disputed vote"),
}


@lru_cache(maxsize=None)
def _frames(cue: Cue, person: bool) -> tuple[str, ...]:
    """The frames a cue fits, without pronoun frames for a person source."""
    frames: tuple[str, ...]
    if cue.shape == "predicate":
        frames = _PREDICATE_FRAMES[_predicate_kind(cue.phrase)]
    elif cue.shape == "attribution" and not cue.phrase.split()[0].endswith("ed"):
        frames = _NOUN_ATTRIBUTION
    elif cue.needs_target or cue.shape not in _TARGETLESS_FRAMES:
        frames = _TARGET_FRAMES.get(cue.shape, _TARGET_FRAMES["noun"])
    elif cue.shape == "noun" and cue.phrase.split()[-1].endswith(("ion", "ions", "ue", "ess")):
        frames = _TARGETLESS_FRAMES["noun"] + _CALL_FOR
    else:
        frames = _TARGETLESS_FRAMES[cue.shape]
    if person:
        frames = tuple(f for f in frames if not re.search(r"\bits?\b", f)) or frames
    return frames


def _predicate_kind(phrase: str) -> str:
    words = phrase.split()
    if (len(words) == 1 and words[0].endswith("ate")) or words[0].endswith("ly"):
        return "adjective"
    if len(words) > 1 and words[0].endswith("ate"):
        return "noun_phrase"
    return "fragment"


#: Neutral sentences: no stance cue (tests check this against the seed).
_FILLERS = (
    "Hundreds of people gathered in the center of {city} on {day}.",
    "Police closed several streets near the presidential palace in {city}.",
    "It was not immediately clear how many people had been injured.",
    "Officials said more details would be released later in the day.",
    "Schools and many businesses in {city} stayed closed on {day}.",
    "State television showed long lines of people waiting outside banks.",
    "The announcement came hours after a late-night meeting of senior officials in {city}.",
    "Prices of food and fuel have risen sharply in recent months.",
    "Witnesses said the situation in {city} remained tense after nightfall.",
    "At least {n} people have been detained since the protests began, according to local "
    "rights groups.",
    "Thousands of people have left the country in the past year, according to aid groups.",
    "A spokesman said at {clock} that a statement would follow.",
    "The streets of {city} were quiet early {day} after a night of clashes.",
    "Power outages were reported in several neighborhoods of {city}.",
    "Flights to and from {city} were operating normally, the airport said.",
    "Local media reported heavy traffic on the main roads out of {city}.",
    "The statement gave no further details.",
    "Markets in {city} opened lower on {day}.",
    "Details of the plan were not made public.",
    "Hundreds of soldiers were deployed around government buildings.",
    "Officials in {city} said {n} people had been treated at hospitals.",
    "Journalists were kept away from the building by security forces.",
    "The crisis has deepened since the vote in {month}.",
    "{q0}We are watching the situation very closely,{q1} one official said.",
)
#: Neutral sentences about the entry's lead actor, any kind of actor.
_ACTOR_FILLERS = (
    "{short} has made similar statements in the past.",
    "It was the first public statement from {short} since the crisis began.",
    "{short} gave no timetable for the next steps.",
    "The remarks by {short} were broadcast on state television.",
)
#: Neutral sentences that only read right about a person.
_PERSON_FILLERS = (
    "{actor} is expected to address the nation later {day}.",
    "{actor} spoke to reporters in {city} on {day}.",
    "{short} did not take questions from reporters.",
    "{short} made the remarks during a visit to {city}.",
    "{q0}This is a difficult moment for the country,{q1} {short} told reporters.",
    "{short} said {day} that more announcements would follow.",
)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
              "Nov.", "Dec.")


@dataclass
class _Writer:
    """Per-blog state while its sentences are written: its rng and its context."""

    rng: random.Random
    words: Vocabulary
    place: Place
    quotes: tuple[str, str]

    def actor(self) -> Actor:
        roll = self.rng.random()
        pool = (self.words.persons if roll < 0.35 else self.words.countries if roll < 0.75
                else self.words.organizations if roll < 0.9 else self.words.bodies)
        return self.rng.choice(pool)

    def stance(self, day: str, source: Actor) -> str:
        """A sentence built around one cue from the seed: source, cue, target."""
        rng = self.rng
        cue = rng.choice(self.words.cues)
        target = self.actor()
        while target is source:
            target = self.actor()
        tail = rng.choice(_TAILS.get(cue.stance_code, ("",)))
        if cue.phrase.startswith("demand"):
            tail = ""  # "demanded X to ..." is not English
        elif cue.phrase.startswith("accus"):
            tail = rng.choice(("", " of stoking the unrest"))
        q0, q1 = self.quotes
        sentence = rng.choice(_frames(cue, source.is_person)).format(
            src=rng.choice(source.first), tgt=rng.choice(target.first), cue=cue.phrase,
            link=cue.link, tail=tail, day=day, q0=q0, q1=q1,
            cap=cue.phrase[:1].upper() + cue.phrase[1:],
            article="a " if " " in cue.phrase else "")
        return sentence[:1].upper() + sentence[1:]

    def filler(self, day: str, actor: Actor | None, used: set[str]) -> str:
        """A neutral sentence not yet ``used`` in this entry."""
        rng = self.rng
        if actor is None:
            pool = _FILLERS
        else:
            pool = _ACTOR_FILLERS + _PERSON_FILLERS if actor.is_person else _ACTOR_FILLERS
        template = rng.choice(pool)
        while template in used:
            template = rng.choice(_FILLERS)
        used.add(template)
        q0, q1 = self.quotes
        sentence = template.format(
            city=self.place.city, day=day, n=rng.randint(3, 250), q0=q0, q1=q1,
            month=rng.choice(_MONTHS), clock=f"{rng.randint(1, 11)} {rng.choice('ap')}.m.",
            actor=rng.choice(actor.first) if actor else "", short=actor.short if actor else "")
        return sentence[:1].upper() + sentence[1:]

    def paragraphs(self, when: dt.datetime) -> tuple[str, ...]:
        """An entry's text: one sentence (short), 4-8, or 8-16 (long).

        Most entries lead with a stance sentence; the rest mixes further
        stances with neutral filler, as real entries do. The mix gives about
        650 bytes an entry, close to the real sample's (~700), so that
        benchmarks of the text models see a realistic amount of text.
        """
        rng = self.rng
        roll = rng.random()
        count = 1 if roll < 0.1 else rng.randint(4, 8) if roll < 0.5 else rng.randint(8, 16)
        day = _WEEKDAYS[when.weekday()]
        lead = self.actor()
        used: set[str] = set()
        sentences = [self.stance(day, lead) if rng.random() < 0.85
                     else self.filler(day, lead, used)]
        for _ in range(count - 1):
            roll = rng.random()
            if roll < 0.3:
                sentences.append(self.stance(day, self.actor()))
            else:
                sentences.append(self.filler(day, lead if roll < 0.45 else None, used))
        paragraphs = [sentences[0]]
        rest = sentences[1:]
        while rest:
            take = 2 if len(rest) > 1 and rng.random() < 0.3 else 1
            paragraphs.append(" ".join(rest[:take]))
            rest = rest[take:]
        return tuple(paragraphs)


# ---------------------------------------------------------------------------
# Times and markers
# ---------------------------------------------------------------------------


def _well_defined(local: dt.datetime, zone: ZoneInfo) -> bool:
    """False inside a DST gap or overlap, where a wall-clock time has no single instant."""
    first = local.replace(tzinfo=zone, fold=0).utcoffset()
    second = local.replace(tzinfo=zone, fold=1).utcoffset()
    return first == second


def _entry_times(rng: random.Random, count: int, blog_date: dt.date,
                 zone: ZoneInfo) -> list[dt.datetime]:
    """Local times of ``count`` entries, newest first, the newest on ``blog_date``.

    Consecutive entries are less than twelve hours apart (the parser's day
    rollover rule); about one blog in seven starts its newest entry shortly
    after midnight, so its older entries fall on the previous day.
    """
    span = rng.uniform(4 * 60, 20 * 60)
    mean_gap = min(150.0, max(3.0, span / max(count - 1, 1)))
    midnight = dt.datetime.combine(blog_date, dt.time())
    if rng.random() < 0.15:
        minute = rng.randint(0, 150)
    else:
        minute = rng.randint(int(min(span + 30, 1380)) if rng.random() < 0.8 else 360, 1435)
    if rng.random() < 0.8:
        minute -= minute % 5
    newest = midnight + dt.timedelta(minutes=minute)
    while not _well_defined(newest, zone):
        newest += dt.timedelta(minutes=30)
    if newest.date() != blog_date:  # a transition just before midnight: go back instead
        newest = midnight + dt.timedelta(hours=23, minutes=55)
        while not _well_defined(newest, zone):
            newest -= dt.timedelta(minutes=30)
    times = [newest]
    for _ in range(count - 1):
        times.append(_older(rng, times[-1], mean_gap, zone))
    return times


def _older(rng: random.Random, newer: dt.datetime, mean_gap: float,
           zone: ZoneInfo) -> dt.datetime:
    gap = min(480, max(1, int(rng.expovariate(1 / mean_gap))))
    when = newer - dt.timedelta(minutes=gap)
    if rng.random() < 0.8:
        when -= dt.timedelta(minutes=when.minute % 5)
    for boundary in (dt.time(0, 0), dt.time(12, 0)):
        # Let some entries sit exactly on midnight or noon when the gap spans one.
        mark = dt.datetime.combine(newer.date(), boundary)
        if when < mark < newer and rng.random() < 0.3:
            when = mark
    while not _well_defined(when, zone):
        when -= dt.timedelta(minutes=30)
    return when


def _marker(rng: random.Random, clock: dt.time) -> str:
    """A time marker in one of the forms AP writes and the parser reads."""
    roll = rng.random()
    if clock.minute == 0 and clock.hour in (0, 12):
        word = "midnight" if clock.hour == 0 else "noon"
        if roll < 0.8:
            return word
    hour = clock.hour % 12 or 12
    half = "a" if clock.hour < 12 else "p"
    digits = f"{hour}" if clock.minute == 0 and rng.random() < 0.8 else f"{hour}:{clock.minute:02d}"
    roll = rng.random()
    suffix = (f"{half}.m." if roll < 0.9 else f"{half.upper()}.M." if roll < 0.95
              else f"{half}m" if roll < 0.975 else f"{half.upper()}M")
    return f"{digits} {suffix}"


# ---------------------------------------------------------------------------
# Blogs
# ---------------------------------------------------------------------------


def _day_count() -> int:
    return (LAST_DAY - FIRST_DAY).days + 1


def _mix(*parts: object) -> int:
    """A stable 64-bit number from the parts (``hash()`` is salted per process)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _slot(number: int, seed: int, words: Vocabulary) -> tuple[dt.date, tuple[Place, ...]]:
    """The blog's date and city group: distinct for every blog number.

    Blog numbers walk all days (a fixed stride coprime with the number of
    days, offset by the seed) before any day is used twice; the k-th reuse
    of a day moves to the next city group, so (date, city) never repeats
    within ``capacity`` blogs.
    """
    days = _day_count()
    stride = int(days * 0.6180339887)
    while _gcd(stride, days) != 1:
        stride += 1
    index = number - 1
    day_slot = (index * stride + _mix("day", seed)) % days
    groups = words.place_groups
    group = (_mix("city", seed, day_slot) + index // days) % len(groups)
    return FIRST_DAY + dt.timedelta(days=day_slot), groups[group]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _entry_count(rng: random.Random, mean: int) -> int:
    """Uniform on [low, 2*mean - low]: its mean is exactly ``mean``."""
    low = max(1, mean - mean // 2)
    return rng.randint(low, 2 * mean - low)


def file_name(number: int, blogs: int) -> str:
    """``blog-000001.txt``; wider numbers when there are a million blogs or more."""
    return f"blog-{number:0{max(6, len(str(blogs)))}d}.txt"


def generate_blog(number: int, seed: int, *, blogs: int, words: Vocabulary,
                  entries_per_blog: int = DEFAULT_ENTRIES_PER_BLOG) -> GeneratedBlog:
    """Blog ``number`` (1-based) of a corpus of ``blogs``: independent of the others."""
    rng = random.Random(_mix("blog", seed, number, entries_per_blog))
    blog_date, group = _slot(number, seed, words)
    place = rng.choice(group)
    zone_name, times_stated = _zone_statement(rng, place, blog_date)
    zone = ZoneInfo(zone_name)
    times = _entry_times(rng, _entry_count(rng, entries_per_blog), blog_date, zone)
    writer = _Writer(rng, words, place, _Q["curly" if rng.random() < 0.5 else "straight"])
    entries = tuple(
        GeneratedEntry(local_time=when, time_zone=zone_name, marker=_marker(rng, when.time()),
                       paragraphs=writer.paragraphs(when))
        for when in times)
    dateline = rng.choice(place.datelines)
    header = _header(rng, writer, place, dateline, blog_date, times_stated)
    text = _render(rng, header, entries)
    return GeneratedBlog(
        number=number, file_name=file_name(number, blogs), blog_date=blog_date,
        time_zone=zone_name, dateline_city=dateline.split(",")[0], entries=entries, text=text)


#: Zones an intro may name instead of "(all times local)": the word the
#: parser maps to the same zone, by (zone, whether DST is on).
_ZONE_WORDS = {
    "America/New_York": ("EST", "EDT"), "America/Chicago": ("CST", "CDT"),
    "America/Los_Angeles": ("PST", "PDT"), "Europe/Paris": ("CET", "CEST"),
    "Europe/London": ("GMT", "BST"),
}


def _zone_statement(rng: random.Random, place: Place, blog_date: dt.date) -> tuple[str, str]:
    """The zone the entry times are in and how the intro says so."""
    roll = rng.random()
    if roll < 0.02:
        return "UTC", "GMT"
    words = _ZONE_WORDS.get(place.time_zone)
    if words and roll < 0.3:
        noon = dt.datetime.combine(blog_date, dt.time(12)).replace(tzinfo=ZoneInfo(place.time_zone))
        word = words[1] if noon.dst() else words[0]
        if word == "GMT":  # the parser reads GMT as UTC, which London is in winter
            return "UTC", word
        return place.time_zone, word
    return place.time_zone, "local"


_HEADLINES = (
    "Protests Continue in {city}", "Tensions Rise in {country}", "Talks Resume in {city}",
    "{a} Speaks Out on {country}", "World Leaders React to Crisis in {country}",
    "Crowds Gather in {city}", "Leaders Meet in {city}", "{a} Weighs Next Steps",
    "{a} and {b} at Odds Over {country}", "Standoff Deepens in {country}",
)
_TOPICS = (
    "the political crisis in {country}", "the protests in {city}", "the peace talks in {city}",
    "the elections in {country}", "the diplomatic dispute over {country}",
    "the unrest in {country}", "the summit in {city}", "the standoff in {country}",
    "the crisis in {country}", "the aftermath of the disputed vote in {country}",
)
_CAPTIONS = (
    "Demonstrators march through the streets", "A woman holds a national flag during a rally",
    "Police officers stand guard outside the presidential palace",
    "Supporters of {a} gather at a rally", "{a} speaks during a news conference",
    "Delegates arrive for a meeting", "People wait in line outside a bank",
    "Soldiers patrol a main avenue",
)
#: Invented photographers for the captions' "(AP Photo/…)" credit.
_PHOTOGRAPHERS = ("Ana Ruiz", "Tom Weller", "Mira Khan", "Jonas Berg", "Lucia Ortega",
                  "Sam Okafor", "Elena Petrova", "David Chen")
_SMALL_WORDS = {"a", "an", "and", "at", "in", "of", "on", "the", "to", "over", "for"}


def _title(text: str) -> str:
    """AP headline case: every word capitalised except short function words."""
    words = text.split()
    return " ".join(w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def _header(rng: random.Random, writer: _Writer, place: Place, dateline: str,
            blog_date: dt.date, times_stated: str) -> list[str]:
    """Headline, caption and/or byline date, dateline with the intro."""
    a, b = writer.actor().short, writer.actor().short
    country = place.country
    fields = dict(city=place.city, country=country, a=a, b=b)
    headline = "The Latest: " + _title(rng.choice(_HEADLINES).format(**fields))
    weekday = _WEEKDAYS[blog_date.weekday()]
    ap_date = f"{weekday}, {_AP_MONTHS[blog_date.month - 1]} {blog_date.day}, {blog_date.year}"
    caption = (f"{rng.choice(_CAPTIONS).format(**fields)} in {place.city}, "
               f"{country[4:] if country.startswith('the ') else country}, {ap_date}. "
               f"(AP Photo/{rng.choice(_PHOTOGRAPHERS)})")
    roll = rng.random()
    date_line = (ap_date if roll < 0.5
                 else f"{weekday}, {_MONTHS[blog_date.month - 1]} {blog_date.day}, {blog_date.year}"
                 if roll < 0.9
                 else f"{weekday}, {blog_date.day} {_MONTHS[blog_date.month - 1]} {blog_date.year}")
    style = rng.random()
    if style < 0.55:
        lines = [headline, caption]
    elif style < 0.75:
        lines = [headline, "By THE ASSOCIATED PRESS", date_line]
    elif style < 0.9:
        lines = [headline, date_line]
    else:
        lines = [headline, caption, "By THE ASSOCIATED PRESS", date_line]
    topic = rng.choice(_TOPICS).format(**fields)
    lead = "Here's the latest" if rng.random() < 0.1 else "The Latest"
    dash = "—" if rng.random() < 0.9 else rng.choice(("–", "-"))
    lines.append(f"{dateline} (AP) {dash} {lead} on {topic} (all times {times_stated}):")
    return lines


def _render(rng: random.Random, header: list[str], entries: tuple[GeneratedEntry, ...]) -> str:
    """Lay the blog out in one of the styles found in real blogs.

    compact (the sample: no blank lines under the dateline), spaced ("___"
    between entries, blank lines around paragraphs), ruled ("———" between
    entries) or blank (a blank line between entries); sometimes the first
    marker ends the intro line, sometimes the file has CRLF line ends.
    """
    style = rng.choice(("compact", "compact", "spaced", "ruled", "blank"))
    inline = style in ("compact", "blank") and rng.random() < 0.08
    lines: list[str] = []
    for line in header[:-1]:
        lines += [line, ""]
    intro = header[-1]
    if inline:
        lines.append(f"{intro} {entries[0].marker}")
    else:
        lines.append(intro)
        if style == "spaced":
            lines.append("")
        elif style == "ruled" and rng.random() < 0.5:
            lines.append("———")
    for position, entry in enumerate(entries):
        if position:
            lines += {"compact": [], "spaced": ["", "___", ""], "ruled": ["———"],
                      "blank": [""]}[style]
        if not (inline and position == 0):
            lines.append(entry.marker + ("  " if rng.random() < 0.02 else ""))
        if style == "spaced":
            for paragraph in entry.paragraphs:
                lines += ["", paragraph]
        else:
            lines += entry.paragraphs
    newline = "\r\n" if rng.random() < 0.03 else "\n"
    return newline.join(lines) + newline


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------


def iter_blogs(blogs: int, seed: int, *, seeds_dir: Path,
               entries_per_blog: int = DEFAULT_ENTRIES_PER_BLOG,
               start: int = 1) -> Iterator[GeneratedBlog]:
    """Blogs ``start`` .. ``blogs`` of the corpus, one at a time."""
    words = _vocabulary_for(blogs, entries_per_blog, seeds_dir)
    for number in range(start, blogs + 1):
        yield generate_blog(number, seed, blogs=blogs, words=words,
                            entries_per_blog=entries_per_blog)


def generate_corpus(out_dir: Path, blogs: int, seed: int, *,
                    entries_per_blog: int = DEFAULT_ENTRIES_PER_BLOG, force: bool = False,
                    seeds_dir: Path | None = None) -> CorpusSummary:
    """Write ``blogs`` synthetic live blogs to ``out_dir``, one file each.

    The same (blogs, seed, entries_per_blog) and seeds give byte-identical
    files. ``out_dir`` must be new or empty unless ``force``; with ``force``
    the ``blog-*.txt`` files already there are removed first (so a smaller
    corpus leaves no stale blogs) and any other file is left alone.
    """
    started = time.perf_counter()
    seeds_dir = seeds_dir or find_project().seeds_dir
    _vocabulary_for(blogs, entries_per_blog, seeds_dir)  # every check before touching out_dir
    _prepare(out_dir, force)
    files = entries = written = 0
    for blog in iter_blogs(blogs, seed, seeds_dir=seeds_dir, entries_per_blog=entries_per_blog):
        data = blog.text.encode("utf-8")
        (out_dir / blog.file_name).write_bytes(data)
        files += 1
        entries += len(blog.entries)
        written += len(data)
    return CorpusSummary(out_dir, files, entries, written, time.perf_counter() - started)


def _vocabulary_for(blogs: int, entries_per_blog: int, seeds_dir: Path) -> Vocabulary:
    """The vocabulary, once the sizes asked for are known to be possible."""
    if blogs < 1:
        raise OptionError(f"--blogs {blogs}: give a number of blogs of 1 or more")
    if entries_per_blog < 1:
        raise OptionError(
            f"--entries-per-blog {entries_per_blog}: give a mean of 1 or more entries")
    words = load_vocabulary(seeds_dir)
    if blogs > words.capacity:
        raise OptionError(
            f"--blogs {blogs}: the generator can name at most {words.capacity} distinct blogs "
            f"({_day_count()} days x {len(words.place_groups)} cities); ask for fewer blogs "
            "and more --entries-per-blog")
    return words


def _prepare(out_dir: Path, force: bool) -> None:
    """Make sure ``out_dir`` is a folder we may fill; clear old blogs if forced."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputDirError(f"{out_dir} is a file, not a folder; give a folder for the corpus")
    if not out_dir.exists():
        out_dir.mkdir(parents=True)
        return
    present = sorted(out_dir.iterdir())
    ours = [p for p in present if p.is_file() and _FILE_NAME.match(p.name)]
    others = [p for p in present if p not in ours]
    if present and not force:
        if others:
            raise OutputDirError(
                f"{out_dir} is not empty and holds files liveledger generate did not write "
                f"(e.g. {others[0].name}); choose an empty or new folder, or pass --force to "
                "write beside them")
        raise OutputDirError(
            f"{out_dir} already holds {len(ours)} generated blog files; pass --force to "
            "replace them, or choose an empty or new folder")
    for path in ours:
        path.unlink()


__all__ = [
    "DEFAULT_ENTRIES_PER_BLOG", "CorpusSummary", "GeneratedBlog", "GeneratedEntry",
    "Vocabulary", "file_name", "generate_blog", "generate_corpus", "iter_blogs",
    "load_vocabulary",
]

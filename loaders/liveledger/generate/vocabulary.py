"""The generator's vocabulary, read from the project's seeds at generation time.

Cities come from ``reference/world_cities.csv`` (only those the parser
resolves, checked by parsing a dateline), actors from ``actors/`` and the
country and organisation references, stance cues from
``stances/stance_cues.csv`` plus the first few of each stance code in
``stances/cameo_cues.csv`` (so codes only the CAMEO cues have appear too,
without the CAMEO lexicon's thousands of phrases swamping the mix). So the
stance pipeline gets realistic work, and a seed an analyst adds shows up in
the next corpus without touching the generator. Reading is cached per seeds
folder: a million-blog corpus reads the seeds once.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ProjectError
from ..parser import derive_blog_id, parse_blog
from ..places import PlaceIndex
from ..records import BlogHeader
from .clock import FIRST_DAY, day_count
from .grammar import LINKS, cue_shape, institution, with_article


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

    ``shape`` is read off the phrase (see ``grammar.cue_shape``): an inflected
    verb ("supports", "backed", "calling for"), a bare verb, a state ("ready to
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
        return day_count() * len(self.place_groups)


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
        cues=_cues(
            _cue_rows(
                _read_csv(seeds_dir / "stances" / "stance_cues.csv"),
                _read_csv(seeds_dir / "stances" / "cameo_cues.csv"),
            ),
            _read_csv(seeds_dir / "stances" / "stance_codes.csv"),
        ),
    )


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ProjectError(
            f"seed {path} is missing; run liveledger from a liveledger checkout "
            "or set LIVELEDGER_PROJECT_DIR"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {k: unicodedata.normalize("NFC", v or "") for k, v in row.items()}
            for row in csv.DictReader(handle)
        ]


def ascii_dateline(text: str) -> str:
    """AP datelines are written without accents: "BOGOTA, Colombia"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _places(
    reference: Path, country_by_code: dict[str, dict[str, str]]
) -> tuple[tuple[Place, ...], ...]:
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
        city = ascii_dateline(row["city_name"]).upper()
        region = ascii_dateline(country["country_name"])
        candidates = [f"{city}, {region}", f"{city}, {region.upper()}", city]
        datelines = tuple(
            d for d in candidates if dateline_resolves(d, city, row["time_zone"], index)
        )
        if not datelines:
            continue
        slug = derive_blog_id(BlogHeader(dateline_city=city), FIRST_DAY)
        groups.setdefault(slug, []).append(
            Place(
                city=row["city_name"],
                country=_country_phrase(country),
                time_zone=row["time_zone"],
                datelines=datelines,
            )
        )
    return tuple(tuple(groups[slug]) for slug in sorted(groups))


def dateline_resolves(dateline: str, city: str, zone: str, index: PlaceIndex) -> bool:
    """True if the parser reads ``dateline`` as ``city`` in ``zone``, with no rejects."""
    probe = (
        f"The Latest: Probe\n\nFriday, Jan. 25, 2019\n\n"
        f"{dateline} (AP) — The Latest on the probe (all times local):\n5 p.m.\nText.\n"
    )
    parsed = parse_blog(probe, index)
    return (
        parsed.header.dateline_city == city
        and parsed.time_zone == zone
        and len(parsed.entries) == 1
        and not parsed.rejections
    )


def _country_phrase(row: dict[str, str]) -> str:
    """The country's name as it reads mid-sentence ("the United States")."""
    return with_article(row["country_name"], variants=row["official_name_variants"])


def _country_actor(row: dict[str, str]) -> Actor:
    name = _country_phrase(row)
    demonym = row["demonyms"].split("|")[0]
    first = [name, name, f"the government of {name}"]
    if demonym:  # Dominica and Vatican City have none in the seed
        first.append(f"the {demonym} government")
    first += [
        with_article(v)
        for v in row["official_name_variants"].split("|")
        if v and len(v.split()) <= 2 and not v.lower().startswith("the ")
    ]
    if row["capital"] and row["capital"] != row["country_name"]:
        first.append(row["capital"])
    return Actor(first=tuple(dict.fromkeys(first)), short=name)


def _curated_actors(
    actors: list[dict[str, str]],
    aliases: list[dict[str, str]],
    roles: list[dict[str, str]],
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
            persons.append(
                person(
                    actor,
                    own,
                    titles.get(actor["actor_id"], []),
                    country_by_code.get(actor["country_code"]),
                )
            )
        else:
            bodies.append(_body([actor["actor_name"]] + [a["alias"] for a in own]))
    # Aliases of actors the models derive rather than list (the Kremlin is
    # gov-rus, the Vatican org-holy_see): bodies known only by their aliases.
    listed = {actor["actor_id"] for actor in actors}
    bodies += [
        _body([a["alias"] for a in own])
        for actor_id, own in by_actor.items()
        if actor_id not in listed
    ]
    return tuple(persons), tuple(bodies)


def _body(names: list[str]) -> Actor:
    forms = tuple(dict.fromkeys(institution(n) for n in names))
    return Actor(first=forms, short=min(forms, key=len))


def person(
    actor: dict[str, str],
    aliases: list[dict[str, str]],
    titles: list[tuple[str, str]],
    country: dict[str, str] | None,
) -> Actor:
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
    return Actor(
        first=tuple(first), short=surnames[0] if surnames else name.split()[-1], is_person=True
    )


def _organizations(rows: list[dict[str, str]]) -> tuple[Actor, ...]:
    found = []
    for row in rows:
        names = [row["organization_name"]] + [a for a in row["aliases"].split("|") if a]
        forms = tuple(dict.fromkeys(institution(n, one_word_article=False) for n in names))
        found.append(Actor(first=forms, short=min(forms, key=len)))
    return tuple(found)


#: how many CAMEO cues of each stance code join the curated ones
CAMEO_CUES_PER_CODE = 3


def _cue_rows(curated: list[dict[str, str]], cameo: list[dict[str, str]]) -> list[dict[str, str]]:
    """The curated cues, then the first CAMEO cues of each code (in seed order)."""
    known = {row["cue_phrase"] for row in curated}
    taken: dict[str, int] = {}
    rows = list(curated)
    for row in cameo:
        code = row["stance_code"]
        if row["cue_phrase"] in known or taken.get(code, 0) >= CAMEO_CUES_PER_CODE:
            continue
        taken[code] = taken.get(code, 0) + 1
        rows.append(row)
    return rows


def _cues(rows: list[dict[str, str]], codes: list[dict[str, str]]) -> tuple[Cue, ...]:
    needs_target = {row["stance_code"]: row["requires_target"] == "true" for row in codes}
    heads = {row["cue_phrase"].split()[0] for row in rows if row["cue_form"] == "verb"}
    return tuple(
        Cue(
            phrase=row["cue_phrase"],
            stance_code=row["stance_code"],
            shape=cue_shape(row["cue_phrase"], row["cue_form"], heads),
            needs_target=needs_target.get(row["stance_code"], True),
            link=LINKS.get(row["cue_phrase"].split()[-1], ""),
        )
        for row in rows
    )

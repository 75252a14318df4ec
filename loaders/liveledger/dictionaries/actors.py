"""Read the ``.actors.txt`` dictionaries and build actor, alias and role rows.

The format (``dictionaries.rst``): a primary phrase, optionally with codes
inline; ``+`` lines are synonyms of it; lines starting with ``[`` (after the
tab) are its codes, each with an optional date restriction; ``#`` starts a
comment anywhere on a line. As in PETRARCH every name of a record (primary
and synonyms) gets every code of the record, and a record with no code codes
nothing: we skip it and say so in the report.

How a record becomes an actor (rules, not per-name exceptions):

- ``country``: its current code is a bare three-letter country code
  (``AFGHANISTAN_ [AFG]``); all records with the same current code are one
  country (``LEIPZIG_`` is a name of Germany since 1990, as in the file);
- ``territory``: its current code is a country plus a part that is not a
  sector (``GUAM_ [USAGUM]``): the id is the territory's own code;
- ``person``: the record comes from the people lists (``# CountryInfo.txt``,
  ``# IGOrulers.txt``) or has a dated code;
- ``group``: any record of ``Phoenix.MilNonState.actors.txt``;
- ``organization``: every other record.

The current code is the open-ended dated code that starts last (``[CMRGOV
>821106]``), else the default (undated) code, else the code that ends last.

People who appear in several records (a country list and the international
list, or twice) are one actor when the records share a name of two or more
words (compared as slugs, so ``BAN_KI-MOON`` and ``BAN_KI_MOON`` agree).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from . import codes as cc
from .dates import DictionaryDateError, Restriction, parse_restriction
from .names import display_name, fold, phrase_text, slug

PEOPLE_LIST_MARKERS = ("CountryInfo", "IGOrulers")
CODE_GROUP = re.compile(r"\[([^\[\]]*)\]?")


@dataclass(frozen=True)
class CodeRestriction:
    """One ``[CODE restriction]`` of a record, where it was written."""

    code: str
    restriction: Restriction
    line_no: int


@dataclass
class Record:
    """One record of an actors file: its names, codes and comments."""

    source_file: str
    line_no: int
    primary: str
    synonyms: list[str] = field(default_factory=list)
    codes: list[CodeRestriction] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    null_codes: int = 0
    bad_codes: int = 0


@dataclass
class ParseIssue:
    """A line that could not be used, with why: goes into the report."""

    source_file: str
    line_no: int
    text: str
    reason: str


def _split_comment(raw: str) -> tuple[str, str]:
    body, _, comment = raw.partition("#")
    return body.strip(), comment.strip()


def _add_codes(record: Record, text: str, line_no: int, issues: list[ParseIssue]) -> None:
    for group in CODE_GROUP.findall(text):
        parts = group.split(None, 1)
        if not parts:
            issues.append(ParseIssue(record.source_file, line_no, text, "empty code"))
            continue
        code = parts[0]
        if code == "---":
            record.null_codes += 1  # the null code: "this phrase codes nothing"
            continue
        try:
            restriction = parse_restriction(parts[1] if len(parts) > 1 else "")
        except DictionaryDateError as exc:
            issues.append(
                ParseIssue(record.source_file, line_no, text.strip(), f"code dropped: {exc}")
            )
            record.bad_codes += 1
            continue
        record.codes.append(CodeRestriction(code, restriction, line_no))


def parse_actor_lines(lines: list[str], source_file: str) -> tuple[list[Record], list[ParseIssue]]:
    """Parse the lines of one actors file into records (PETRARCH's reading)."""
    records: list[Record] = []
    issues: list[ParseIssue] = []
    current: Record | None = None
    for line_no, raw in enumerate(lines, start=1):
        if raw.startswith("#"):
            continue
        body, comment = _split_comment(raw)
        if not body:
            if comment and current is not None and raw[:1] in " \t":
                current.comments.append(comment)
            continue
        if body.startswith("["):
            if current is None:
                issues.append(ParseIssue(source_file, line_no, body, "code before any name"))
                continue
            _add_codes(current, body, line_no, issues)
        elif body.startswith("+"):
            if current is None:
                issues.append(ParseIssue(source_file, line_no, body, "synonym before any name"))
                continue
            name = phrase_text(body[1:])
            if name:
                current.synonyms.append(name)
        else:
            name_part, bracket, rest = body.partition("[")
            current = Record(source_file, line_no, phrase_text(name_part))
            if comment:
                current.comments.append(comment)
            records.append(current)
            if bracket:
                _add_codes(current, bracket + rest, line_no, issues)
    return records, issues


def current_code(record: Record) -> CodeRestriction:
    """The code that applies now (see the module docstring)."""
    open_ended = [
        c for c in record.codes if c.restriction.valid_from and not c.restriction.valid_to
    ]
    if open_ended:
        return max(open_ended, key=lambda c: c.restriction.valid_from)
    defaults = [c for c in record.codes if c.restriction.kind == "default"]
    if defaults:
        return defaults[0]
    return max(record.codes, key=lambda c: (c.restriction.valid_to, c.restriction.valid_from))


@dataclass(frozen=True)
class Reference:
    """What the project's own seeds say, used to keep ids compatible."""

    country_names: dict[str, str]  # ISO3 -> name
    demonyms: dict[str, set[str]]  # ISO3 -> folded demonyms
    capitals: dict[str, set[str]]  # ISO3 -> folded capitals
    cities: dict[str, set[str]]  # ISO3 -> folded city names
    organizations: dict[str, str]  # folded name or alias -> org id
    organization_names: dict[str, str]  # org id -> name
    curated_people: dict[str, str]  # folded full name / variant -> person id
    curated_bodies: dict[str, str]  # folded name -> org-/gov-/group- id


@dataclass
class ActorRow:
    actor_id: str
    actor_name: str
    actor_type: str
    country_code: str
    affiliation_actor_id: str
    description: str
    cameo_code: str
    sector: str
    source_file: str
    source_line: int


@dataclass(frozen=True)
class AliasRow:
    actor_id: str
    alias: str
    alias_type: str


@dataclass(frozen=True)
class RoleRow:
    actor_id: str
    role_title: str
    organization_actor_id: str
    valid_from: str
    valid_to: str
    restriction: str
    cameo_code: str
    country_code: str
    sector: str


@dataclass
class ActorTables:
    actors: list[ActorRow]
    aliases: list[AliasRow]
    roles: list[RoleRow]
    stats: dict[str, int]
    skipped: list[ParseIssue]


def _is_person(record: Record) -> bool:
    if any(m in c for c in record.comments for m in PEOPLE_LIST_MARKERS):
        return True
    return any(c.restriction.kind != "default" for c in record.codes)


class _Builder:
    """Classifies records, gives them ids and collects the rows."""

    def __init__(self, reference: Reference, countries: frozenset[str]) -> None:
        self.ref = reference
        self.countries = countries
        self.actors: dict[str, ActorRow] = {}
        self.aliases: dict[tuple[str, str], AliasRow] = {}
        self.roles: set[RoleRow] = set()
        self.code_to_org: dict[str, str] = {}
        self.fallback_names: dict[str, str] = {}  # ISO3 -> name of its first record
        self.stats: dict[str, int] = defaultdict(int)

    def _country_name(self, code: str) -> str:
        iso = cc.iso3(code)
        return self.ref.country_names.get(iso) or self.fallback_names.get(iso, iso)

    def classify(self, record: Record) -> tuple[str, str, str, str]:
        """(actor_type, actor_id, country_code, affiliation) of a record."""
        now = current_code(record)
        country, sector = cc.split_code(now.code, self.countries)
        if record.source_file.endswith("MilNonState.actors.txt"):
            return "group", "group-" + slug(record.primary), cc.iso3(country), ""
        if country and not sector:
            iso = cc.iso3(country)
            return "country", "country-" + iso.lower(), iso, ""
        if (
            country
            and len(sector) == 3
            and sector not in cc.SECTOR_LABELS
            and not _is_person(record)
        ):
            return (
                "territory",
                "country-" + sector.lower(),
                sector,
                "country-" + cc.iso3(country).lower(),
            )
        names = [record.primary, *record.synonyms]
        if _is_person(record):
            for name in names:
                if fold(name) in self.ref.curated_people:
                    return "person", self.ref.curated_people[fold(name)], cc.iso3(country), ""
            return "person", "person-" + slug(display_name(record.primary)), cc.iso3(country), ""
        for name in names:
            key = fold(name)
            if key in self.ref.curated_bodies:
                return "organization", self.ref.curated_bodies[key], cc.iso3(country), ""
            if key in self.ref.organizations:
                return "organization", self.ref.organizations[key], cc.iso3(country), ""
        stem = slug(display_name(record.primary, acronyms=True))
        if country:
            return "organization", f"org-{cc.iso3(country).lower()}-{stem}", cc.iso3(country), ""
        return "organization", "org-" + stem, "", ""

    def organization_for(self, code: str) -> str:
        """The actor a code belongs to: the government (``CMRGOV...``), the
        country (any other sector), or the intergovernmental body whose code
        it is or extends (``IGOUNO`` -> the UN); '' for other codes (NGO,
        MNC...), whose parts are countries and sectors, not a body."""
        country, sector = cc.split_code(code, self.countries)
        if country:
            return ("gov-" if sector.startswith("GOV") else "country-") + cc.iso3(country).lower()
        if code.startswith("IGO") and code in self.code_to_org:
            return self.code_to_org[code]
        return self.parent_org(code)

    def parent_org(self, code: str) -> str:
        """The body of a shorter code that this code extends: IGOUNOWFP -> IGOUNO.

        Only intergovernmental codes nest bodies; the parts of NGO and MNC
        codes are countries and sectors (``MNCUSAHLH``), not a parent body.
        """
        if not code.startswith("IGO"):
            return ""
        for length in range(len(code) - 3, 5, -3):
            if code[:length] in self.code_to_org:
                return self.code_to_org[code[:length]]
        return ""


def _alias_type(actor_type: str, is_primary: bool, name: str, iso: str, ref: Reference) -> str:
    key = fold(name)
    if actor_type in ("country", "territory"):
        if is_primary:
            return "name"
        if key in ref.demonyms.get(iso, set()):
            return "demonym"
        if key in ref.capitals.get(iso, set()):
            return "capital"
        if key in ref.cities.get(iso, set()):
            return "city"
        return "variant"
    if actor_type == "person":
        return "full_name" if is_primary else "variant"
    letters = re.sub(r"[^A-Za-z]", "", name)
    if " " not in name and letters.isupper() and len(letters) <= 6:
        return "abbreviation"
    return "name" if is_primary else "variant"


def _merge_people(
    usable: list[tuple[Record, tuple[str, str, str, str]]], reference: Reference
) -> list[tuple[Record, tuple[str, str, str, str]]]:
    """Give records of one person (sharing a name of 2+ words) one id."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keys_of: dict[int, list[str]] = {}
    for i, (r, (kind, actor_id, _, _)) in enumerate(usable):
        if kind != "person":
            continue
        keys = ["id:" + actor_id] + [
            "name:" + slug(n) for n in [r.primary, *r.synonyms] if len(slug(n).split("-")) >= 2
        ]
        keys_of[i] = keys
        for k in keys[1:]:
            parent[find(k)] = find(keys[0])
    chosen: dict[str, str] = {}
    curated = set(reference.curated_people.values())
    for i in sorted(
        keys_of, key=lambda j: (usable[j][0].source_file != "Phoenix.Countries.actors.txt", j)
    ):
        root = find(keys_of[i][0])
        actor_id = usable[i][1][1]
        if root not in chosen or (actor_id in curated and chosen[root] not in curated):
            chosen[root] = actor_id
    out = []
    for i, (r, info) in enumerate(usable):
        if i in keys_of:
            kind, _, iso, aff = info
            info = (kind, chosen[find(keys_of[i][0])], iso, aff)
        out.append((r, info))
    return out


def _settle_people(builder: _Builder) -> None:
    """A person's current code, country and affiliation come from all of
    their roles (records merged from several files), by the rule of
    ``current_code``."""
    by_actor: dict[str, list[RoleRow]] = defaultdict(list)
    for role in builder.roles:
        by_actor[role.actor_id].append(role)
    for actor_id, roles in by_actor.items():
        open_ended = [x for x in roles if x.valid_from and not x.valid_to]
        defaults = [x for x in roles if x.restriction == "default"]
        if open_ended:
            now = max(open_ended, key=lambda x: (x.valid_from, x.cameo_code))
        elif defaults:
            now = min(defaults, key=lambda x: x.cameo_code)
        else:
            now = max(roles, key=lambda x: (x.valid_to, x.valid_from, x.cameo_code))
        actor = builder.actors[actor_id]
        where = builder._country_name(now.country_code) if now.country_code else "international"
        actor.cameo_code, actor.sector, actor.country_code = (
            now.cameo_code,
            now.sector,
            now.country_code,
        )
        actor.affiliation_actor_id = now.organization_actor_id
        actor.description = f"{now.role_title}, {where} (CAMEO {now.cameo_code})"


def build_actor_tables(
    parsed: list[tuple[list[Record], list[ParseIssue]]], reference: Reference
) -> ActorTables:
    """Turn parsed records of all actor files into the three seed tables."""
    records = [r for recs, _ in parsed for r in recs]
    skipped = [i for _, issues in parsed for i in issues]
    countries = set(reference.country_names) | set(cc.CAMEO_TO_ISO3)
    for r in records:
        for c in r.codes:
            if re.fullmatch(r"[A-Z]{3}", c.code):
                countries.add(c.code)
    builder = _Builder(reference, frozenset(countries - cc.INTERNATIONAL_PREFIXES))
    stats = builder.stats
    stats["records"] = len(records)

    usable: list[tuple[Record, tuple[str, str, str, str]]] = []
    for r in records:
        if not r.codes:
            if r.bad_codes:
                key, reason = (
                    "records_skipped_bad_dates_only",
                    "its only codes have unreadable dates",
                )
            elif r.null_codes:
                key, reason = "records_skipped_null_code_only", "null code [---] only"
            else:
                key, reason = "records_skipped_no_code", "no code (PETRARCH codes it as nothing)"
            skipped.append(
                ParseIssue(r.source_file, r.line_no, r.primary, f"record skipped: {reason}")
            )
            stats[key] += 1
            continue
        usable.append((r, builder.classify(r)))
    usable = _merge_people(usable, reference)
    for r, (kind, _, iso, _) in usable:
        if kind in ("country", "territory"):
            builder.fallback_names.setdefault(iso, display_name(r.primary))

    # bodies first: roles point at them by code. A code's body is its first
    # record (file order) that the project already knows, else its first record.
    preferred = set(reference.organizations.values()) | set(reference.curated_bodies.values())
    bodies = [(r, actor_id) for r, (kind, actor_id, _, _) in usable if kind == "organization"]
    for r, actor_id in sorted(
        bodies, key=lambda x: (x[1] not in preferred, x[0].source_file, x[0].line_no)
    ):
        builder.code_to_org.setdefault(current_code(r).code, actor_id)

    seen_primary: set[str] = set()
    for r, (kind, actor_id, iso, affiliation) in usable:
        now = current_code(r)
        _, sector = cc.split_code(now.code, builder.countries)
        if actor_id in builder.actors:
            stats["records_merged_into_existing_id"] += 1
        else:
            if kind == "country":
                name = (
                    builder._country_name(iso)
                    if iso in reference.country_names
                    else display_name(r.primary)
                )
            elif actor_id in reference.organization_names:
                name = reference.organization_names[actor_id]
            else:
                name = display_name(r.primary, acronyms=kind in ("organization", "group"))
            if kind == "person" and not affiliation:
                affiliation = builder.organization_for(now.code)
            if kind == "organization" and not affiliation:
                country, _ = cc.split_code(now.code, builder.countries)
                owner = (
                    builder.organization_for(now.code) if country else builder.parent_org(now.code)
                )
                affiliation = owner if owner != actor_id else ""
            where = builder._country_name(iso) if iso else "international"
            label = (
                cc.sector_label(sector) if kind not in ("country", "territory") else kind.title()
            )
            description = f"{label}, {where} (CAMEO {now.code})"
            builder.actors[actor_id] = ActorRow(
                actor_id,
                name,
                kind,
                iso,
                affiliation,
                description,
                now.code,
                sector,
                r.source_file,
                r.line_no,
            )
            stats["actors_" + kind] += 1
        for i, name in enumerate([r.primary, *r.synonyms]):
            is_primary = i == 0 and actor_id not in seen_primary
            alias_type = _alias_type(kind, is_primary, name, iso, reference)
            builder.aliases.setdefault((actor_id, fold(name)), AliasRow(actor_id, name, alias_type))
        seen_primary.add(actor_id)
        if kind == "person":
            for c in r.codes:
                country, sec = cc.split_code(c.code, builder.countries)
                builder.roles.add(
                    RoleRow(
                        actor_id,
                        cc.sector_label(sec),
                        builder.organization_for(c.code),
                        c.restriction.valid_from,
                        c.restriction.valid_to,
                        c.restriction.kind,
                        c.code,
                        cc.iso3(country),
                        sec,
                    )
                )

    _settle_people(builder)
    actors = sorted(builder.actors.values(), key=lambda a: a.actor_id)
    aliases = sorted(builder.aliases.values(), key=lambda a: (a.actor_id, fold(a.alias), a.alias))
    roles = sorted(
        builder.roles, key=lambda x: (x.actor_id, x.valid_from, x.valid_to, x.cameo_code)
    )
    stats["aliases"] = len(aliases)
    stats["roles"] = len(roles)
    return ActorTables(actors, aliases, roles, dict(stats), skipped)

"""World people with dated government roles: the compact seeds the models read.

The converted Phoenix seeds (``phoenix_actors.csv`` and friends, ~90k rows) are
too big to seed on every build, and most of their people never speak for a
state. This step keeps the people who held a government or intergovernmental
role that was still running in 2005 or later (the corpora cover 2009 on), plus
every person of ``recent_roles.csv`` (roles written for this project where the
dictionaries stop), and writes three small seeds next to them:

- ``world_people.csv``: ``actor_id, actor_name, country_code``;
- ``world_person_aliases.csv``: the dictionaries' full names and variants,
  and a ``surname`` row for a one-word variant or a name's last word, which
  the matcher reads only when written with a capital ("Morsi", not "morsi");
- ``world_person_roles.csv``: dated roles, each pointing at a government
  (``gov-xxx``) or an organisation of the reference seed (``org-xxx``).

People the curated seed (``seeds/actors/actors.csv``) already knows are left
out: curated rows win. Deterministic: the same seeds give the same bytes.
``python -m liveledger.dictionaries.people`` rewrites them.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import LiveledgerError
from .convert import to_csv
from .names import fold

EARLIEST_ROLE_END = "2005-01-01"
DATED_RESTRICTIONS = frozenset({"between", "after", "on_or_after"})
# a one-word alias that is also a calendar word would match dates
CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november "
    "december monday tuesday wednesday thursday friday saturday sunday".split()
)


class PeopleSeedError(LiveledgerError):
    """A seed the derivation reads is missing or lacks a column."""


@dataclass(frozen=True)
class Person:
    actor_id: str
    actor_name: str
    country_code: str


@dataclass(frozen=True)
class PersonAlias:
    actor_id: str
    alias: str
    alias_type: str


@dataclass(frozen=True)
class PersonRole:
    actor_id: str
    role_title: str
    organization_actor_id: str
    valid_from: str
    valid_to: str


def _read(path: Path, columns: set[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise PeopleSeedError(f"{path}: not found; run `python -m liveledger.dictionaries` first")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = columns - set(reader.fieldnames or [])
        if missing:
            raise PeopleSeedError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return list(reader)


def _title(text: str) -> str:
    """``MOHAMED MORSI`` -> ``Mohamed Morsi``; mixed-case text is kept as is."""
    if text != text.upper():
        return text
    return " ".join("-".join(p[:1] + p[1:].lower() for p in w.split("-")) for w in text.split())


def _known_organizations(seeds: Path) -> set[str]:
    rows = _read(seeds / "reference" / "international_organizations.csv", {"organization_code"})
    return {"org-" + row["organization_code"].lower() for row in rows}


def _known_countries(seeds: Path) -> set[str]:
    rows = _read(seeds / "reference" / "countries.csv", {"country_code"})
    return {row["country_code"] for row in rows}


def _role_is_kept(row: dict[str, str], organizations: set[str], countries: set[str]) -> bool:
    organization = row["organization_actor_id"]
    if row["restriction"] not in DATED_RESTRICTIONS or not row["valid_from"]:
        return False
    if row["valid_to"] and row["valid_to"] < EARLIEST_ROLE_END:
        return False
    if organization.startswith("gov-"):
        return organization[4:].upper() in countries and row["sector"].startswith("GOV")
    return organization in organizations and row["sector"].startswith("IGO")


def derive(
    dictionaries: Path, seeds: Path
) -> tuple[list[Person], list[PersonAlias], list[PersonRole]]:
    """The three tables, sorted, from the converted seeds in ``dictionaries``."""
    curated = {row["actor_id"] for row in _read(seeds / "actors" / "actors.csv", {"actor_id"})}
    organizations = _known_organizations(seeds)
    countries = _known_countries(seeds)
    actors = {
        row["actor_id"]: row
        for row in _read(
            dictionaries / "phoenix_actors.csv", {"actor_id", "actor_name", "country_code"}
        )
    }
    roles: list[PersonRole] = []
    for row in _read(
        dictionaries / "phoenix_actor_roles.csv",
        {
            "actor_id",
            "role_title",
            "organization_actor_id",
            "valid_from",
            "valid_to",
            "restriction",
            "sector",
        },
    ):
        if row["actor_id"].startswith("person-") and _role_is_kept(row, organizations, countries):
            roles.append(
                PersonRole(
                    row["actor_id"],
                    row["role_title"],
                    row["organization_actor_id"],
                    row["valid_from"],
                    row["valid_to"],
                )
            )
    people: dict[str, Person] = {}
    for role in roles:
        actor = actors.get(role.actor_id)
        if actor is not None:
            people[role.actor_id] = Person(
                role.actor_id, actor["actor_name"], actor["country_code"]
            )
    recent = _read(
        dictionaries / "recent_roles.csv",
        {
            "actor_id",
            "actor_name",
            "country_code",
            "role_title",
            "organization_actor_id",
            "valid_from",
            "valid_to",
        },
    )
    recent_roles = [
        PersonRole(
            row["actor_id"],
            row["role_title"],
            row["organization_actor_id"],
            row["valid_from"],
            row["valid_to"],
        )
        for row in recent
    ]
    # the hand-dated roles are the precise ones: a dictionary role of the same
    # person in the same government or body that overlaps one gives way (the
    # dictionaries often leave a role open that ended: Morales, 2019-11-10)
    precise_by_holder: dict[tuple[str, str], list[PersonRole]] = {}
    for precise in recent_roles:
        precise_by_holder.setdefault((precise.actor_id, precise.organization_actor_id), []).append(
            precise
        )
    roles = [
        role
        for role in roles
        if not any(
            _overlaps(role, precise)
            for precise in precise_by_holder.get((role.actor_id, role.organization_actor_id), [])
        )
    ]
    for row, role in zip(recent, recent_roles, strict=True):
        people.setdefault(
            row["actor_id"], Person(row["actor_id"], row["actor_name"], row["country_code"])
        )
        roles.append(role)
    people = {key: person for key, person in people.items() if key not in curated}
    # one role per (person, title, organisation, start): two sources may end
    # it differently; the later end wins, an open end latest of all
    merged: dict[tuple[str, str, str, str], PersonRole] = {}
    for role in roles:
        if role.actor_id not in people:
            continue
        key = (role.actor_id, role.role_title, role.organization_actor_id, role.valid_from)
        kept = merged.get(key)
        if kept is None or _ends_later(role.valid_to, kept.valid_to):
            merged[key] = role
    roles = sorted(
        merged.values(),
        key=lambda r: (r.actor_id, r.valid_from, r.organization_actor_id, r.role_title),
    )
    aliases = _aliases(dictionaries, people)
    return sorted(people.values(), key=lambda p: p.actor_id), aliases, roles


def _overlaps(role: PersonRole, other: PersonRole) -> bool:
    """Whether two roles' periods share a day ('' as an end = still running)."""
    return (not other.valid_to or role.valid_from <= other.valid_to) and (
        not role.valid_to or other.valid_from <= role.valid_to
    )


def _ends_later(end: str, other: str) -> bool:
    """Whether role end ``end`` is later than ``other`` ('' = still running)."""
    if not other:
        return False
    return not end or end > other


def _aliases(dictionaries: Path, people: dict[str, Person]) -> list[PersonAlias]:
    names: dict[tuple[str, str], PersonAlias] = {}

    def add(actor_id: str, text: str, alias_type: str) -> None:
        alias = _title(" ".join(text.split()))
        words = alias.split()
        if not words:
            return
        if len(words) == 1:
            if fold(alias) in CALENDAR_WORDS or len(alias) < 3:
                return
            alias_type = "surname"
        names.setdefault((actor_id, fold(alias)), PersonAlias(actor_id, alias, alias_type))

    for person in people.values():
        add(person.actor_id, person.actor_name, "full_name")
    for row in _read(
        dictionaries / "phoenix_actor_aliases.csv", {"actor_id", "alias", "alias_type"}
    ):
        if row["actor_id"] in people and row["alias_type"] in ("full_name", "variant"):
            add(row["actor_id"], row["alias"], row["alias_type"])
    for person in people.values():
        words = person.actor_name.split()
        if len(words) > 1:
            add(person.actor_id, words[-1], "surname")
    surnames: dict[str, list[str]] = {}
    for (actor_id, folded), alias in names.items():
        if alias.alias_type == "surname":
            surnames.setdefault(actor_id, []).append(folded)
    for alias in list(names.values()):
        spelling = _surname_spelling(alias, surnames.get(alias.actor_id, []))
        if spelling and (alias.actor_id, fold(spelling)) not in names:
            add(alias.actor_id, spelling, "surname")
    return sorted(names.values(), key=lambda a: (a.actor_id, fold(a.alias)))


def _surname_spelling(alias: PersonAlias, surnames: list[str]) -> str | None:
    """The last word of a variant when it spells one of the person's surnames.

    Transliterated names come in several spellings ("Muammar Qaddafi",
    "Moammar Gadhafi") and a report uses the bare surname in the spelling of
    its outlet. A variant's last word is a surname too when it is within
    :func:`close_spelling` of a surname the person already has; other last
    words ("Obama Administration", "Felipe VI") are not names of the person.
    """
    words = alias.alias.split()
    if alias.alias_type == "surname" or len(words) < 2:
        return None
    last = words[-1]
    if len(last) < 4:
        return None
    if any(close_spelling(fold(last), surname) for surname in surnames):
        return last
    return None


def close_spelling(word: str, other: str) -> bool:
    """Two spellings of one name: edit distance at most a third of the longer.

    "gadhafi"/"qaddafi" (2 of 7) and "rowhani"/"rouhani" (1) are close;
    "administration"/"obama" is not.
    """
    limit = max(len(word), len(other)) // 3
    if abs(len(word) - len(other)) > limit:
        return False
    previous = list(range(len(other) + 1))
    for i, char in enumerate(word, 1):
        current = [i]
        for j, other_char in enumerate(other, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other_char))
            )
        previous = current
    return previous[-1] <= limit


def write(dictionaries: Path, seeds: Path, out: Path) -> dict[str, int]:
    """Write the three seeds into ``out``; returns rows per file."""
    people, aliases, roles = derive(dictionaries, seeds)
    tables = {
        "world_people.csv": to_csv(people, ["actor_id", "actor_name", "country_code"]),
        "world_person_aliases.csv": to_csv(aliases, ["actor_id", "alias", "alias_type"]),
        "world_person_roles.csv": to_csv(
            roles, ["actor_id", "role_title", "organization_actor_id", "valid_from", "valid_to"]
        ),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (out / name).write_text(text, encoding="utf-8")
    return {
        "world_people.csv": len(people),
        "world_person_aliases.csv": len(aliases),
        "world_person_roles.csv": len(roles),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liveledger.dictionaries.people",
        description="Derive the world-people seeds (people with government roles since 2005, "
        "their aliases and dated roles) from the converted dictionary seeds.",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=Path("seeds"),
        help="the project's seeds folder (default: seeds)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="where to write (default: SEEDS/dictionaries)"
    )
    args = parser.parse_args(argv)
    dictionaries = args.seeds / "dictionaries"
    try:
        counts = write(dictionaries, args.seeds, args.out or dictionaries)
    except LiveledgerError as exc:
        print(f"liveledger: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for name, count in counts.items():
        print(f"{(args.out or dictionaries) / name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

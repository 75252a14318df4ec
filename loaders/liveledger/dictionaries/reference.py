"""Read the project's own seeds that the conversion lines up with.

Countries keep the names of ``seeds/reference/countries.csv``; a person or
body already curated in ``seeds/actors/`` keeps its curated id (matched on a
full name or variant, never a bare surname), and an international
organisation of ``seeds/reference/international_organizations.csv`` keeps its
``org-<code>`` id, so the derived seeds can be merged with the curated ones.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from ..errors import InputFileError
from .actors import Reference
from .names import fold


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise InputFileError(
            f"cannot read the reference seed {path}: {exc.strerror}; "
            "run from the repository root or pass --seeds"
        ) from exc


def load_reference(seeds: Path) -> Reference:
    """Load the reference seeds under ``seeds`` (the repo's ``seeds/``)."""
    names: dict[str, str] = {}
    demonyms: dict[str, set[str]] = defaultdict(set)
    capitals: dict[str, set[str]] = defaultdict(set)
    for row in _rows(seeds / "reference" / "countries.csv"):
        iso = row["country_code"]
        names[iso] = row["country_name"]
        demonyms[iso] |= {fold(d) for d in row["demonyms"].split("|") if d}
        if row["capital"]:
            capitals[iso].add(fold(row["capital"]))
    cities: dict[str, set[str]] = defaultdict(set)
    for row in _rows(seeds / "reference" / "world_cities.csv"):
        cities[row["country_code"]].add(fold(row["city_name"]))
    organizations: dict[str, str] = {}
    organization_names: dict[str, str] = {}
    for row in _rows(seeds / "reference" / "international_organizations.csv"):
        org_id = "org-" + row["organization_code"].lower()
        organization_names[org_id] = row["organization_name"]
        for name in [row["organization_name"], *row["aliases"].split("|")]:
            if name and len(name) > 3:  # "UN" alone is too short to trust
                organizations.setdefault(fold(name), org_id)
    people: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for row in _rows(seeds / "actors" / "actor_aliases.csv"):
        target = people if row["actor_id"].startswith("person-") else bodies
        if row["alias_type"] in ("full_name", "variant", "institution", "metonym"):
            target.setdefault(fold(row["alias"]), row["actor_id"])
    for row in _rows(seeds / "actors" / "actors.csv"):
        target = people if row["actor_id"].startswith("person-") else bodies
        target.setdefault(fold(row["actor_name"]), row["actor_id"])
    return Reference(
        names,
        dict(demonyms),
        dict(capitals),
        dict(cities),
        organizations,
        organization_names,
        people,
        bodies,
    )

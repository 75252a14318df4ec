"""Map a dateline city to its IANA time zone.

"(all times local)" means the clock times are the dateline city's. The
lookup reads the project's reference seeds (``seeds/reference/``), so the
loader and the dbt models share one list of cities and countries that an
analyst can review and extend. A city name that exists in several countries
is settled by the dateline's second part ("VALENCIA, Spain"); if it cannot
be settled we report the candidates instead of picking one.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectError

#: Explicit zone words seen in intros such as "(all times EDT)".
ZONE_WORDS = {
    "gmt": "UTC",
    "utc": "UTC",
    "z": "UTC",
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "eastern": "America/New_York",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "bst": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
}


def fold(name: str) -> str:
    """Case- and accent-insensitive key: "SÃO PAULO" and "Sao Paulo" match."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("’", "'").casefold().split())


@dataclass(frozen=True)
class City:
    name: str
    country_code: str
    time_zone: str


@dataclass(frozen=True)
class ZoneAnswer:
    """The zone for a dateline, or the reason there is none."""

    time_zone: str | None
    detail: str


class PlaceIndex:
    """Cities by folded name, and country names/variants by folded name."""

    def __init__(self, cities: list[City], country_names: dict[str, str]) -> None:
        self._cities: dict[str, list[City]] = defaultdict(list)
        for city in cities:
            self._cities[fold(city.name)].append(city)
        self._country_names = {fold(k): v for k, v in country_names.items()}

    @classmethod
    def from_seed_dir(cls, reference_dir: Path) -> PlaceIndex:
        """Read ``world_cities.csv`` and ``countries.csv`` from the seeds."""
        cities_file = reference_dir / "world_cities.csv"
        countries_file = reference_dir / "countries.csv"
        for needed in (cities_file, countries_file):
            if not needed.is_file():
                raise ProjectError(
                    f"reference seed {needed} is missing; run liveledger from a "
                    "liveledger checkout or set LIVELEDGER_PROJECT_DIR"
                )
        with cities_file.open(encoding="utf-8", newline="") as handle:
            cities = [
                City(row["city_name"], row["country_code"], row["time_zone"])
                for row in csv.DictReader(handle)
            ]
        names: dict[str, str] = {}
        with countries_file.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["country_code"]
                variants = [row["country_name"], code, row["country_code_alpha2"]]
                variants += [v for v in row["official_name_variants"].split("|") if v]
                for variant in variants:
                    names.setdefault(variant, code)
        return cls(cities, names)

    def zone_for(self, city: str, region: str | None) -> ZoneAnswer:
        """The IANA zone of a dateline city, using the region to disambiguate."""
        candidates = self._cities.get(fold(city), [])
        if not candidates:
            return ZoneAnswer(None, f"the dateline city {city!r} is not in the city list")
        if region:
            country = self._country_names.get(fold(region))
            in_country = [c for c in candidates if c.country_code == country]
            if in_country:
                candidates = in_country
        zones = sorted({c.time_zone for c in candidates})
        if len(zones) == 1:
            return ZoneAnswer(zones[0], f"dateline city {candidates[0].name}")
        where = ", ".join(f"{c.name} ({c.country_code})" for c in candidates)
        return ZoneAnswer(None, f"the dateline city {city!r} is ambiguous: {where}")

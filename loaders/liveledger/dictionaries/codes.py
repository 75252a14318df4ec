"""CAMEO actor codes: a country (or international prefix) plus 3-letter parts.

``CMRGOV`` is Cameroon + government, ``IGOUNOWFP`` the international
prefix ``IGO`` + the UN + the World Food Programme. The labels below are the
CAMEO manual's names for its role and sector codes; a part without a label
keeps its code as its label.
"""

from __future__ import annotations

SECTOR_LABELS = {
    "GOV": "Government",
    "MIL": "Military",
    "REB": "Rebels",
    "OPP": "Opposition",
    "PTY": "Political party",
    "COP": "Police",
    "JUD": "Judiciary",
    "SPY": "Intelligence",
    "MED": "Media",
    "EDU": "Education",
    "BUS": "Business",
    "CRM": "Criminal",
    "CVL": "Civilians",
    "LEG": "Legislature",
    "ELI": "Elites",
    "HLH": "Health",
    "HRI": "Human rights",
    "LAB": "Labour",
    "REF": "Refugees",
    "MOD": "Moderate",
    "RAD": "Radical",
    "AGR": "Agriculture",
    "DEV": "Development",
    "ENV": "Environment",
    "REL": "Religious",
    "UAF": "Unaligned armed forces",
    "SEP": "Separatists",
    "INS": "Insurgents",
    "IGO": "Intergovernmental organisation",
    "NGO": "Non-governmental organisation",
    "NGM": "Non-governmental movement",
    "IMG": "International militarised group",
    "MNC": "Multinational corporation",
    "PPL": "People",
    "MUS": "Muslim",
    "CHR": "Christian",
    "JEW": "Jewish",
    "HIN": "Hindu",
    "BUD": "Buddhist",
    "CTH": "Catholic",
    "PRO": "Protestant",
    "ORT": "Orthodox",
    "CPT": "Coptic",
    "SHI": "Shia",
    "SNI": "Sunni",
    "UNR": "Unrecognised",
    "OCC": "Occupied",
    "AUT": "Autonomous",
    "SET": "Settlers",
    "UIS": "Unidentified state actor",
}

#: CAMEO country codes that are not the ISO 3166 alpha-3 code of the country.
CAMEO_TO_ISO3 = {"KSV": "XKX", "TMP": "TLS"}

#: Prefixes of codes for actors that belong to no one country.
INTERNATIONAL_PREFIXES = frozenset({"IGO", "NGO", "NGM", "IMG", "MNC", "UIS", "INT"})


def iso3(cameo_country: str) -> str:
    """The ISO alpha-3 code for a CAMEO country code (most are the same)."""
    return CAMEO_TO_ISO3.get(cameo_country, cameo_country)


def split_code(code: str, countries: frozenset[str]) -> tuple[str, str]:
    """``CMRGOVJUD`` -> (``CMR``, ``GOVJUD``); ``IGOUNO`` -> ('', ``IGOUNO``).

    The first three letters are a country when they are a known country code;
    otherwise the whole code is a sector-like code with no country.
    """
    head = code[:3]
    if head in countries and head not in INTERNATIONAL_PREFIXES:
        return head, code[3:]
    return "", code


def sector_label(sector: str) -> str:
    """The label of the first part: ``GOVJUD`` -> ``Government``."""
    if not sector:
        return "Country"
    return SECTOR_LABELS.get(sector[:3], sector[:3])

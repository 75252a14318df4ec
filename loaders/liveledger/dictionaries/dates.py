"""Dates and date restrictions of the actor dictionaries.

A date is ``YYMMDD`` or ``YYYYMMDD``; like PETRARCH (and KEDS and TABARI
before it) a two-digit year up to 30 is 20YY, otherwise 19YY. A restriction
is ``<date`` (before), ``>date`` (from), ``date-date`` (between, both
inclusive) or nothing (the default code). We are stricter than PETRARCH
about length: a date that is not exactly 6 or 8 digits (``2004017``,
``1920030320``) is a typo in the source, and reading it anyway would invent a
date, so it is rejected and the conversion report lists it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


class DictionaryDateError(ValueError):
    """A date or restriction in a dictionary cannot be read."""


@dataclass(frozen=True)
class Restriction:
    """When a code applies: ``valid_from``/``valid_to`` are ISO dates or ''."""

    valid_from: str
    valid_to: str
    kind: str  # default | after | before | between | on_or_after


def parse_date(text: str) -> str:
    """``821106`` -> ``1982-11-06``; ``20070101`` -> ``2007-01-01``."""
    if not re.fullmatch(r"\d{6}|\d{8}", text):
        raise DictionaryDateError(f"date {text!r} is neither YYMMDD nor YYYYMMDD")
    if len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise DictionaryDateError(f"date {text!r} is not a calendar date") from exc


def parse_restriction(text: str) -> Restriction:
    """Read the part of ``[CODE restriction]`` after the code.

    Blanks inside are ignored (``> 140608`` is ``>140608``), as PETRARCH does.
    A bare date (``[MNEGOV 20121204]``) is read as "from that date": PETRARCH
    has no rule for it and every such line in the files marks a start.
    """
    spec = "".join(text.split())
    if not spec:
        return Restriction("", "", "default")
    if spec.startswith(">"):
        return Restriction(parse_date(spec[1:]), "", "after")
    if spec.startswith("<"):
        return Restriction("", parse_date(spec[1:]), "before")
    if "-" in spec:
        start, _, end = spec.partition("-")
        return Restriction(parse_date(start), parse_date(end), "between")
    return Restriction(parse_date(spec), "", "on_or_after")

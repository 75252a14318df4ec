"""Turn dictionary phrases into display names, aliases and stable ids.

Dictionary phrases are upper case with ``_`` between words and a trailing
``_`` that marks a whole word (``PAUL_BIYA_``). Aliases keep the dictionary's
spelling (matching is case-insensitive downstream); display names are
title-cased with a few general rules (particles, Mc-, initials, Roman
numerals, acronyms without vowels), never per-name exceptions.
"""

from __future__ import annotations

import re
import unicodedata

LOWER_PARTICLES = frozenset(
    "al el ad as ash at az ar an de da das do dos del della der den di du la le les "
    "van von bin ibn bint ben y e of the and for on in to at ul ud".split()
)
ROMAN = re.compile(r"^(II|III|IV|VI|VII|VIII|IX|XI|XII|XIII|XIV|XV|XVI)$")
VOWELS = set("AEIOUY")


def phrase_text(phrase: str) -> str:
    """``AFGHAN_NATIONAL_ARMY_`` -> ``AFGHAN NATIONAL ARMY`` (case kept).

    Double quotes (nicknames: ``MANUEL_HELDER_DIAS_"KOPELIPA"``) become
    single quotes, so no CSV cell needs an escaped quote: DuckDB's CSV
    sniffer misreads those when the first rows have none.
    """
    return " ".join(phrase.replace("_", " ").replace('"', "'").split())


def fold(text: str) -> str:
    """Case-, accent- and blank-insensitive key for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("’", "'").casefold().split())


def slug(text: str) -> str:
    """``Bashar al-Assad`` -> ``bashar-al-assad``: ASCII, lower, ``-`` between."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _cap(part: str) -> str:
    if not part:
        return part
    if "'" in part:
        head, _, tail = part.partition("'")
        tail_cased = tail.lower() if len(tail) <= 1 else _cap(tail)
        return _cap(head) + "'" + tail_cased
    lead = len(part) - len(part.lstrip("'([-"))
    if lead:
        return part[:lead] + _cap(part[lead:])
    if part.upper().startswith("MC") and len(part) > 3:
        return "Mc" + part[2:3].upper() + part[3:].lower()
    return part[:1].upper() + part[1:].lower()


def _title_word(word: str, first: bool, acronyms: bool) -> str:
    upper = word.upper()
    if ROMAN.match(upper):
        return upper
    if "." in word and re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", word):
        return upper  # initials such as R.K.
    letters = re.sub(r"[^A-Za-z]", "", word)
    if acronyms and len(letters) >= 2 and not (set(letters.upper()) & VOWELS):
        return upper  # FBI, NSC, PLA
    if word.startswith("(") and word.endswith(")") and acronyms:
        return upper  # (AAIA)
    parts = word.split("-")
    out = []
    for i, part in enumerate(parts):
        lower = part.lower()
        if (not first or i > 0) and lower in LOWER_PARTICLES:
            out.append(lower)
        elif first and i == 0 and lower in LOWER_PARTICLES and len(parts) > 1:
            out.append(lower)  # al-Nusra at the start stays lower
        else:
            out.append(_cap(part))
    return "-".join(out)


def display_name(phrase: str, acronyms: bool = False) -> str:
    """``PAUL_BIYA_`` -> ``Paul Biya``; ``BASHAR_AL-ASSAD`` -> ``Bashar al-Assad``.

    ``acronyms`` (organisations and groups): keep vowel-less words and a
    one-word name of up to six letters in capitals (``NATO``, ``FBI``).
    """
    words = phrase_text(phrase).split()
    if acronyms and len(words) == 1 and len(re.sub(r"[^A-Za-z]", "", words[0])) <= 6:
        return words[0].upper()
    return " ".join(_title_word(w, i == 0, acronyms) for i, w in enumerate(words))

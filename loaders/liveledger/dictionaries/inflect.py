"""A small rule-based English inflector for verbs and nouns.

It knows only general spelling rules; irregular forms come from the
dictionary itself (``BRING {BRINGS BRINGING BROUGHT}``), never from a list
typed here. Doubling of a final consonant (``ban`` -> ``banned``) is applied
to one-syllable verbs and to the unstressed-looking endings the rules cannot
see are stressed (``-mit``, ``-pel``, ``-cur``, ``-fer`` after one vowel is
left alone: ``offer`` -> ``offered``); the file's own forms win over these
rules whenever it gives them.
"""

from __future__ import annotations

import re

VOWELS = "aeiou"
SIBILANT = re.compile(r"(s|x|z|ch|sh)$")
STRESSED_FINAL = re.compile(r"(mit|pel|cur)$")


def _vowel_groups(word: str) -> int:
    return len(re.findall(r"[aeiouy]+", word))


def _doubles(word: str) -> bool:
    """Whether the final consonant doubles before -ed/-ing (ban -> banned)."""
    if not re.search(r"[^aeiou][aeiou][bcdfgklmnprstvz]$", word):
        return False
    if _vowel_groups(word) == 1:
        return True
    return bool(STRESSED_FINAL.search(word))


def third_person(word: str) -> str:
    """accuse -> accuses, deny -> denies, push -> pushes, veto -> vetoes."""
    if SIBILANT.search(word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"[^aeiou]o$", word):
        return word + "es"
    return word + "s"


def past(word: str) -> str:
    """condemn -> condemned, deny -> denied, expel -> expelled, agree -> agreed."""
    if word.endswith("e"):
        return word + "d"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ied"
    if _doubles(word):
        return word + word[-1] + "ed"
    return word + "ed"


def present_participle(word: str) -> str:
    """accuse -> accusing, lie -> lying, agree -> agreeing, ban -> banning."""
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not re.search(r"(ee|ye|oe)$", word):
        return word[:-1] + "ing"
    if _doubles(word):
        return word + word[-1] + "ing"
    return word + "ing"


def plural(noun: str) -> str:
    """minister -> ministers, deputy -> deputies, boss -> bosses."""
    return third_person(noun)


def regular_forms(word: str) -> dict[str, str]:
    """The regular forms of a verb: base, s, past (= past participle), ing."""
    return {
        "base": word,
        "s": third_person(word),
        "past": past(word),
        "ing": present_participle(word),
    }


NOUN_SUFFIXES = (
    (re.compile(r"ate$"), "ation"),  # negotiate -> negotiation
    (re.compile(r"ize$"), "ization"),  # stabilize -> stabilization
    (re.compile(r"ise$"), "isation"),
    (re.compile(r"ify$"), "ification"),  # justify -> justification
    (re.compile(r"mn$"), "mnation"),  # condemn -> condemnation
    (re.compile(r"ect$"), "ection"),  # reject -> rejection, protect -> protection
    (re.compile(r"ess$"), "ession"),  # express -> expression
    (re.compile(r"ume$"), "umption"),  # resume -> resumption
    (re.compile(r"ire$"), "iry"),
    (re.compile(r"ove$"), "oval"),  # approve -> approval
    (re.compile(r"use$"), "usal"),  # refuse -> refusal
    (re.compile(r"ert$"), "ertion"),  # assert -> assertion
    (re.compile(r"ort$"), "ortation"),  # deport -> deportation
    (re.compile(r"end$"), "ension"),  # suspend -> suspension
    (re.compile(r"ict$"), "iction"),  # restrict -> restriction
    (re.compile(r"uct$"), "uction"),  # obstruct -> obstruction
    (re.compile(r"ain$"), "aint"),  # complain -> complaint
    (re.compile(r"el$"), "ulsion"),  # expel -> expulsion
    (re.compile(r"ve$"), "f"),
    (re.compile(r"e$"), "ation"),  # accuse -> accusation
    (re.compile(r"$"), "ment"),  # agree -> agreement
)


def noun_candidates(verb: str) -> list[str]:
    """Nouns the general suffix rules derive from a verb, best first.

    These are guesses: the caller keeps only those the dictionary itself
    attests (see ``verbs.attested_nouns``).
    """
    out = [verb]  # zero derivation: support -> support
    for pattern, suffix in NOUN_SUFFIXES:
        if pattern.search(verb):
            out.append(pattern.sub(suffix, verb))
    if verb.endswith("e"):
        out.append(verb[:-1] + "ment")
    return list(dict.fromkeys(out))

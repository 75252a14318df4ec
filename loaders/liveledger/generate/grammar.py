"""Just enough English for the seeds' names and cue phrases to read right.

The seeds list names ("United States", "Kremlin", "NATO") and cue phrases
("supports", "backed", "calling for", "ready to mediate") without saying how
they fit in a sentence. The generator needs to know whether a name takes
"the" and which kind of verb form (or noun, or state) a cue is, so that it
picks a sentence frame the cue fits. These are heuristics, not a grammar:
they are right for the seeds' words and readable for the rest. Every
function here is pure (strings in, strings out) so it can be tested alone.
"""

from __future__ import annotations

# Cue shapes. English needs a little help here: a handful of irregular past
# tenses and heads that read as states ("ready to mediate", "shocked by").
IRREGULAR_PAST = {
    "stand": "stood",
    "break": "broke",
    "hold": "held",
    "speak": "spoke",
    "meet": "met",
    "cut": "cut",
}
STATE_HEADS = {"ready", "willing", "shocked"}
PREPOSITIONS = {"of", "with", "to", "by", "up", "behind", "on", "for", "against", "from", "in"}
#: What joins a cue to its target, by the cue's last word ("broke relations" + "with").
LINKS = {
    "relations": " with",
    "ties": " with",
    "talks": " with",
    "diplomats": " out of",
    "angrily": " to",
}


def with_article(name: str, *, variants: str = "") -> str:
    """Add "the" where English wants it: "the U.N.", "the Kremlin", not "NATO".

    A heuristic, not a grammar: it is right for the seeds' names and readable
    for the rest.
    """
    if name.lower().startswith("the "):
        return "the " + name[4:]
    words = name.split()
    the_variant = f"The {name}" in variants.split("|")
    if (
        name.startswith("United ")
        or words[-1] in {"Republic", "Islands", "Kingdom", "Emirates"}
        or "." in name
        or (name.isupper() and len(name) <= 3)
        or (the_variant and name.endswith("s"))
    ):
        return "the " + name
    return name


def institution(name: str, *, one_word_article: bool = True) -> str:
    """Institutions and metonyms take "the" unless possessive or an acronym.

    A one-word metonym does ("the Kremlin"), a one-word organisation name
    does not ("Oxfam"): ``one_word_article`` says which this is.
    """
    if name.lower().startswith("the ") or "'s " in name or "’s " in name:
        return with_article(name)
    if name.isupper() and " " not in name and "." not in name and len(name) > 3:
        return name  # NATO, UNICEF, FANB
    if " " not in name and not one_word_article and not name.isupper():
        return name
    if name.split()[-1] == "Street":
        return name  # Downing Street
    return "the " + name


def cue_shape(phrase: str, form: str, heads: set[str]) -> str:
    """Which sentence frame a cue fits, read from its first word.

    ``form`` is the seed's ``cue_form``; ``heads`` are the first words of
    every verb cue in the seed, which tell a verb ("supports", because
    "supported" is there too) from a noun ("dialogue").
    """
    if form != "verb":
        return form  # predicate, passive, attribution
    words = phrase.split()
    head = words[0]
    if head in STATE_HEADS:
        return "state"
    if head.endswith("ing"):
        return "gerund"
    if head.endswith("ed") or head in IRREGULAR_PAST.values():
        return "past_ed" if head.endswith("ed") else "past"
    if head.endswith("s") and any(_inflects(stem, heads) for stem in _stems(head)):
        return "present"
    if (head + "s" in heads or head + "es" in heads) and _inflects(head, heads):
        return "base"
    return "noun_prep" if words[-1] in PREPOSITIONS and len(words) > 1 else "noun"


def _stems(present: str) -> list[str]:
    stems = [present[:-1]]
    if present.endswith("es"):
        stems.append(present[:-2])
    if present.endswith("ies"):
        stems.append(present[:-3] + "y")
    return stems


def _inflects(stem: str, heads: set[str]) -> bool:
    """True if the seeds also hold a past or -ing form of ``stem`` (it is a verb)."""
    forms = {
        stem + "ed",
        stem + "d",
        stem + "ing",
        stem + stem[-1:] + "ed",
        stem[:-1] + "ing" if stem.endswith("e") else stem + "ing",
    }
    return bool(forms & heads) or IRREGULAR_PAST.get(stem) in heads


def predicate_kind(phrase: str) -> str:
    """An adjective ("illegitimate"), a noun phrase ("legitimate president") or a fragment."""
    words = phrase.split()
    if (len(words) == 1 and words[0].endswith("ate")) or words[0].endswith("ly"):
        return "adjective"
    if len(words) > 1 and words[0].endswith("ate"):
        return "noun_phrase"
    return "fragment"


def capitalize_first(sentence: str) -> str:
    """Upper-case the first letter only ("the U.N. said" -> "The U.N. said")."""
    return sentence[:1].upper() + sentence[1:]

"""Sentence templates: where a stance cue and its actors go, and neutral filler.

Kept apart from the code that fills them in so that a template can be added
or reworded without reading any logic, and so tests can check the templates
themselves (no filler may contain a stance cue, every cue shape has a frame).

Placeholders: ``{src}``/``{tgt}`` are actor mentions, ``{cue}`` the seed's
phrase, ``{link}`` joins a cue to its target, ``{tail}`` is neutral context,
``{day}`` a weekday, ``{q0}``/``{q1}`` the blog's quote marks, ``{cap}`` the
cue with a capital first letter, ``{article}`` "a " for a multi-word cue.
Frames with "it"/"its" are not used when the source is a person (the seeds
do not say whether to write "he" or "she").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .grammar import predicate_kind
from .vocabulary import Cue

#: The two quote styles a blog may use throughout.
QUOTES = {"straight": ('"', '"'), "curly": ("“", "”")}

#: Sentence frames per cue shape (see ``grammar.cue_shape``), with a target.
TARGET_FRAMES: dict[str, tuple[str, ...]] = {
    "present": (
        "{src} {cue}{link} {tgt}{tail}.",
        "{src} says it {cue}{link} {tgt}{tail}.",
        "{src} said {day} that it {cue}{link} {tgt}{tail}.",
    ),
    "past": ("{src} {cue}{link} {tgt}{tail} on {day}.", "On {day}, {src} {cue}{link} {tgt}{tail}."),
    "past_ed": (
        "{src} {cue}{link} {tgt}{tail} on {day}.",
        "{src} has {cue}{link} {tgt}{tail}.",
        "On {day}, {src} {cue}{link} {tgt}{tail}.",
    ),
    "gerund": ("{src} is {cue}{link} {tgt}{tail}.", "{src} said it was {cue}{link} {tgt}{tail}."),
    "base": (
        "{src} said it would {cue}{link} {tgt}{tail}.",
        "{src} vowed to {cue}{link} {tgt}{tail}.",
        "{src} said it would not {cue}{link} {tgt}.",
    ),
    "state": ("{src} is {cue}{link} {tgt}.", "{src} said it was {cue}{link} {tgt}."),
    "noun_prep": ("{src} spoke of its {cue} {tgt}.", "{src} stressed the {cue} {tgt}."),
    "noun": ("{src} spoke of {q0}{cue}{q1} in a statement on {tgt}.",),
    "passive": ("{tgt} is {cue} {src}.", "{tgt} has been {cue} {src}{tail}."),
    "attribution": ("{src} said the protests were {cue} {tgt}.",),
}
NOUN_ATTRIBUTION = ("{src} warned of {cue} {tgt}.",)
#: Predicates: adjectives ("illegitimate", "deeply flawed"), "the" + noun
#: phrase ("the legitimate president"), or a quoted fragment.
PREDICATE_FRAMES = {
    "adjective": ("{src} said {tgt} was {q0}{cue}.{q1}", "{src} described {tgt} as {q0}{cue}.{q1}"),
    "noun_phrase": ("{src} said {tgt} was the {cue}.", "{src} described {tgt} as the {cue}."),
    "fragment": ("{src} said of {tgt}: {q0}{cap}.{q1}",),
}
#: Frames for cues whose stance code needs no target ("called for dialogue").
TARGETLESS_FRAMES: dict[str, tuple[str, ...]] = {
    "present": ("{src} {cue}{tail}.", "{src} says it {cue}{tail}."),
    "past": ("{src} {cue}{tail} on {day}.",),
    "past_ed": ("{src} {cue}{tail} on {day}.", "{src} has {cue}{tail}."),
    "gerund": ("{src} is {cue}{tail}.",),
    "base": ("{src} said it was ready to {cue}{tail}.", "{src} is ready to {cue}{tail}."),
    "state": ("{src} is {cue}{tail}.", "{src} said it was {cue}{tail}."),
    "noun": (
        "{src} said {q0}{cue}{q1} was the only way forward.",
        "{src} said in a statement: {q0}{cap}.{q1}",
    ),
}
CALL_FOR = ("{src} called for {article}{cue}{tail}.", "{src} appealed for {article}{cue}{tail}.")

#: Neutral context after a cue, by stance code.
TAILS: dict[str, tuple[str, ...]] = {
    "support": ("", "", " in the dispute", " amid the crisis"),
    "recognize": ("", " as interim president", " as the country's leader"),
    "call_for_dialogue": ("", " between the government and the opposition"),
    "offer_dialogue": ("", " between the two sides"),
    "consult": ("", " by phone", " on the crisis"),
    "criticize": ("", " over the crackdown on protesters", " for the violence"),
    "demand": (" to release political prisoners", " to hold new elections", " to end the violence"),
    "threaten": ("", " with new measures"),
    "sanction": ("", " over the disputed vote"),
}


@lru_cache(maxsize=None)
def frames_for(cue: Cue, person: bool) -> tuple[str, ...]:
    """The frames a cue fits, without pronoun frames for a person source."""
    frames: tuple[str, ...]
    if cue.shape == "predicate":
        frames = PREDICATE_FRAMES[predicate_kind(cue.phrase)]
    elif cue.shape == "attribution" and not cue.phrase.split()[0].endswith("ed"):
        frames = NOUN_ATTRIBUTION
    elif cue.needs_target or cue.shape not in TARGETLESS_FRAMES:
        frames = TARGET_FRAMES.get(cue.shape, TARGET_FRAMES["noun"])
    elif cue.shape == "noun" and cue.phrase.split()[-1].endswith(("ion", "ions", "ue", "ess")):
        frames = TARGETLESS_FRAMES["noun"] + CALL_FOR
    else:
        frames = TARGETLESS_FRAMES[cue.shape]
    if person:
        frames = tuple(f for f in frames if not re.search(r"\bits?\b", f)) or frames
    return frames


#: Neutral sentences: no stance cue (tests check this against the seed).
FILLERS = (
    "Hundreds of people gathered in the center of {city} on {day}.",
    "Police closed several streets near the presidential palace in {city}.",
    "It was not immediately clear how many people had been injured.",
    "Officials said more details would be released later in the day.",
    "Schools and many businesses in {city} stayed closed on {day}.",
    "State television showed long lines of people waiting outside banks.",
    "The announcement came hours after a late-night meeting of senior officials in {city}.",
    "Prices of food and fuel have risen sharply in recent months.",
    "Witnesses said the situation in {city} remained tense after nightfall.",
    "At least {n} people have been detained since the protests began, according to local "
    "rights groups.",
    "Thousands of people have left the country in the past year, according to aid groups.",
    "A spokesman said at {clock} that a statement would follow.",
    "The streets of {city} were quiet early {day} after a night of clashes.",
    "Power outages were reported in several neighborhoods of {city}.",
    "Flights to and from {city} were operating normally, the airport said.",
    "Local media reported heavy traffic on the main roads out of {city}.",
    "The statement gave no further details.",
    "Markets in {city} opened lower on {day}.",
    "Details of the plan were not made public.",
    "Hundreds of soldiers were deployed around government buildings.",
    "Officials in {city} said {n} people had been treated at hospitals.",
    "Journalists were kept away from the building by security forces.",
    "The crisis has deepened since the vote in {month}.",
    "{q0}We are watching the situation very closely,{q1} one official said.",
)
#: Neutral sentences about the entry's lead actor, any kind of actor.
ACTOR_FILLERS = (
    "{short} has made similar statements in the past.",
    "It was the first public statement from {short} since the crisis began.",
    "{short} gave no timetable for the next steps.",
    "The remarks by {short} were broadcast on state television.",
)
#: Neutral sentences that only read right about a person.
PERSON_FILLERS = (
    "{actor} is expected to address the nation later {day}.",
    "{actor} spoke to reporters in {city} on {day}.",
    "{short} did not take questions from reporters.",
    "{short} made the remarks during a visit to {city}.",
    "{q0}This is a difficult moment for the country,{q1} {short} told reporters.",
    "{short} said {day} that more announcements would follow.",
)

"""An entry's text: stance sentences and neutral filler, drawn with the blog's rng.

This is where the templates of ``frames`` meet the actors and cues of the
vocabulary. Every draw goes through the blog's own ``random.Random`` in a
fixed order, which is what makes a corpus byte-identical from run to run:
reorder two draws here and every blog after the change reads differently.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .clock import MONTHS, WEEKDAYS
from .frames import ACTOR_FILLERS, FILLERS, PERSON_FILLERS, TAILS, frames_for
from .grammar import capitalize_first
from .vocabulary import Actor, Place, Vocabulary


@dataclass
class Writer:
    """Per-blog state while its sentences are written: its rng and its context."""

    rng: random.Random
    words: Vocabulary
    place: Place
    quotes: tuple[str, str]

    def actor(self) -> Actor:
        """Any actor: a person, a country, an organisation or another body."""
        roll = self.rng.random()
        pool = (
            self.words.persons
            if roll < 0.35
            else self.words.countries
            if roll < 0.75
            else self.words.organizations
            if roll < 0.9
            else self.words.bodies
        )
        return self.rng.choice(pool)

    def stance(self, day: str, source: Actor) -> str:
        """A sentence built around one cue from the seed: source, cue, target."""
        rng = self.rng
        cue = rng.choice(self.words.cues)
        target = self.actor()
        while target is source:
            target = self.actor()
        tail = rng.choice(TAILS.get(cue.stance_code, ("",)))
        if cue.phrase.startswith("demand"):
            tail = ""  # "demanded X to ..." is not English
        elif cue.phrase.startswith("accus"):
            tail = rng.choice(("", " of stoking the unrest"))
        q0, q1 = self.quotes
        sentence = rng.choice(frames_for(cue, source.is_person)).format(
            src=rng.choice(source.first),
            tgt=rng.choice(target.first),
            cue=cue.phrase,
            link=cue.link,
            tail=tail,
            day=day,
            q0=q0,
            q1=q1,
            cap=capitalize_first(cue.phrase),
            article="a " if " " in cue.phrase else "",
        )
        return capitalize_first(sentence)

    def filler(self, day: str, actor: Actor | None, used: set[str]) -> str:
        """A neutral sentence not yet ``used`` in this entry."""
        rng = self.rng
        pool: tuple[str, ...]
        if actor is None:
            pool = FILLERS
        else:
            pool = ACTOR_FILLERS + PERSON_FILLERS if actor.is_person else ACTOR_FILLERS
        template = rng.choice(pool)
        while template in used:
            template = rng.choice(FILLERS)
        used.add(template)
        q0, q1 = self.quotes
        sentence = template.format(
            city=self.place.city,
            day=day,
            n=rng.randint(3, 250),
            q0=q0,
            q1=q1,
            month=rng.choice(MONTHS),
            clock=f"{rng.randint(1, 11)} {rng.choice('ap')}.m.",
            actor=rng.choice(actor.first) if actor else "",
            short=actor.short if actor else "",
        )
        return capitalize_first(sentence)

    def paragraphs(self, when: dt.datetime) -> tuple[str, ...]:
        """An entry's text: one sentence (short), 4-8, or 8-16 (long).

        Most entries lead with a stance sentence; the rest mixes further
        stances with neutral filler, as real entries do. The mix gives about
        650 bytes an entry, close to the real sample's (~700), so that
        benchmarks of the text models see a realistic amount of text.
        """
        rng = self.rng
        roll = rng.random()
        count = 1 if roll < 0.1 else rng.randint(4, 8) if roll < 0.5 else rng.randint(8, 16)
        day = WEEKDAYS[when.weekday()]
        lead = self.actor()
        used: set[str] = set()
        sentences = [
            self.stance(day, lead) if rng.random() < 0.85 else self.filler(day, lead, used)
        ]
        for _ in range(count - 1):
            roll = rng.random()
            if roll < 0.3:
                sentences.append(self.stance(day, self.actor()))
            else:
                sentences.append(self.filler(day, lead if roll < 0.45 else None, used))
        paragraphs = [sentences[0]]
        rest = sentences[1:]
        while rest:
            take = 2 if len(rest) > 1 and rng.random() < 0.3 else 1
            paragraphs.append(" ".join(rest[:take]))
            rest = rest[take:]
        return tuple(paragraphs)

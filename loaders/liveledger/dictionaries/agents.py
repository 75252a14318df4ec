"""Read ``Phoenix.agents.txt``: nouns and titles that name a sector.

A line is ``PHRASE {optional plural} [~CODE]``. ``~CODE`` adds the code
after the actor's country (``FOREIGN_MINISTER [~GOVFRM]`` -> ``FRAGOVFRM``
for a French one); ``CODE~`` puts it before (``NGO~``). Plurals: a
``{PLURAL}`` is used as written, an empty ``{}`` means none, and otherwise
the regular plural of the head word is generated (the last word before a
preposition, else the last word). Substitution sets
``!NAME! = A, B, C`` expand a ``!NAME!`` marker into each item, without
plurals. A blank between words (instead of ``_``) lets other words come in
between; ``is_contiguous`` says which.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from . import codes as cc
from . import inflect


@dataclass(frozen=True)
class AgentRow:
    agent_phrase: str
    agent_form: str  # singular | plural | substituted
    base_phrase: str
    agent_code: str
    sector: str
    sector_label: str
    code_position: str  # after_country | before_country
    is_contiguous: bool
    source_line: int


def _text(phrase: str) -> str:
    return " ".join(phrase.replace("_", " ").split()).lower()


PREPOSITIONS = frozenset("of for on in to at with from".split())


def _plural_of(phrase: str) -> str:
    """Pluralise the head: the last word before a preposition, else the last
    word (``department of defense`` -> ``departments of defense``)."""
    words = phrase.split(" ")
    head = next((i - 1 for i, w in enumerate(words) if w in PREPOSITIONS and i > 0), len(words) - 1)
    return " ".join(words[:head] + [inflect.plural(words[head])] + words[head + 1 :])


def parse_agent_lines(lines: list[str]) -> tuple[list[AgentRow], Counter[str]]:
    """Parse the agents file into rows (one per phrase and form)."""
    subsets: dict[str, list[str]] = {}
    rows: list[AgentRow] = []
    skipped: Counter[str] = Counter()
    for line_no, raw in enumerate(lines, start=1):
        if raw.startswith("#") or raw.startswith("<!"):
            continue
        body = raw.partition("#")[0].strip()
        if not body:
            continue
        if "!" in body and "=" in body:
            marker, _, items = body.partition("=")
            subsets[marker.strip().strip("!")] = [i.strip() for i in items.split(",") if i.strip()]
            continue
        if "[" not in body:
            skipped["no_code"] += 1
            continue
        phrase_part, _, rest = body.partition("[")
        raw_code = rest.partition("]")[0].partition("}")[0].strip()
        if not raw_code.strip("~"):
            skipped["empty_code"] += 1
            continue
        position = "before_country" if raw_code.endswith("~") else "after_country"
        code = raw_code.strip("~")
        label = cc.sector_label(code)
        plural: str | None
        if "{" in phrase_part:
            if "}" not in phrase_part:
                skipped["unclosed_brace"] += 1
                continue
            head, _, tail = phrase_part.partition("{")
            plural = _text(tail.partition("}")[0])
            phrase_part = head
        else:
            plural = None
        contiguous = " " not in phrase_part.strip()
        if "!" in phrase_part:
            before, _, after = phrase_part.partition("!")
            name, _, after = after.partition("!")
            if name not in subsets:
                skipped["unknown_substitution_set"] += 1
                continue
            base = _text(phrase_part)
            for item in subsets[name]:
                rows.append(
                    AgentRow(
                        _text(before + item + after),
                        "substituted",
                        base,
                        code,
                        code,
                        label,
                        position,
                        contiguous,
                        line_no,
                    )
                )
            continue
        base = _text(phrase_part)
        rows.append(
            AgentRow(base, "singular", base, code, code, label, position, contiguous, line_no)
        )
        if plural is None:
            plural = _plural_of(base)
        if plural:
            rows.append(
                AgentRow(plural, "plural", base, code, code, label, position, contiguous, line_no)
            )
    unique = {(r.agent_phrase, r.agent_code, r.agent_form): r for r in reversed(rows)}
    ordered = sorted(unique.values(), key=lambda r: (r.agent_phrase, r.agent_code, r.agent_form))
    return ordered, skipped

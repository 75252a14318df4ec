"""Mapping the warehouse's groups onto the gold's groups, by name only.

States (ISO3) and international organisations (``org-<code>``) have the same
id on both sides and are compared as they are. The extractor knows other
groups by system ids (``org-ven-national-assembly``, ``person-evo-morales``,
a discovered actor's id) while the gold names domestic groups ``SDN-rsf``
and lists the names the text uses for them (``groups.csv``). A predicted
group maps to the gold group one of whose names equals, ignoring case,
accents and spacing, one of the predicted group's names: its own actor's
name and aliases first, else those of the actors the facts resolved to it.
No name, or names of two gold groups at the same step: it stays as it is
(and a claim using it can only be a false positive). Nothing here knows any
text or crisis: it is a name match.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .gold import GoldGroup
from .warehouse import GroupNames


def normalize_name(name: str) -> str:
    """Case-, accent- and spacing-insensitive form: "Guaidó " == "guaido"."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class GroupMapping:
    """Predicted group -> gold group, with the name that decided each."""

    mapped: dict[str, str]
    matched_by: dict[str, str]
    ambiguous: dict[str, tuple[str, ...]]

    def apply(self, group: str) -> str:
        return self.mapped.get(group, group)


def map_groups(
    predicted: Iterable[str],
    candidates: Sequence[GoldGroup],
    names: Mapping[str, GroupNames],
    is_direct: Callable[[str], bool],
) -> GroupMapping:
    """Map each predicted group that is not direct (see the module docstring)."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for gold in candidates:
        for name in gold.names:
            by_name[normalize_name(name)].add(gold.group_id)
    gold_ids = {g.group_id for g in candidates}
    mapped: dict[str, str] = {}
    matched_by: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for group in sorted(set(predicted)):
        if not group or is_direct(group) or group in gold_ids or group not in names:
            continue
        for step in (names[group].own, names[group].members):
            hits: dict[str, str] = {}
            for name in sorted(step):
                for gold_id in by_name.get(normalize_name(name), ()):
                    hits.setdefault(gold_id, name)
            if len(hits) == 1:
                ((gold_id, name),) = hits.items()
                mapped[group], matched_by[group] = gold_id, name
                break
            if len(hits) > 1:
                ambiguous[group] = tuple(sorted(hits))
                break
    return GroupMapping(mapped, matched_by, ambiguous)

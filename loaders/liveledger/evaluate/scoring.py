"""Precision, recall and F1 of sets of claims, and their micro and macro averages.

A claim is (entry, source group, target group, polarity), counted once per
entry however many sentences say it. A score is undefined (None, printed
'-') when its denominator is empty: precision with nothing predicted, recall
with nothing in the gold, F1 with neither. F1 is 2TP / (predicted + gold),
so a crisis where nothing was predicted has F1 0, not '-'. The macro
average is the mean of the per-crisis scores that are defined.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .gold import Claim, GoldFact

POLARITY_LABELS = ((1, "support (+1)"), (0, "neutral (0)"), (-1, "hostile (-1)"))


def _ratio(numerator: int, denominator: int | None) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Score:
    """Counts of one slice; ``predicted``/``expected`` None when the slice has no such side."""

    label: str
    true_positives: int
    predicted: int | None
    expected: int | None

    @property
    def precision(self) -> float | None:
        return _ratio(self.true_positives, self.predicted)

    @property
    def recall(self) -> float | None:
        return _ratio(self.true_positives, self.expected)

    @property
    def f1(self) -> float | None:
        if self.predicted is None or self.expected is None:
            return None
        return _ratio(2 * self.true_positives, self.predicted + self.expected)


@dataclass(frozen=True)
class Average:
    """The mean of per-crisis scores (macro): no counts of its own."""

    label: str
    precision: float | None
    recall: float | None
    f1: float | None
    crises: int


def score(label: str, gold: set[Claim], predicted: set[Claim]) -> Score:
    return Score(label, len(gold & predicted), len(predicted), len(gold))


def by_polarity(gold: set[Claim], predicted: set[Claim]) -> tuple[Score, ...]:
    return tuple(
        score(
            label, {c for c in gold if c[3] == polarity}, {c for c in predicted if c[3] == polarity}
        )
        for polarity, label in POLARITY_LABELS
    )


def by_rule(gold: set[Claim], rules: Mapping[Claim, Iterable[str]]) -> tuple[Score, ...]:
    """Precision per rule: a claim counts once for each rule among its facts.

    Recall has no meaning per rule (a missed claim was made by no rule), so
    ``expected`` is None.
    """
    predicted: dict[str, int] = {}
    right: dict[str, int] = {}
    for claim, claim_rules in rules.items():
        for rule in set(claim_rules):
            predicted[rule] = predicted.get(rule, 0) + 1
            right[rule] = right.get(rule, 0) + (claim in gold)
    return tuple(
        Score(rule, right[rule], predicted[rule], None)
        for rule in sorted(predicted, key=lambda r: (-predicted[r], r))
    )


def by_background(facts: Iterable[GoldFact], predicted: set[Claim]) -> tuple[Score, ...]:
    """Recall on the gold's background facts and on its news facts.

    Empty when the gold does not say (a legacy file without ``is_background``).
    """
    facts = list(facts)
    if any(f.is_background is None for f in facts):
        return ()
    return tuple(
        Score(label, sum(f.claim in predicted for f in part), None, len(part))
        for label, part in (
            ("background", [f for f in facts if f.is_background]),
            ("news", [f for f in facts if not f.is_background]),
        )
    )


def macro(label: str, scores: Sequence[Score]) -> Average:
    def mean(values: list[float | None]) -> float | None:
        defined = [v for v in values if v is not None]
        return sum(defined) / len(defined) if defined else None

    return Average(
        label,
        mean([s.precision for s in scores]),
        mean([s.recall for s in scores]),
        mean([s.f1 for s in scores]),
        len(scores),
    )

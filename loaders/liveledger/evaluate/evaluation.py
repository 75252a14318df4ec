"""Scoring a split: map each crisis's predicted groups, compare claims, average.

Pure: the warehouse is read before (``warehouse.read_predictions``), so the
arithmetic is tested on small fixtures without a build.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import scoring
from .gold import Claim, Crisis, GoldSet, is_state
from .groups import GroupMapping, map_groups
from .scoring import Average, Score
from .warehouse import CrisisPredictions, Predictions


@dataclass(frozen=True)
class CrisisResult:
    crisis_id: str
    title: str
    entries: int
    score: Score
    false_positives: tuple[Claim, ...]
    false_negatives: tuple[Claim, ...]
    mapping: GroupMapping


@dataclass(frozen=True)
class Evaluation:
    """Every figure ``liveledger evaluate`` prints; ``overall`` is the micro score."""

    label: str
    crises: tuple[CrisisResult, ...]
    polarities: tuple[Score, ...]
    rules: tuple[Score, ...]
    background: tuple[Score, ...]
    macro: Average
    overall: Score


def score_predictions(gold: GoldSet, predictions: Predictions) -> Evaluation:
    """The evaluation of ``gold`` against what the warehouse predicted for it."""
    predicted_by_crisis = {p.crisis_id: p for p in predictions.crises}
    results: list[CrisisResult] = []
    all_gold: set[Claim] = set()
    all_rules: dict[Claim, set[str]] = {}
    for crisis in gold.crises:
        found = predicted_by_crisis.get(
            crisis.crisis_id, CrisisPredictions(crisis.crisis_id, 0, ())
        )
        mapping = _mapping(gold, crisis, found, predictions)
        rules = _claims(found, mapping)
        gold_claims = {f.claim for f in crisis.facts}
        predicted = set(rules)
        results.append(
            CrisisResult(
                crisis.crisis_id,
                crisis.title,
                found.entries,
                scoring.score(crisis.crisis_id, gold_claims, predicted),
                tuple(sorted(predicted - gold_claims)),
                tuple(sorted(gold_claims - predicted)),
                mapping,
            )
        )
        all_gold |= gold_claims
        for claim, claim_rules in rules.items():
            all_rules.setdefault(claim, set()).update(claim_rules)
    all_predicted = set(all_rules)
    facts = [f for crisis in gold.crises for f in crisis.facts]
    return Evaluation(
        label=gold.label,
        crises=tuple(results),
        polarities=scoring.by_polarity(all_gold, all_predicted),
        rules=scoring.by_rule(all_gold, all_rules),
        background=scoring.by_background(facts, all_predicted),
        macro=scoring.macro(
            "macro" if len(results) == 1 else f"macro ({len(results)} crises)",
            [r.score for r in results],
        ),
        overall=scoring.score("overall", all_gold, all_predicted),
    )


def _mapping(
    gold: GoldSet, crisis: Crisis, found: CrisisPredictions, predictions: Predictions
) -> GroupMapping:
    """Map onto the groups.csv groups this crisis's gold uses (not other crises')."""
    used = {g for f in crisis.facts for g in (f.source_group, f.target_group)}
    candidates = [gold.groups[g] for g in sorted(used) if g in gold.groups]
    predicted = {g for f in found.facts for g in (f.source_group, f.target_group)}
    return map_groups(
        predicted,
        candidates,
        predictions.names,
        lambda g: is_state(g) or g in predictions.organizations,
    )


def _claims(found: CrisisPredictions, mapping: GroupMapping) -> dict[Claim, set[str]]:
    claims: dict[Claim, set[str]] = {}
    for fact in found.facts:
        claim = (
            fact.entry_id,
            mapping.apply(fact.source_group),
            mapping.apply(fact.target_group),
            fact.polarity,
        )
        claims.setdefault(claim, set()).add(fact.rule_id)
    return claims

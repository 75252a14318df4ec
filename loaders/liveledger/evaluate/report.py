"""The evaluation as a text table or as JSON.

The text report ends with the ``overall`` (micro) line, so a script can read
the headline figures from its last line: ``overall P R F1 TP pred gold``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .evaluation import Evaluation
from .gold import Claim
from .scoring import Average, Score

_HEAD = f"{'precision':>9} {'recall':>7} {'f1':>6} {'TP':>5} {'pred':>5} {'gold':>5}"


def _number(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"


def _count(value: int | None) -> str:
    return f"{'-' if value is None else value:>5}"


def _row(row: Score | Average, width: int) -> str:
    counts = (
        f"{_count(row.true_positives)} {_count(row.predicted)} {_count(row.expected)}"
        if isinstance(row, Score)
        else f"{'-':>5} {'-':>5} {'-':>5}"
    )
    return (
        f"{row.label:<{width}} {_number(row.precision, 9)} {_number(row.recall, 7)} "
        f"{_number(row.f1, 6)} {counts}"
    )


def _table(title: str, rows: Sequence[Score | Average], width: int) -> list[str]:
    return [f"{title:<{width}} {_HEAD}", *(_row(r, width) for r in rows)]


def text_report(evaluation: Evaluation, show_errors: bool = False) -> str:
    """Per crisis, per polarity, per rule, by is_background, then macro and micro."""
    crisis_rows = [r.score for r in evaluation.crises]
    sections: list[tuple[str, Sequence[Score | Average]]] = [
        ("crisis", crisis_rows),
        ("polarity", evaluation.polarities),
        ("rule (precision only)", evaluation.rules),
    ]
    if evaluation.background:
        sections.append(("gold facts (recall)", evaluation.background))
    summary: list[Score | Average] = [evaluation.macro, evaluation.overall]
    width = max(len(row.label) for _, rows in [*sections, ("", summary)] for row in rows)
    width = max(width, *(len(title) for title, _ in sections), len("summary"))
    entries = sum(r.entries for r in evaluation.crises)
    lines = [
        f"{evaluation.label}: {_plural(len(evaluation.crises), 'crisis', 'crises')}, "
        f"{entries} entries, "
        f"{evaluation.overall.expected} gold claims, {evaluation.overall.predicted} predicted",
        "overall = micro (every claim of the split counted once); macro = mean of the "
        "crises' scores; '-' = not defined",
        "",
    ]
    for title, rows in sections:
        lines += [*_table(title, rows, width), ""]
    if show_errors:
        lines += [*_errors(evaluation), ""]
    lines += _table("summary", summary, width)
    return "\n".join(lines)


def _errors(evaluation: Evaluation) -> list[str]:
    lines: list[str] = []
    for result in evaluation.crises:
        lines.append(f"crisis {result.crisis_id}:")
        for group, gold_id in sorted(result.mapping.mapped.items()):
            lines.append(
                f"  group {group} -> {gold_id} (name {result.mapping.matched_by[group]!r})"
            )
        for group, gold_ids in sorted(result.mapping.ambiguous.items()):
            lines.append(f"  group {group} left unmapped: its names match {', '.join(gold_ids)}")
        lines.append("  false positives (predicted, not in gold):")
        lines += [f"    {_short(c)}" for c in result.false_positives]
        lines.append("  false negatives (in gold, not predicted):")
        lines += [f"    {_short(c)}" for c in result.false_negatives]
    return lines


def _short(claim: Claim) -> str:
    entry, source, target, polarity = claim
    return f"{entry}  {source} -> {target or '-'}  {polarity:+d}"


def _score_json(row: Score | Average) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": row.label,
        "precision": row.precision,
        "recall": row.recall,
        "f1": row.f1,
    }
    if isinstance(row, Score):
        data.update(true_positives=row.true_positives, predicted=row.predicted, gold=row.expected)
    else:
        data["crises"] = row.crises
    return data


def json_report(evaluation: Evaluation) -> str:
    """Every figure of the text report, plus each crisis's errors and group mapping."""

    def claim(c: Claim) -> dict[str, Any]:
        return {
            "entry_id": c[0],
            "source_group": c[1],
            "target_group": c[2] or None,
            "polarity": c[3],
        }

    return json.dumps(
        {
            "label": evaluation.label,
            "crises": [
                {
                    **_score_json(r.score),
                    "crisis_id": r.crisis_id,
                    "title": r.title,
                    "entries": r.entries,
                    "group_mapping": [
                        {"predicted": g, "gold": gold, "name": r.mapping.matched_by[g]}
                        for g, gold in sorted(r.mapping.mapped.items())
                    ],
                    "ambiguous_groups": {
                        g: list(ids) for g, ids in sorted(r.mapping.ambiguous.items())
                    },
                    "false_positives": [claim(c) for c in r.false_positives],
                    "false_negatives": [claim(c) for c in r.false_negatives],
                }
                for r in evaluation.crises
            ],
            "polarity": [_score_json(s) for s in evaluation.polarities],
            "rule": [_score_json(s) for s in evaluation.rules],
            "background": [_score_json(s) for s in evaluation.background],
            "macro": _score_json(evaluation.macro),
            "micro": _score_json(evaluation.overall),
        },
        indent=2,
        ensure_ascii=False,
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"

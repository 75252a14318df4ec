"""Score ``marts.fct_stances`` against a hand-annotated gold file.

The unit scored is a tuple (entry, source group, target group, polarity):
who stood where toward whom in that entry, counted once however many
sentences say it. Groups are alignment groups (``VEN`` for Venezuela's state
and officials, ``org-un``...), so "supports Maduro" and "supports the
government of Venezuela" are the same claim. The polarity scored is the
mart's ``claimed_polarity``: a negated favourable stance ("doesn't recognize
Maduro") is hostile (-1); other negated, hypothetical ("considering
recognizing") and targetless favourable/hostile stances claim nothing. Precision and recall are computed per polarity and overall (micro).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import eventlog
from .errors import InputFileError, ProjectError

Claim = tuple[str, str, str, int]  # entry_id, source group, target group ('' if none), polarity

_PREDICTED = """
select entry_id, source_group_id, coalesce(target_group_id, ''), claimed_polarity
from marts.fct_stances
where entry_id in (select unnest(?)) and claimed_polarity is not null
"""


@dataclass(frozen=True)
class Score:
    label: str
    true_positives: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0


@dataclass(frozen=True)
class Evaluation:
    scores: tuple[Score, ...]
    false_positives: tuple[Claim, ...]
    false_negatives: tuple[Claim, ...]

    @property
    def overall(self) -> Score:
        return self.scores[-1]


def read_gold(path: Path) -> set[Claim]:
    """The gold claims; a clear error if the file is not the expected CSV."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such gold file")
    claims: set[Claim] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                claims.add((row["entry_id"], row["source_group"], row["target_group"] or "",
                            int(row["polarity"])))
            except (KeyError, ValueError):
                raise InputFileError(
                    f"{path}:{number}: expected columns entry_id, source_group, target_group, "
                    "polarity (-1, 0 or 1)") from None
    return claims


def evaluate(db_path: Path, gold_path: Path) -> Evaluation:
    gold = read_gold(gold_path)
    entries = sorted({claim[0] for claim in gold})
    con = eventlog.connect(db_path, read_only=True)
    try:
        found = con.execute(
            "select count(*) from marts.fct_entries where entry_id in (select unnest(?))",
            [entries]).fetchone()
        if not found or found[0] == 0:
            raise ProjectError(
                f"none of the gold file's entries are in {db_path}: load and build the "
                "blog it annotates first")
        try:
            rows = con.execute(_PREDICTED, [entries]).fetchall()
        except duckdb.Error as error:
            raise ProjectError(
                f"cannot read marts.fct_stances in {db_path} ({error.__class__.__name__}); "
                "run liveledger build to bring the marts up to date") from None
        predicted = {
            (entry, source, target, int(polarity))
            for entry, source, target, polarity in rows
            if polarity is not None
        }
    finally:
        con.close()
    scores = []
    for label, polarity in (("support (+1)", 1), ("neutral (0)", 0), ("hostile (-1)", -1)):
        expected = {c for c in gold if c[3] == polarity}
        got = {c for c in predicted if c[3] == polarity}
        scores.append(Score(label, len(expected & got), len(got), len(expected)))
    scores.append(Score("overall", len(gold & predicted), len(predicted), len(gold)))
    return Evaluation(tuple(scores), tuple(sorted(predicted - gold)), tuple(sorted(gold - predicted)))


def report(evaluation: Evaluation, show_errors: bool = False) -> str:
    lines = [f"{'polarity':<14} {'precision':>9} {'recall':>7} {'TP':>4} {'pred':>5} {'gold':>5}"]
    for s in evaluation.scores:
        lines.append(f"{s.label:<14} {s.precision:>9.3f} {s.recall:>7.3f} {s.true_positives:>4} "
                     f"{s.predicted:>5} {s.expected:>5}")
    if show_errors:
        lines += ["", "false positives (predicted, not in gold):"]
        lines += [f"  {_short(c)}" for c in evaluation.false_positives]
        lines += ["false negatives (in gold, not predicted):"]
        lines += [f"  {_short(c)}" for c in evaluation.false_negatives]
    return "\n".join(lines)


def _short(claim: Claim) -> str:
    entry, source, target, polarity = claim
    return f"{entry.rsplit('T', 1)[-1]}  {source} -> {target or '-'}  {polarity:+d}"

"""Score ``marts.fct_stances`` against hand-annotated gold facts.

The unit scored is a claim (entry, source group, target group, polarity):
who stood where toward whom in that entry, counted once however many
sentences say it, as ``docs/annotation.md`` defines it. The gold is either a
split of the evaluation corpus (``tests/data/stances/<split>/`` of the
checkout: crises, their blogs and ``gold.csv``; see ``gold``) or one legacy
gold file (``--gold``). Modules, one job each:

- ``gold``: read and check gold files, ``groups.csv``, ``crises.csv``;
- ``warehouse``: read the predicted claims and group names (read-only);
- ``groups``: map predicted groups onto gold groups by name;
- ``scoring`` / ``evaluation``: precision, recall, F1 per crisis, polarity,
  rule and is_background, micro and macro;
- ``report``: the text table and JSON;
- ``scratch``: load and build a split into its own scratch database.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ProjectError
from ..project import Project
from .evaluation import CrisisResult, Evaluation, score_predictions
from .gold import GoldSet, read_single, read_split
from .report import json_report, text_report
from .warehouse import read_predictions

#: Where the corpus and the legacy gold file live, relative to the project root.
CORPUS_DIR = Path("tests") / "data" / "stances"
LEGACY_GOLD = Path("tests") / "data" / "gold" / "sample_stances.csv"
#: The bundled sample's blogs: what a split-root gold.csv annotates when no blog lies beside it.
SAMPLE_BLOGS = Path("samples")

__all__ = [
    "CORPUS_DIR",
    "LEGACY_GOLD",
    "SAMPLE_BLOGS",
    "CrisisResult",
    "Evaluation",
    "default_corpus",
    "default_gold",
    "evaluate_warehouse",
    "json_report",
    "read_single",
    "read_split",
    "score_predictions",
    "text_report",
]


def default_corpus(project: Project) -> Path:
    """The checkout's corpus; a clear error for an install without one."""
    path = project.root / CORPUS_DIR
    if not path.is_dir():
        raise ProjectError(
            f"no evaluation corpus at {path} (it ships with the liveledger "
            "checkout, not the package): pass --corpus DIR"
        )
    return path


def default_gold(project: Project) -> Path:
    path = project.root / LEGACY_GOLD
    if not path.is_file():
        raise ProjectError(
            f"no gold file at {path} (it ships with the liveledger checkout, "
            "not the package): pass --gold CSV or --split NAME --corpus DIR"
        )
    return path


def evaluate_warehouse(
    db_path: Path,
    gold: GoldSet,
    blog_ids: dict[str, tuple[str, ...]] | None = None,
    *,
    read_only: bool = True,
) -> Evaluation:
    """Read what ``db_path`` predicted for ``gold`` and score it (see ``read_predictions``)."""
    return score_predictions(gold, read_predictions(db_path, gold, blog_ids, read_only=read_only))

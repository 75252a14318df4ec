"""A split's own warehouse: its blogs loaded into a fresh scratch database and built.

``liveledger evaluate --split S --build`` scores on ``eval-S.duckdb`` beside
the warehouse, made afresh each time (its input journal too), so the figures
of a split can be rerun with one command and never depend on what else the
main warehouse holds. The main warehouse is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import build, intake, load
from ..archive import Archive
from ..errors import InputFileError
from ..parser import parse_blog
from ..places import PlaceIndex
from ..prepare import LoadOptions
from ..project import Project
from .gold import GoldSet


def scratch_db_path(warehouse: Path, split: str) -> Path:
    """``eval-<split>.duckdb`` in the warehouse's folder."""
    return warehouse.parent / f"eval-{split}.duckdb"


def blog_ids(gold: GoldSet, places: PlaceIndex) -> dict[str, tuple[str, ...]]:
    """crisis -> the blog ids of its blog files, as ``liveledger load`` derives them."""
    ids: dict[str, tuple[str, ...]] = {}
    for crisis in gold.crises:
        found: list[str] = []
        for path in crisis.blogs:
            decoded = intake.decode(intake.read_input(path))
            parsed = parse_blog(decoded.text, places) if decoded.text is not None else None
            if parsed is None or parsed.blog_id is None or not parsed.entries:
                raise InputFileError(
                    f"{path}: not a live blog liveledger can load (liveledger parse FILE says why)"
                )
            if parsed.blog_id not in found:
                found.append(parsed.blog_id)
        ids[crisis.crisis_id] = tuple(found)
    return ids


def build_split(
    project: Project,
    gold: GoldSet,
    scratch_db: Path,
    places: PlaceIndex,
    say: Callable[[str], None] = lambda _: None,
) -> None:
    """Load every blog of the split into a new ``scratch_db`` and run dbt build on it.

    The caller holds the scratch database's writer lock (without a
    connection: the file is replaced).
    """
    for leftover in (
        scratch_db,
        scratch_db.with_name(scratch_db.name + ".wal"),
        Archive(scratch_db).journal,
    ):
        leftover.unlink(missing_ok=True)
    blogs = [path for crisis in gold.crises for path in crisis.blogs]
    say(f"loading the {len(blogs)} blogs of split {gold.label} into {scratch_db}")
    outcomes = load.load_paths(scratch_db, blogs, LoadOptions(), places, workers=1)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        detail = "; ".join(failed[0].messages) or failed[0].status
        raise InputFileError(
            f"{failed[0].path}: the blog did not load ({detail}); "
            f"{len(failed)} of {len(blogs)} blogs of split {gold.label} failed"
        )
    say(f"building {scratch_db} (dbt build)")
    build.build(project, scratch_db, quiet=True)

"""Where things are: the dbt project root and the DuckDB file.

The CLI, ``make demo`` and a plain ``dbt build`` must all agree on one
database, so the path has exactly one definition: ``LIVELEDGER_DB`` if set,
else ``warehouse/liveledger.duckdb`` under the project root (the same default
``profiles.yml`` uses). dbt is handed the resolved absolute path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectError

DEFAULT_DB = Path("warehouse") / "liveledger.duckdb"
#: Where ``liveledger export-raw`` writes the event log as Parquet for the
#: Spark target; ``LIVELEDGER_RAW_PARQUET`` overrides it (profiles.yml and
#: the Spark source macro read the same variable with the same default).
DEFAULT_RAW_PARQUET = Path("warehouse") / "spark" / "raw"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def reference_dir(self) -> Path:
        return self.root / "seeds" / "reference"

    def db_path(self, override: str | os.PathLike[str] | None = None) -> Path:
        """The DuckDB file to use: the override, ``LIVELEDGER_DB``, or the default."""
        chosen = override or os.environ.get("LIVELEDGER_DB")
        path = Path(chosen) if chosen else self.root / DEFAULT_DB
        return path.expanduser().resolve()

    def raw_parquet_dir(self, override: str | os.PathLike[str] | None = None) -> Path:
        """Folder of the Parquet export.

        The override, else ``LIVELEDGER_RAW_PARQUET``, else the default.
        """
        chosen = override or os.environ.get("LIVELEDGER_RAW_PARQUET")
        path = Path(chosen) if chosen else self.root / DEFAULT_RAW_PARQUET
        return path.expanduser().resolve()


def find_project(start: Path | None = None) -> Project:
    """Locate the liveledger dbt project.

    ``LIVELEDGER_PROJECT_DIR`` wins; otherwise the nearest folder above the
    working directory holding a liveledger ``dbt_project.yml``; otherwise the
    checkout this package was installed from (an editable install).
    """
    env = os.environ.get("LIVELEDGER_PROJECT_DIR")
    if env:
        root = Path(env).expanduser().resolve()
        if not _is_project(root):
            raise ProjectError(f"LIVELEDGER_PROJECT_DIR={env} holds no liveledger dbt_project.yml")
        return Project(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return Project(folder)
    checkout = Path(__file__).resolve().parents[2]
    if _is_project(checkout):
        return Project(checkout)
    raise ProjectError(
        "cannot find the liveledger dbt project: run from inside the checkout "
        "or set LIVELEDGER_PROJECT_DIR"
    )


def _is_project(folder: Path) -> bool:
    marker = folder / "dbt_project.yml"
    return marker.is_file() and "name: liveledger" in marker.read_text(encoding="utf-8")

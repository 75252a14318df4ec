"""Run dbt on the configured warehouse, in-process.

``liveledger build`` and ``make demo`` must build the same database with the
same project and profiles as a user's own ``dbt build``; this module is the
one place that sets that up (project dir, profiles dir, ``LIVELEDGER_DB``).
"""

from __future__ import annotations

import os
from pathlib import Path

from . import eventlog
from .errors import BuildFailedError
from .project import Project


def dbt_environment(project: Project, db_path: Path) -> None:
    """Point dbt at the resolved database and keep it from phoning home."""
    os.environ["LIVELEDGER_DB"] = str(db_path)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DBT_PROFILES_DIR", str(project.root))


def run_dbt(project: Project, db_path: Path, args: list[str]) -> None:
    """Run a dbt command against ``db_path``; raise if anything failed."""
    from dbt.cli.main import dbtRunner  # imported late: dbt is slow to import

    con = eventlog.connect(db_path)
    try:
        eventlog.ensure_schema(con)  # sources must exist even before the first load
    finally:
        con.close()
    dbt_environment(project, db_path)
    result = dbtRunner().invoke(
        [*args, "--project-dir", str(project.root), "--profiles-dir", str(project.root)]
    )
    if not result.success:
        detail = f": {result.exception}" if result.exception else ""
        raise BuildFailedError(f"dbt {' '.join(args)} failed{detail}; see the log above")

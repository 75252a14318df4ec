"""Run dbt on the configured warehouse, in-process.

``liveledger build`` and ``make demo`` must build the same database with the
same project and profiles as a user's own ``dbt build``; this module is the
one place that sets that up (project dir, profiles dir, ``LIVELEDGER_DB``).

The heavy text models are incremental: they process only load batches they
have not seen. That is exact while the rules stay the same, so when the
seeds, macros or models change (their hash differs from the last build's,
kept in ``marts.fct_builds``) the build becomes a full refresh by itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from . import eventlog, interrupts
from .errors import BuildFailedError
from .project import Project

_LOGIC_FOLDERS = ("seeds", "macros", "models")


def dbt_environment(project: Project, db_path: Path) -> None:
    """Point dbt at the resolved database and keep it from phoning home."""
    os.environ["LIVELEDGER_DB"] = str(db_path)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DBT_PROFILES_DIR", str(project.root))


def logic_hash(project: Project) -> str:
    """Hash of every seed, macro and model file: what the build's rules are."""
    digest = hashlib.sha256()
    for folder in _LOGIC_FOLDERS:
        for path in sorted((project.root / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(project.root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def last_logic_hash(db_path: Path) -> str | None:
    """The logic hash of the last build, or None if there was none."""
    con = eventlog.connect(db_path)
    try:
        eventlog.ensure_schema(con)  # sources must exist even before the first load
        found = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'fct_builds'"
        ).fetchone()
        if not found or not found[0]:
            return None
        row = con.execute(
            "select logic_hash from marts.fct_builds order by built_at desc limit 1"
        ).fetchone()
        return None if row is None else str(row[0])
    finally:
        con.close()


def build(
    project: Project,
    db_path: Path,
    *,
    as_of: dt.datetime | None = None,
    full_refresh: bool = False,
    quiet: bool = False,
) -> None:
    """``dbt build``; a full refresh when asked or when the rules changed.

    ``quiet`` keeps dbt to its errors, for schedulers that mail any output.
    """
    current = logic_hash(project)
    previous = last_logic_hash(db_path)
    args = ["build"]
    if full_refresh or (previous is not None and previous != current):
        if not full_refresh and not quiet:
            print(
                "liveledger: seeds, macros or models changed since the last build; "
                "rebuilding incremental models from scratch"
            )
        args.append("--full-refresh")
    variables: dict[str, str] = {"logic_hash": current}
    if as_of is not None:
        variables["as_of"] = as_of.isoformat() + "Z"
    args += ["--vars", json.dumps(variables)]
    if quiet:
        args.append("--quiet")
    run_dbt(project, db_path, args)


def run_dbt(project: Project, db_path: Path, args: list[str]) -> None:
    """Run a dbt command against ``db_path``; raise if anything failed."""
    from dbt.cli.main import dbtRunner  # imported late: dbt is slow to import

    dbt_environment(project, db_path)
    with interrupts.silent_stdout_after_interrupt():
        result = dbtRunner().invoke(
            [*args, "--project-dir", str(project.root), "--profiles-dir", str(project.root)]
        )
    if not result.success:
        detail = f": {result.exception}" if result.exception else ""
        raise BuildFailedError(f"dbt {args[0]} failed{detail}; see the log above")

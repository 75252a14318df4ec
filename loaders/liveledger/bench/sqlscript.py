"""The dbt models as one plain SQL script, to measure what dbt itself costs.

The comparison asks: how much slower is ``dbt run`` than running the same
transformations directly in DuckDB? Writing the twenty-odd models a second
time by hand would measure a different, drifting copy; instead the script is
dbt's own compiled SQL (``dbt compile --full-refresh``), one
``create or replace table|view ... as`` per model in dependency order, run
in a single DuckDB connection without dbt: same SQL, no orchestration,
no contracts, no tests.

``python -m liveledger.bench.sqlscript compile OUT`` writes the script
(LIVELEDGER_DB must point at a warehouse whose seeds are loaded);
``python -m liveledger.bench.sqlscript run DB SCRIPT`` runs it.
"""

from __future__ import annotations

import graphlib
import json
import sys
from pathlib import Path
from typing import Any

from ..build import run_dbt
from ..project import find_project


def script_from_manifest(manifest: dict[str, Any]) -> str:
    """Every enabled model as a DDL statement, parents before children."""
    models = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["config"].get("materialized") != "ephemeral"
    }
    order = graphlib.TopologicalSorter(
        {
            uid: [p for p in node["depends_on"]["nodes"] if p in models]
            for uid, node in models.items()
        }
    )
    schemas = sorted({node["schema"] for node in models.values()})
    statements = [f"create schema if not exists {schema};" for schema in schemas]
    for uid in order.static_order():
        node = models[uid]
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        statements.append(
            f"-- {node['name']}\ncreate or replace {kind} {node['relation_name']} as\n"
            f"{node['compiled_code'].strip().rstrip(';')}\n;"
        )
    return "\n\n".join(statements) + "\n"


def compile_script(out: Path) -> None:
    project = find_project()
    run_dbt(project, project.db_path(), ["compile", "--full-refresh", "--quiet"])
    manifest = json.loads((project.root / "target" / "manifest.json").read_text())
    out.write_text(script_from_manifest(manifest), encoding="utf-8")


def run_script(db: Path, script: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute(script.read_text(encoding="utf-8"))
        con.execute("checkpoint")
    finally:
        con.close()


def main(argv: list[str]) -> int:
    if argv[0] == "compile":
        compile_script(Path(argv[1]))
    else:
        run_script(Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

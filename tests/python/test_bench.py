"""The benchmark harness at smoke size: it must run end to end in make test.

No timing is asserted (that is what ``make bench`` and BENCHMARKS.md are
for); what is checked is that every step ran, compared like with like and
produced a table, so the harness cannot rot between benchmark runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from liveledger.bench import table
from liveledger.bench.harness import GIB, Results, Row
from liveledger.bench.measure import Summary
from liveledger.bench.sqlscript import script_from_manifest


def test_the_harness_runs_every_step_at_smoke_size(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nWhat bounds the loader: kept.\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "liveledger.bench",
            "--load-sizes",
            "600,1200",
            "--build-sizes",
            "1200",
            "--large-build-sizes",
            "600",
            "--repeats",
            "1",
            "--no-dlt",
            "--work",
            str(tmp_path / "work"),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "What bounds the loader: kept." in text
    for step in (
        "liveledger load (text)",
        "DuckDB read_json (NDJSON)",
        "loader vs read_json",
        "liveledger build (full dbt build)",
        "dbt run (models only)",
        "same SQL as one script, no dbt",
        "dbt run vs plain SQL",
        "incremental build after +",
        "scaling: liveledger load (text): ",
        "scaling: liveledger build (full dbt build): ",
    ):
        assert step in text, step
    assert text.count(table.BEGIN) == 1 and text.count(table.END) == 1


def test_a_second_run_replaces_only_the_marked_region(tmp_path: Path) -> None:
    out = tmp_path / "B.md"
    row = Row("load", "liveledger load (text)", 10, Summary(1.5, GIB, 3))
    table.write_region(out, table.markdown(Results([row]), {"cpu": "x"}, "cmd one"))
    out.write_text(out.read_text() + "\n## Why\nexplained by hand\n")
    table.write_region(out, table.markdown(Results([row]), {"cpu": "y"}, "cmd two"))
    text = out.read_text()
    assert "cmd two" in text and "cmd one" not in text
    assert "explained by hand" in text and text.count(table.BEGIN) == 1


def test_the_plain_script_creates_parents_before_children() -> None:
    def model(name: str, parents: list[str], materialized: str = "table") -> dict[str, object]:
        return {
            "resource_type": "model",
            "name": name,
            "schema": "s",
            "relation_name": f"s.{name}",
            "compiled_code": f"select 1 as {name}",
            "config": {"materialized": materialized},
            "depends_on": {"nodes": [f"model.p.{p}" for p in parents]},
        }

    manifest = {
        "nodes": {
            "model.p.c": model("c", ["b", "a"]),
            "model.p.b": model("b", ["a"], "view"),
            "model.p.a": model("a", []),
            "model.p.e": model("e", [], "ephemeral"),
            "test.p.t": {"resource_type": "test"},
        }
    }
    script = script_from_manifest(manifest)
    assert script.index("table s.a") < script.index("view s.b") < script.index("table s.c")
    assert "s.e" not in script

"""What our loader is compared with, given the same entries already parsed.

``write_ndjson`` turns a corpus into one JSON object per entry, in the
shape of ``raw.entry_events`` (not timed: it is the baselines' input).
Then two ways to get those rows into DuckDB, each run as a child process by
the harness (``python -m liveledger.bench.baselines read_json|dlt DB NDJSON``):

- ``read_json``: DuckDB's own bulk JSON reader, columns declared up front.
  Nothing parses text or diffs snapshots, so it is the practical limit.
- ``dlt``: a dlt pipeline loading the same records into DuckDB, what a user
  would reach for instead of writing a loader.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..parser import parse_blog
from ..places import PlaceIndex

#: raw.entry_events' columns and DuckDB types, in order.
COLUMNS: dict[str, str] = {
    "event_id": "varchar",
    "event_type": "varchar",
    "load_batch_id": "varchar",
    "blog_id": "varchar",
    "entry_key": "varchar",
    "entry_position": "integer",
    "source_line": "integer",
    "time_marker": "varchar",
    "time_zone": "varchar",
    "body": "varchar",
    "content_hash": "varchar",
    "published_at_local": "timestamp",
    "published_at": "timestamp",
    "observed_at": "timestamp",
}
_TIMESTAMPS = [name for name, kind in COLUMNS.items() if kind == "timestamp"]


def write_ndjson(files: list[Path], places: PlaceIndex, out: Path) -> int:
    """Parse every file and write its entries as NDJSON; returns the entry count."""
    observed_at = dt.datetime(2026, 1, 1).isoformat()
    count = 0
    partial = out.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for number, path in enumerate(files):
            parsed = parse_blog(path.read_text(encoding="utf-8"), places)
            batch = f"batch{number:08d}"
            for entry in parsed.entries:
                handle.write(
                    json.dumps(
                        {
                            "event_id": f"{batch}/{entry.entry_key}",
                            "event_type": "entry_added",
                            "load_batch_id": batch,
                            "blog_id": parsed.blog_id,
                            "entry_key": entry.entry_key,
                            "entry_position": entry.position,
                            "source_line": entry.line_number,
                            "time_marker": entry.time_marker,
                            "time_zone": parsed.time_zone,
                            "body": entry.body,
                            "content_hash": entry.content_hash,
                            "published_at_local": entry.published_at_local.isoformat(),
                            "published_at": entry.published_at.isoformat(),
                            "observed_at": observed_at,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                count += 1
    partial.replace(out)
    return count


def ingest_read_json(db: Path, ndjson: Path) -> None:
    import duckdb

    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
    declared = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in COLUMNS.items()) + "}"
    con = duckdb.connect(str(db))
    try:
        con.execute("create schema if not exists raw")
        con.execute(f"create table if not exists raw.entry_events ({columns})")
        con.execute(
            "insert into raw.entry_events select * from read_json(?, "
            f"format = 'newline_delimited', columns = {declared})",
            [str(ndjson)],
        )
        con.execute("checkpoint")
    finally:
        con.close()


def _records(ndjson: Path, page: int = 10_000) -> Iterator[list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    with ndjson.open(encoding="utf-8") as handle:
        for line in handle:
            rows.append(json.loads(line))
            if len(rows) == page:
                yield rows
                rows = []
    if rows:
        yield rows


def ingest_dlt(db: Path, ndjson: Path) -> None:
    import dlt  # only in the bench extra

    pipeline = dlt.pipeline(
        pipeline_name=f"bench_{db.stem}",
        pipelines_dir=str(db.parent / "dlt"),
        destination=dlt.destinations.duckdb(str(db)),
        dataset_name="raw",
    )
    hints = {name: {"data_type": "timestamp"} for name in _TIMESTAMPS}
    pipeline.run(
        _records(ndjson), table_name="entry_events", write_disposition="append", columns=hints
    )


def main(argv: list[str]) -> int:
    step, db, ndjson = argv
    {"read_json": ingest_read_json, "dlt": ingest_dlt}[step](Path(db), Path(ndjson))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

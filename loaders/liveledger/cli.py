"""The ``liveledger`` command: a thin shell over the library functions.

Every user mistake surfaces as a ``LiveledgerError`` and is printed as one
line on stderr with a non-zero exit code; no traceback for a user's error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import __version__, build, export, history, load, status, summary
from .errors import InputFileError, LiveledgerError
from .parser import parse_blog
from .places import PlaceIndex
from .project import find_project
from .timestamps import load_zone


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2019-01-24") from None


def _timestamp(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a timestamp like 2019-01-24T14:00:00Z") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed


def _add_time_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                        help="local date of the newest (first-listed) entry; "
                             "default: the date the blog's byline or photo caption states")
    parser.add_argument("--timezone", metavar="ZONE",
                        help="IANA zone of the entry times, e.g. America/Caracas; default: "
                             "the dateline city's zone when the intro says '(all times local)'")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liveledger",
        description="Turn live news blogs into an event-sourced DuckDB warehouse.",
    )
    parser.add_argument("--version", action="version", version=f"liveledger {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help="DuckDB file (default: $LIVELEDGER_DB or warehouse/liveledger.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="print the entries of a live blog without writing",
                                description="Parse one live blog and print its entries "
                                            "(nothing is written).")
    parse.add_argument("file", type=Path)
    _add_time_options(parse)
    parse.add_argument("--json", action="store_true",
                       help="one JSON object per entry (time_marker, local_time, "
                            "published_at, body, ...)")

    load_cmd = commands.add_parser("load", help="append live blogs to the raw event log",
                                   description="Append each FILE to the raw event log, one "
                                               "transaction per file. Loading the same file "
                                               "again appends nothing.")
    load_cmd.add_argument("files", type=Path, nargs="+", metavar="FILE")
    _add_time_options(load_cmd)
    load_cmd.add_argument("--observed-at", type=_timestamp, metavar="TIMESTAMP",
                          help="when this snapshot was observed (UTC); default: now")

    build_cmd = commands.add_parser(
        "build", help="run dbt build on the warehouse",
        description="Run `dbt build` (models, seeds, data and unit tests) on the configured "
                    "DuckDB file. Incremental models process only new load batches; when "
                    "seeds, macros or models changed since the last build, it becomes a "
                    "full refresh by itself.")
    build_cmd.add_argument("--as-of", type=_timestamp, metavar="TIMESTAMP",
                           help="build the marts as they would have been at this record "
                                "time (UTC), e.g. 2019-01-24T14:00:00Z")
    build_cmd.add_argument("--full-refresh", action="store_true",
                           help="rebuild incremental models from scratch")

    retract = commands.add_parser(
        "retract", help="mark a load batch as bad; models leave its events out",
        description="Record a retraction of LOAD_ID. Nothing is deleted: the batch's "
                    "events stay in the raw log and the models skip them.")
    retract.add_argument("load_batch_id", metavar="LOAD_ID")
    retract.add_argument("--reason", required=True, metavar="TEXT", help="why it is retracted")

    commands.add_parser(
        "rebuild", help="recreate the raw event log from the input archive",
        description="Replay every archived load and retraction, in order, into a new "
                    "database file, swap it in (keeping the old file as "
                    "<name>.before-rebuild) and run dbt build.")
    export_cmd = commands.add_parser(
        "export-raw", help="write the raw event log to Parquet for the Spark target",
        description="Write every raw.* table to OUT/<table>/ as Parquet (same columns; "
                    "timestamps naive UTC), read-only. `dbt build --target spark` reads "
                    "them as raw.<table>.")
    export_cmd.add_argument("--out", metavar="DIR",
                            help="folder to write (default: $LIVELEDGER_RAW_PARQUET or "
                                 "warehouse/spark/raw)")
    commands.add_parser("status", help="show what is loaded and when marts were built")
    commands.add_parser("summary", help="print what the marts hold")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return _run(args)
    except LiveledgerError as error:
        print(f"liveledger: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("liveledger: interrupted; the file being loaded was rolled back", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    project = find_project()
    db_path = project.db_path(args.db)
    if args.command == "parse":
        return _parse(args, project.reference_dir)
    if args.command == "load":
        return _load(args, db_path, project.reference_dir)
    if args.command == "build":
        build.build(project, db_path, as_of=args.as_of, full_refresh=args.full_refresh)
        return 0
    if args.command == "retract":
        when = history.retract(db_path, args.load_batch_id, args.reason)
        print(f"retracted batch {args.load_batch_id} at {when:%Y-%m-%d %H:%M:%S} UTC; "
              "run liveledger build to update the marts")
        return 0
    if args.command == "rebuild":
        result = history.rebuild(db_path, PlaceIndex.from_seed_dir(project.reference_dir))
        kept = f"; previous file kept as {result.previous}" if result.previous else ""
        print(f"rebuilt {db_path} from the archive: {result.loads} loads, "
              f"{result.retractions} retractions replayed{kept}")
        build.build(project, db_path, full_refresh=True)
        return 0
    if args.command == "export-raw":
        out_dir = project.raw_parquet_dir(args.out)
        for table in export.export_raw(db_path, out_dir):
            print(f"raw.{table.table}: {table.rows} rows -> {table.path}")
        return 0
    if args.command == "status":
        print(status.status_report(db_path))
        return 0
    if args.command == "summary":
        print(summary.summary_report(db_path))
        return 0
    raise AssertionError(args.command)


def _parse(args: argparse.Namespace, reference_dir: Path) -> int:
    if args.timezone:
        load_zone(args.timezone)
    data = load.read_input(args.file)
    text, problem = load.decode(data)
    if text is None:
        assert problem is not None
        raise InputFileError(f"{args.file}: {problem.message}")
    parsed = parse_blog(text, PlaceIndex.from_seed_dir(reference_dir),
                        date=args.date, time_zone=args.timezone)
    for entry in parsed.entries:
        if args.json:
            print(json.dumps({
                "entry_key": entry.entry_key,
                "position": entry.position,
                "line": entry.line_number,
                "time_marker": entry.time_marker,
                "local_time": entry.published_at_local.isoformat(),
                "time_zone": parsed.time_zone,
                "published_at": entry.published_at.isoformat() + "Z",
                "body": entry.body,
            }, ensure_ascii=False))
        else:
            first_words = " ".join(entry.body.split()[:8])
            print(f"{entry.time_marker:>11}  {entry.published_at_local:%Y-%m-%d %H:%M} "
                  f"{parsed.time_zone}  {entry.published_at:%Y-%m-%d %H:%MZ}  {first_words} ...")
    for rejection in parsed.rejections:
        print(f"{args.file}: rejected: {rejection.message}", file=sys.stderr)
    for warning in parsed.warnings:
        print(f"{args.file}: warning: {warning}", file=sys.stderr)
    if not parsed.entries:
        raise InputFileError(f"{args.file}: no entries could be parsed")
    return 0


def _load(args: argparse.Namespace, db_path: Path, reference_dir: Path) -> int:
    if args.timezone:
        load_zone(args.timezone)
    options = load.LoadOptions(date=args.date, time_zone=args.timezone,
                               observed_at=args.observed_at)
    outcomes = load.load_paths(db_path, args.files, options,
                               PlaceIndex.from_seed_dir(reference_dir))
    for outcome in outcomes:
        for message in outcome.messages:
            print(message, file=sys.stderr if not outcome.ok else sys.stdout)
        if outcome.counts is not None:
            c = outcome.counts
            removed = f", {c.entries_removed} removed" if c.entries_removed else ""
            print(f"{outcome.path}: batch {outcome.load_batch_id}: {c.entries_seen} entries seen, "
                  f"{c.entries_appended} appended, {c.entries_already_present} already present, "
                  f"{c.entries_rejected} rejected{removed}")
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise InputFileError(
            f"{len(failed)} of {len(outcomes)} files loaded no entries; "
            "their rejects are kept in raw.rejected_input")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

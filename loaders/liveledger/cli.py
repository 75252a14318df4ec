"""The ``liveledger`` command: a thin shell over the library functions.

Every user mistake surfaces as a ``LiveledgerError`` and is printed as one
line on stderr with a non-zero exit code; no traceback for a user's error.
Commands that write the warehouse (and ``publish``) run under the one
warehouse lock (``lock.writer_lock``), so a second one waits its turn.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import signal
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import NoReturn

import duckdb

from . import (
    __version__,
    build,
    evaluate,
    export,
    fetch,
    formats,
    generate,
    history,
    intake,
    interrupts,
    load,
    lock,
    publish,
    report,
    retry,
    run,
    status,
    storage,
    summary,
    watch,
)
from .errors import BuildFailedError, InputFileError, LiveledgerError, OptionError
from .evaluate import scratch
from .places import PlaceIndex
from .progress import Progress
from .project import Project, find_project
from .records import escape_undecodable, path_text
from .timestamps import load_zone


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line like every other user error."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("liveledger").strip()
        where = f"{command}: " if command else ""
        self.exit(2, f"liveledger: error: {where}{message} (see {self.prog} --help)\n")


#: The years a blog date may have: the same ones the header's dates are read in.
_FIRST_YEAR, _LAST_YEAR = 1900, 2099


def _date(value: str) -> dt.date:
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2019-01-24") from None
    if not _FIRST_YEAR <= parsed.year <= _LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{value!r} is outside the years {_FIRST_YEAR}-{_LAST_YEAR} a live blog can date from"
        )
    return parsed


def _timestamp(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a timestamp like 2019-01-24T14:00:00Z"
        ) from None
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the first representable UTC time
        raise argparse.ArgumentTypeError(
            f"{value!r} is outside the range of timestamps in UTC"
        ) from None
    return parsed


def _path(value: str) -> Path:
    """A file or folder name; not empty (that would mean "here"), and without NUL."""
    if not value:
        raise argparse.ArgumentTypeError(
            f"{value!r} is an empty file name (for the current folder, write '.')"
        )
    if "\x00" in value:
        raise argparse.ArgumentTypeError(
            f"{escape_undecodable(value)!r}: a file name cannot contain a NUL character"
        )
    too_long = [part for part in Path(value).parts if len(os.fsencode(part)) > _NAME_MAX]
    if too_long:
        raise argparse.ArgumentTypeError(
            f"{escape_undecodable(too_long[0][:40])!r}...: a file or folder name can be at most "
            f"{_NAME_MAX} bytes long"
        )
    return Path(value)


#: The longest file or folder name (one path component) Linux and macOS allow.
_NAME_MAX = 255


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a number of seconds (e.g. 60; 0 = do not wait)"
        )
    return seconds


def _count(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


#: More worker processes than this is a typo, not a machine: each costs ~100 MB.
MAX_WORKERS = 256
#: A live blog has dozens to a few hundred entries; a mean far above this is a typo
#: (and would take hours to write).
MAX_ENTRIES_PER_BLOG = 10_000


def _workers(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a number of processes (1 to {MAX_WORKERS})"
        )
    return int(value)


def _entries_per_blog(value: str) -> int:
    count = _count(value)
    if count > MAX_ENTRIES_PER_BLOG:
        raise argparse.ArgumentTypeError(
            f"{value!r}: a mean of at most {MAX_ENTRIES_PER_BLOG} entries per blog; for a "
            "bigger corpus ask for more --blogs"
        )
    return count


def _rows(value: str) -> int:
    count = _count(value)
    if not 1 <= count <= 10_000:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of rows (1 to 10000)")
    return count


def _share(value: str) -> float:
    """A precision or recall to require: a number from 0 to 1."""
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:  # also rejects nan
        raise argparse.ArgumentTypeError(f"{value!r} is not a share from 0 to 1 (e.g. 0.8)")
    return share


def _add_time_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="local date of the newest (first-listed) entry; "
        "default: the date the blog's byline or photo caption states",
    )
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="IANA zone of the entry times, e.g. America/Caracas; default: "
        "the dateline city's zone when the intro says '(all times local)'",
    )
    parser.add_argument(
        "--format",
        choices=formats.FORMATS,
        metavar="NAME",
        help="read the input as NAME (text, html or ndjson) instead of the "
        "format detected from its first bytes",
    )


def _interval(value: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    text = value.strip().lower()
    factor = units.get(text[-1:], None)
    try:
        seconds = float(text[:-1] if factor else text) * (factor or 1)
    except ValueError:
        seconds = -1.0
    if not seconds >= 1:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an interval of 1 s or more, like 90s, 5m or 1h"
        )
    return seconds


def _add_fetch_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "urls", nargs="+", metavar="URL", help="a live blog's address (http or https)"
    )
    _add_time_options(parser)
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help=f"per request (default: ${fetch.TIMEOUT_VARIABLE} or {fetch.DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--retries",
        type=_count,
        default=fetch.DEFAULT_RETRIES,
        metavar="N",
        help="extra attempts after a connection error, 5xx or 429, waiting "
        f"${fetch.BACKOFF_VARIABLE} (default {fetch.DEFAULT_BACKOFF:g}) "
        f"seconds, then twice that, ... (default {fetch.DEFAULT_RETRIES})",
    )
    parser.add_argument(
        "--max-bytes",
        type=_count,
        default=fetch.DEFAULT_MAX_BYTES,
        metavar="N",
        help="refuse a response bigger than this (default "
        f"{fetch.DEFAULT_MAX_BYTES // 1048576} MB)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print only errors (no per-URL lines; for watch, dbt prints only its errors too)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="liveledger",
        description="Turn live news blogs into an event-sourced DuckDB warehouse.",
    )
    parser.add_argument("--version", action="version", version=f"liveledger {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="DuckDB file (default: $LIVELEDGER_DB or warehouse/liveledger.duckdb)",
    )
    parser.add_argument(
        "--lock-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="how long load, build and publish wait for another liveledger "
        "command to release the warehouse (default: "
        f"${lock.TIMEOUT_VARIABLE} or {lock.DEFAULT_TIMEOUT_SECONDS:g})",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser(
        "parse",
        help="print the entries of a live blog without writing",
        description="Parse one live blog and print its entries (nothing is written).",
    )
    parse.add_argument("file", type=_path, help="AP plain text, a web page or an NDJSON entry feed")
    _add_time_options(parse)
    parse.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per entry (time_marker, local_time, "
        "published_at, time_source, utc_offset, body, ...)",
    )

    load_cmd = commands.add_parser(
        "load",
        help="append live blogs to the raw event log",
        description="Append each FILE to the raw event log as a "
        "batch of its own; files are committed in "
        "groups of up to 20,000 entries, each group "
        "whole or not at all. Loading the same file "
        "again appends nothing.",
    )
    # No fromfile_prefix_chars: a globbed name such as "@x.txt" is a file to load,
    # never a list of other files to read.
    load_cmd.add_argument(
        "files",
        type=_path,
        nargs="*",
        metavar="FILE",
        help="a live blog: AP plain text, a saved web page or an NDJSON "
        "entry feed (see README, Formats); any name, also one "
        "starting with @",
    )
    load_cmd.add_argument(
        "--files-from",
        type=_path,
        metavar="LIST",
        help="also load the files named in LIST, one per line, blank lines "
        "skipped (- reads the names from stdin); for more files than "
        "a command line holds",
    )
    _add_time_options(load_cmd)
    load_cmd.add_argument(
        "--observed-at",
        type=_timestamp,
        metavar="TIMESTAMP",
        help="when this snapshot was observed (UTC); default: now",
    )
    load_cmd.add_argument(
        "--quiet", action="store_true", help="print only errors (no progress bar or per-file lines)"
    )
    load_cmd.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="processes that read and parse files while this one writes "
        "(default: one per core, at most 256; 1 = all in this process; "
        "used from 64 files up)",
    )

    fetch_cmd = commands.add_parser(
        "fetch",
        help="poll live-blog URLs once and load what changed",
        description="Fetch each URL once (a conditional request with the ETag / "
        "Last-Modified of the last poll), archive the response byte for byte and "
        "load it as a snapshot of its blog, like `load` does with a file (text, "
        "web page or NDJSON feed). An unchanged page (304, or the same bytes) "
        "appends nothing. Every poll, failed or not, is a row of "
        "raw.fetch_polls; a failing URL does not stop the others, and the exit "
        "code is 1 if any failed.",
    )
    _add_fetch_options(fetch_cmd)

    watch_cmd = commands.add_parser(
        "watch",
        help="fetch URLs every so often and build after each change",
        description="Repeat `fetch` every --every, and run the incremental `build` after "
        "each poll round that loaded a new snapshot. Stops at --until, or "
        "cleanly on Ctrl-C or SIGTERM (after the round in progress).",
    )
    _add_fetch_options(watch_cmd)
    watch_cmd.add_argument(
        "--every",
        type=_interval,
        required=True,
        metavar="INTERVAL",
        help="time between the starts of two rounds: 90s, 5m, 1h or seconds",
    )
    watch_cmd.add_argument(
        "--until",
        type=_timestamp,
        metavar="TIMESTAMP",
        help="stop before a round that would start after this time (UTC)",
    )

    build_cmd = commands.add_parser(
        "build",
        help="run dbt build on the warehouse",
        description="Run `dbt build` (models, seeds, data and unit tests) on the configured "
        "DuckDB file. Incremental models process only new load batches; when "
        "seeds, macros or models changed since the last build, it becomes a "
        "full refresh by itself.",
    )
    build_cmd.add_argument(
        "--as-of",
        type=_timestamp,
        metavar="TIMESTAMP",
        help="build the marts as they would have been at this record "
        "time (UTC), e.g. 2019-01-24T14:00:00Z",
    )
    build_cmd.add_argument(
        "--full-refresh", action="store_true", help="rebuild incremental models from scratch"
    )

    retract = commands.add_parser(
        "retract",
        help="mark a load batch as bad; models leave its events out",
        description="Record a retraction of LOAD_ID. Nothing is deleted: the batch's "
        "events stay in the raw log and the models skip them.",
    )
    retract.add_argument("load_batch_id", metavar="LOAD_ID")
    retract.add_argument("--reason", required=True, metavar="TEXT", help="why it is retracted")

    commands.add_parser(
        "rebuild",
        help="recreate the raw event log from the input archive",
        description="Replay every archived load and retraction, in order, into a new "
        "database file, swap it in (keeping the old file as "
        "<name>.before-rebuild, then .before-rebuild.1, ...) and run dbt build. A "
        "database that cannot be read is moved aside first, never opened "
        "for writing.",
    )
    evaluate_cmd = commands.add_parser(
        "evaluate",
        help="score fct_stances against hand-annotated gold stance facts",
        description="Precision, recall and F1 of the stance facts at the level (entry, "
        "source group, target group, polarity), per crisis, polarity, rule and "
        "is_background, micro (overall) and macro. Scores a split of the "
        "evaluation corpus (--split) or one gold file (--gold; the default is "
        "the bundled sample's tests/data/gold/sample_stances.csv). Exits 1 when "
        "the overall figures are below the minimums.",
    )
    evaluate_cmd.add_argument(
        "--split",
        metavar="NAME",
        help="score this split of the corpus (dev, test or sample) on "
        "the warehouse --db, which must hold its blogs (or --build)",
    )
    evaluate_cmd.add_argument(
        "--corpus",
        type=_path,
        metavar="DIR",
        help="the evaluation corpus (default: tests/data/stances of the checkout)",
    )
    evaluate_cmd.add_argument(
        "--build",
        action="store_true",
        help="with --split: load the split's blogs into a fresh "
        "eval-NAME.duckdb beside the warehouse, build it and score "
        "that (the warehouse itself is not touched)",
    )
    evaluate_cmd.add_argument(
        "--gold", type=_path, metavar="CSV", help="one gold file, scored on the entries it lists"
    )
    evaluate_cmd.add_argument(
        "--min-precision",
        type=_share,
        default=0.0,
        metavar="P",
        help="exit 1 when the overall (micro) precision is below P",
    )
    evaluate_cmd.add_argument(
        "--min-recall",
        type=_share,
        default=0.0,
        metavar="R",
        help="exit 1 when the overall (micro) recall is below R",
    )
    evaluate_cmd.add_argument(
        "--errors",
        action="store_true",
        help="list false positives, false negatives and the group mapping of each crisis",
    )
    evaluate_cmd.add_argument(
        "--json", action="store_true", help="print every figure as one JSON object"
    )
    publish_cmd = commands.add_parser(
        "publish",
        help="write a read-only snapshot of the marts for BI tools",
        description="Copy every marts table into a separate DuckDB file (marts.duckdb) and "
        "one Parquet file per table, as a new version that replaces the previous "
        "snapshot at once (one atomic switch). Point analysts and BI tools there: "
        "reading them never blocks a load.",
    )
    publish_cmd.add_argument(
        "--out",
        type=_path,
        metavar="DIR",
        help="where to write (default: published/ beside the database, "
        "i.e. warehouse/published/); must be new, empty or written "
        "by an earlier publish, since publish deletes what it wrote",
    )

    run_cmd = commands.add_parser(
        "run",
        help="scheduled step: load new inbox files, build, publish",
        description="Load every file in the inbox folder (moving each to processed/ or "
        "rejected/), run dbt build, then publish the read-only copy. Exit code "
        "0 only if every step succeeded; for cron and other schedulers. Symbolic "
        "links in the inbox are refused unread (moved to rejected/).",
    )
    run_cmd.add_argument(
        "--inbox",
        type=_path,
        required=True,
        metavar="DIR",
        help="folder new live-blog snapshots arrive in; its processed/ and "
        "rejected/ must be real folders, not links",
    )
    run_cmd.add_argument(
        "--publish-dir",
        type=_path,
        metavar="DIR",
        help="where publish writes the read-only copy (default: published/ beside the database)",
    )
    run_cmd.add_argument(
        "--quiet", action="store_true", help="print only errors (no progress bar, no dbt log)"
    )
    run_cmd.add_argument(
        "--retries",
        type=_count,
        default=run.DEFAULT_RETRIES,
        metavar="N",
        help="run the step again up to N times after a transient failure "
        "(the database held by another process, disk full), waiting "
        f"${run.RETRY_WAIT_VARIABLE} (default {run.DEFAULT_RETRY_WAIT:g}) "
        "seconds, then twice that, ...; other failures are never "
        f"retried (default {run.DEFAULT_RETRIES})",
    )

    report_cmd = commands.add_parser(
        "report",
        help="write a self-contained HTML report of the marts",
        description="Write one HTML page (plotly.js embedded, works offline) with a "
        "timeline of stance facts, an actor x target alignment matrix, "
        "entries per hour and the strongest statements.",
    )
    report_cmd.add_argument(
        "--out",
        type=_path,
        metavar="FILE",
        help="where to write it (default: <database name>-report.html beside the database)",
    )
    report_cmd.add_argument(
        "--top",
        type=_rows,
        default=15,
        metavar="N",
        help="rows in the strongest-statements table (default 15)",
    )

    export_cmd = commands.add_parser(
        "export-raw",
        help="write the raw event log to Parquet for the Spark target",
        description="Write every raw.* table to OUT/<table>/ as Parquet (same columns; "
        "timestamps naive UTC), read-only. `dbt build --target spark` reads "
        "them as raw.<table>.",
    )
    export_cmd.add_argument(
        "--out",
        type=_path,
        metavar="DIR",
        help="folder to write (default: $LIVELEDGER_RAW_PARQUET or "
        "warehouse/spark/raw); must be new, empty or written by an "
        "earlier export-raw",
    )
    generate_cmd = commands.add_parser(
        "generate",
        help="write a synthetic corpus of AP-style live blogs for benchmarks",
        description="Write N synthetic live blogs in the AP 'The Latest' plain-text format to "
        "OUT_DIR (blog-000001.txt, ...), built from the seeds' cities, actors and "
        "stance cues; every one parses without rejects. The same --blogs, --seed "
        "and --entries-per-blog give byte-identical files.",
    )
    generate_cmd.add_argument(
        "out_dir",
        type=_path,
        metavar="OUT_DIR",
        help="folder to write; created if missing, must be empty unless --force",
    )
    generate_cmd.add_argument(
        "--blogs", type=_count, required=True, metavar="N", help="how many blogs (files) to write"
    )
    generate_cmd.add_argument(
        "--seed",
        type=_count,
        default=0,
        metavar="S",
        help="random seed (default 0); another seed gives another corpus",
    )
    generate_cmd.add_argument(
        "--entries-per-blog",
        type=_entries_per_blog,
        metavar="M",
        default=generate.DEFAULT_ENTRIES_PER_BLOG,
        help="mean entries per blog (default "
        f"{generate.DEFAULT_ENTRIES_PER_BLOG}, like the sample); "
        "for about E entries in all, pass --blogs E/M",
    )
    generate_cmd.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty, replacing the "
        "blog-*.txt files of an earlier run (other files are kept)",
    )
    commands.add_parser("status", help="show what is loaded and when marts were built")
    commands.add_parser("summary", help="print what the marts hold")
    return parser


def main(argv: list[str] | None = None) -> int:
    interrupts.install()
    args: argparse.Namespace | None = None
    try:
        args = make_parser().parse_args(argv)
        return _run(args)
    except BaseException as error:  # every way out of a command gets its one line
        signum = interrupts.received()
        if signum is None and isinstance(error, KeyboardInterrupt):
            signum = signal.SIGINT
        if signum is not None:
            command = args.command if args is not None else ""
            print(
                f"liveledger: interrupted ({interrupts.name(signum)}); "
                f"{_INTERRUPTED.get(command, _INTERRUPTED_OTHER)}",
                file=sys.stderr,
                flush=True,
            )
            return interrupts.exit_code(signum)
        if isinstance(error, BrokenPipeError):
            # The reader of the output left (`liveledger summary | head -1`):
            # stop quietly with SIGPIPE's status, as Unix tools do, and point
            # stdout at /dev/null so the interpreter's last flush cannot fail.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 128 + signal.SIGPIPE
        if isinstance(error, LiveledgerError):
            print(f"liveledger: error: {escape_undecodable(str(error))}", file=sys.stderr)
            return error.exit_code
        if isinstance(error, (OSError, duckdb.Error)):
            # A full disk or a damaged database file, met mid-command.
            mapped = storage.as_user_error(error)
            if mapped is not None:
                print(f"liveledger: error: {escape_undecodable(str(mapped))}", file=sys.stderr)
                return mapped.exit_code
        if isinstance(error, OSError) and error.errno in _USER_OS_ERRORS:
            # The system refused a file operation on a path the user gave that
            # the checks before could not foresee (permissions changed, a name
            # too long for this file system, a file where a folder must be).
            where = f"{path_text(error.filename)}: " if error.filename else ""
            reason = (error.strerror or os.strerror(error.errno)).lower()
            print(f"liveledger: error: {where}{reason}", file=sys.stderr)
            return 1
        raise
    finally:
        interrupts.uninstall()


#: OSErrors that are about the user's paths or disk, not a bug of ours.
_USER_OS_ERRORS = {
    errno.ENAMETOOLONG,
    errno.EACCES,
    errno.EPERM,
    errno.ENOENT,
    errno.ENOTDIR,
    errno.EISDIR,
    errno.ELOOP,
    errno.EROFS,
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EEXIST,
    errno.ENOTEMPTY,
}

#: What an interrupted command left behind, for its one line.
_INTERRUPTED = {
    "load": "the group of files being written was rolled back and the warehouse lock "
    "released; files committed before it stay loaded, so run the same load "
    "again to finish (it appends nothing twice)",
    "build": "the warehouse lock is released; the marts may be partly rebuilt, so run "
    "liveledger build again",
    "run": "the group of files being written was rolled back and the warehouse lock "
    "released; run it again to finish",
    "rebuild": "the warehouse lock is released; run liveledger rebuild again",
}
_INTERRUPTED_OTHER = "stopped before it finished; run it again"


def _run(args: argparse.Namespace) -> int:
    project = find_project()
    db_path = project.db_path(args.db)
    if args.command == "parse":
        return _parse(args, project.reference_dir)
    if args.command == "load":
        return _load(args, db_path, project.reference_dir)
    if args.command == "fetch":
        return _fetch(args, db_path, project.reference_dir)
    if args.command == "watch":
        return _watch(args, project, db_path)
    if args.command == "build":
        with _writer_lock(args, db_path):
            build.build(project, db_path, as_of=args.as_of, full_refresh=args.full_refresh)
        return 0
    if args.command == "retract":
        with _writer_lock(args, db_path, hold_database=False):
            when = history.retract(db_path, args.load_batch_id, args.reason)
        print(
            f"retracted batch {args.load_batch_id} at {when:%Y-%m-%d %H:%M:%S} UTC; "
            "run liveledger build to update the marts"
        )
        return 0
    if args.command == "rebuild":
        with _writer_lock(args, db_path, hold_database=False):
            result = history.rebuild(
                db_path,
                PlaceIndex.from_seed_dir(project.reference_dir),
                warn=lambda message: _say(f"warning: {message}"),
            )
            kept = (
                (
                    f"; the unreadable previous file is kept as {result.previous}"
                    if result.previous_was_damaged
                    else f"; previous file kept as {result.previous}"
                )
                if result.previous
                else ""
            )
            twice = (
                f"; {result.duplicates_skipped} journal lines recording a load a second "
                "time were replayed once"
                if result.duplicates_skipped
                else ""
            )
            print(
                f"rebuilt {db_path} from the archive: {result.loads} loads, "
                f"{result.retractions} retractions replayed{kept}{twice}"
            )
            build.build(project, db_path, full_refresh=True)
        return 0
    if args.command == "evaluate":
        return _evaluate(args, project, db_path)
    if args.command == "publish":
        return _publish(args, db_path)
    if args.command == "run":
        publish_dir = args.publish_dir or db_path.parent / "published"
        if not 0 <= args.retries <= run.MAX_RETRIES:
            raise OptionError(
                f"--retries {args.retries}: give 0 to {run.MAX_RETRIES} extra attempts"
            )
        places = PlaceIndex.from_seed_dir(project.reference_dir)

        def one_step() -> None:
            with _writer_lock(args, db_path):
                run.run_inbox(
                    project,
                    db_path,
                    args.inbox,
                    publish_dir=publish_dir,
                    publisher=run.default_publisher(),
                    places=places,
                    quiet=args.quiet,
                )

        retry.retry_transient(one_step, retries=args.retries, first_wait=run.retry_wait(), say=_say)
        return 0
    if args.command == "report":
        if args.top < 1:
            raise OptionError(f"--top {args.top}: give a number of rows of 1 or more")
        out = args.out or db_path.with_name(f"{db_path.stem}-report.html")
        written = report.write_report(db_path, out, strongest=args.top)
        print(
            f"wrote {written.path}: {written.stance_facts} stance facts, "
            f"{written.alignment_cells} actor-target cells, {written.entry_hours} hours, "
            f"{written.strongest_rows} strongest statements"
        )
        return 0
    if args.command == "export-raw":
        out_dir = project.raw_parquet_dir(args.out)
        for table in export.export_raw(db_path, out_dir):
            print(f"raw.{table.table}: {table.rows} rows -> {table.path}")
        return 0
    if args.command == "generate":
        done = generate.generate_corpus(
            args.out_dir,
            args.blogs,
            args.seed,
            entries_per_blog=args.entries_per_blog,
            force=args.force,
            seeds_dir=project.seeds_dir,
        )
        print(
            f"wrote {done.files} blogs with {done.entries} entries "
            f"({done.megabytes:.1f} MB) to {done.out_dir} in {done.seconds:.1f} s"
        )
        return 0
    if args.command == "status":
        print(status.status_report(db_path))
        return 0
    if args.command == "summary":
        print(summary.summary_report(db_path))
        return 0
    raise AssertionError(args.command)


def _parse(args: argparse.Namespace, reference_dir: Path) -> int:
    if args.timezone is not None:
        load_zone(args.timezone)
    read = formats.parse_input(
        intake.read_input(args.file),
        PlaceIndex.from_seed_dir(reference_dir),
        date=args.date,
        time_zone=args.timezone,
        format=args.format,
    )
    parsed = read.parsed
    if read.unusable:
        raise InputFileError(f"{args.file}: {parsed.rejections[0].message}")
    for entry in parsed.entries:
        if args.json:
            print(
                json.dumps(
                    {
                        "entry_key": entry.entry_key,
                        "position": entry.position,
                        "line": entry.line_number,
                        "time_marker": entry.time_marker,
                        "local_time": entry.published_at_local.isoformat(),
                        "time_zone": entry.time_zone or parsed.time_zone,
                        "published_at": entry.published_at.isoformat() + "Z",
                        "time_source": entry.time_source,
                        "utc_offset": entry.utc_offset,
                        "listing_order": parsed.listing_order,
                        "encoding": parsed.encoding,
                        "body": entry.body,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            first_words = " ".join(entry.body.split()[:8])
            print(
                f"{entry.time_marker:>11}  {entry.published_at_local:%Y-%m-%d %H:%M} "
                f"{parsed.time_zone}  {entry.published_at:%Y-%m-%d %H:%MZ}  {first_words} ..."
            )
    for rejection in parsed.rejections:
        print(f"{path_text(args.file)}: rejected: {rejection.message}", file=sys.stderr)
    for warning in parsed.warnings:
        print(f"{path_text(args.file)}: warning: {warning}", file=sys.stderr)
    if not parsed.entries:
        raise InputFileError(f"{args.file}: no entries could be parsed")
    return 0


def _load(args: argparse.Namespace, db_path: Path, reference_dir: Path) -> int:
    if args.timezone is not None:
        load_zone(args.timezone)
    files = [*args.files, *(_files_from(args.files_from) if args.files_from else [])]
    if not files:
        raise OptionError("load: name at least one FILE, or --files-from LIST")
    options = load.LoadOptions(
        date=args.date, time_zone=args.timezone, observed_at=args.observed_at, format=args.format
    )
    places = PlaceIndex.from_seed_dir(reference_dir)
    with _writer_lock(args, db_path), Progress(len(files), "loading", quiet=args.quiet) as progress:

        def on_file(outcome: load.FileOutcome) -> None:
            if not outcome.ok:  # problems go to stderr, even when quiet
                for message in outcome.messages:
                    print(message, file=sys.stderr)
            lines = list(outcome.messages) if outcome.ok else []
            summary_line = load.outcome_summary(outcome)
            progress.advance("\n".join([*lines, summary_line] if summary_line else lines) or None)

        outcomes = load.load_paths(
            db_path, files, options, places, on_file=on_file, workers=args.workers
        )
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise InputFileError(
            f"{len(failed)} of {len(outcomes)} files loaded no entries; "
            "their rejects are kept in raw.rejected_input"
        )
    return 0


def _fetch_setup(
    args: argparse.Namespace, reference_dir: Path
) -> tuple[load.LoadOptions, PlaceIndex, fetch.FetchSettings]:
    if args.timezone:
        load_zone(args.timezone)
    for url in args.urls:
        fetch.check_url(url)
    settings = fetch.FetchSettings.from_env(
        timeout=args.timeout, retries=args.retries, max_bytes=args.max_bytes
    )
    return (
        load.LoadOptions(date=args.date, time_zone=args.timezone, format=args.format),
        PlaceIndex.from_seed_dir(reference_dir),
        settings,
    )


def _fetch_round(
    args: argparse.Namespace,
    db_path: Path,
    options: load.LoadOptions,
    places: PlaceIndex,
    settings: fetch.FetchSettings,
) -> list[fetch.PollResult]:
    def on_poll(result: fetch.PollResult) -> None:
        for message in result.messages:
            if not result.ok:
                print(message, file=sys.stderr)
            elif not args.quiet:
                print(message)

    with _writer_lock(args, db_path):
        return fetch.fetch_urls(db_path, args.urls, options, places, settings, on_poll)


def _fetch(args: argparse.Namespace, db_path: Path, reference_dir: Path) -> int:
    options, places, settings = _fetch_setup(args, reference_dir)
    results = _fetch_round(args, db_path, options, places, settings)
    failed = [r for r in results if not r.ok]
    if failed:
        raise InputFileError(
            f"{len(failed)} of {len(results)} URLs failed; each poll is recorded in raw.fetch_polls"
        )
    return 0


def _watch(args: argparse.Namespace, project: Project, db_path: Path) -> int:
    options, places, settings = _fetch_setup(args, project.reference_dir)
    stop = watch.StopSignal()

    def one_round() -> bool:
        results = _fetch_round(args, db_path, options, places, settings)
        changed = any(r.new_batch for r in results)
        if changed:
            with _writer_lock(args, db_path):
                build.build(project, db_path, quiet=args.quiet)
        return all(r.ok for r in results)

    with stop.installed(
        on_first=lambda: _say("stopping after this round (press Ctrl-C again to abort it)")
    ):
        done = watch.repeat(
            one_round,
            every=args.every,
            until=args.until,
            stop=stop,
            on_error=lambda error: _say(f"error: {error} (transient: trying again next round)"),
        )
    _say(f"watch stopped after {done.rounds} rounds ({done.failed} with failures)")
    return 1 if done.failed else 0


def _evaluate(args: argparse.Namespace, project: Project, db_path: Path) -> int:
    if args.gold and (args.split or args.corpus or args.build):
        raise OptionError(
            "--gold scores one file; --split, --corpus and --build are for "
            "the corpus: give one or the other"
        )
    if (args.corpus or args.build) and not args.split:
        raise OptionError("--corpus and --build need --split NAME (dev, test or sample)")
    blog_ids, built = None, False
    if args.split:
        corpus = args.corpus.resolve() if args.corpus else evaluate.default_corpus(project)
        gold = evaluate.read_split(corpus, args.split, project.root / evaluate.SAMPLE_BLOGS)
        places = PlaceIndex.from_seed_dir(project.reference_dir)
        blog_ids = scratch.blog_ids(gold, places)
        if args.build:
            if scratch.scratch_db_path(db_path, args.split) == db_path:
                raise OptionError(
                    f"--db {db_path} is the scratch database --build replaces; "
                    "give the warehouse it goes beside, or drop --build"
                )
            db_path = scratch.scratch_db_path(db_path, args.split)
            with _writer_lock(args, db_path, hold_database=False):
                scratch.build_split(project, gold, db_path, places, say=_say)
            built = True
    else:
        gold = evaluate.read_single(args.gold or evaluate.default_gold(project))
    result = evaluate.evaluate_warehouse(db_path, gold, blog_ids, read_only=not built)
    print(
        evaluate.json_report(result)
        if args.json
        else evaluate.text_report(result, show_errors=args.errors)
    )
    overall = result.overall
    precision, recall = overall.precision or 0.0, overall.recall or 0.0
    if precision < args.min_precision or recall < args.min_recall:
        raise BuildFailedError(
            f"stance quality below target: precision {precision:.3f} "
            f"(min {args.min_precision}), recall {recall:.3f} (min {args.min_recall})"
        )
    return 0


def _files_from(listing: Path) -> list[Path]:
    """The file names in ``listing`` (``-``: stdin): see :func:`load.read_file_list`."""
    try:
        data = sys.stdin.buffer.read() if str(listing) == "-" else listing.read_bytes()
    except OSError as error:
        raise OptionError(
            f"--files-from {listing}: cannot be read ({error.strerror}); "
            "give a file listing one FILE per line"
        ) from None
    return load.read_file_list(data)


def _publish(args: argparse.Namespace, db_path: Path) -> int:
    out_dir = args.out.resolve() if args.out else publish.default_out_dir(db_path)
    with _writer_lock(args, db_path, read_only=True):
        done = publish.publish_marts(db_path, out_dir)
    tables = ", ".join(f"{t.name} ({t.rows} rows)" for t in done.tables)
    print(
        f"published {len(done.tables)} marts tables to {done.database_path} "
        f"and {done.parquet_dir}/: {tables}"
    )
    return 0


def _writer_lock(
    args: argparse.Namespace,
    db_path: Path,
    *,
    read_only: bool = False,
    hold_database: bool = True,
) -> AbstractContextManager[None]:
    """The warehouse lock for this command; says so on stderr if it has to wait."""
    return lock.writer_lock(
        db_path,
        args.command,
        args.lock_timeout,
        read_only=read_only,
        on_wait=_say,
        hold_database=hold_database,
    )


def _say(message: str) -> None:
    print(f"liveledger: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m liveledger.bench``: run the benchmarks and write BENCHMARKS.md."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from ..errors import LiveledgerError
from ..project import find_project
from . import harness, table


def _sizes(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in value.split(",") if part)
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a list of entry counts like 10000,100000"
        )
    return sizes


def _dlt_installed() -> bool:
    try:
        import dlt  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m liveledger.bench",
        description="Measure the loader and the dbt build on generated corpora, side by side "
        "with their baselines, and write the table into BENCHMARKS.md.",
    )
    parser.add_argument(
        "--load-sizes",
        type=_sizes,
        default="10000,100000,1000000",
        metavar="N,...",
        help="entry counts for the loader benchmark (default %(default)s)",
    )
    parser.add_argument(
        "--build-sizes",
        type=_sizes,
        default="100000,200000",
        metavar="N,...",
        help="entry counts for the whole build benchmark: full build, dbt "
        "run, plain SQL, incremental (default %(default)s)",
    )
    parser.add_argument(
        "--large-build-sizes",
        type=_sizes,
        default="1000000",
        metavar="N,...",
        help="entry counts at which only the full and the incremental build "
        "are measured, not dbt run and the plain SQL (default %(default)s)",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per step up to 100k entries (median reported)"
    )
    parser.add_argument(
        "--large-repeats",
        type=int,
        default=1,
        help="runs per step above 100k entries (default 1: they take minutes)",
    )
    parser.add_argument("--seed", type=int, default=2019, help="corpus seed")
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="scratch folder for corpora and databases (default bench/ in "
        "the project, git-ignored; corpora are reused between runs)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="Markdown file to write the table into (default BENCHMARKS.md)",
    )
    parser.add_argument(
        "--no-dlt", action="store_true", help="skip the dlt baseline (it needs the bench extra)"
    )
    parser.add_argument(
        "--dlt-max",
        type=int,
        default=1_000_000,
        metavar="ENTRIES",
        help="run the dlt baseline only up to this size (it is slow)",
    )
    args = parser.parse_args(argv)
    try:
        project = find_project()
        with_dlt = not args.no_dlt
        if with_dlt and not _dlt_installed():
            raise LiveledgerError(
                "dlt is not installed: run `make bench` (it installs the bench "
                "extra) or pass --no-dlt"
            )
        config = harness.Config(
            project=project,
            work=(args.work or project.root / "bench").resolve(),
            load_sizes=args.load_sizes,
            build_sizes=args.build_sizes,
            large_build_sizes=args.large_build_sizes,
            repeats=args.repeats,
            large_repeats=args.large_repeats,
            seed=args.seed,
            with_dlt=with_dlt,
            dlt_max_entries=args.dlt_max,
        )
        results = harness.run(config, lambda line: print(line, flush=True))
    except LiveledgerError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return error.exit_code
    command = "python -m liveledger.bench " + shlex.join(sys.argv[1:] if argv is None else argv)
    region = table.markdown(results, harness.machine_facts(), command.strip())
    output = args.output or project.root / "BENCHMARKS.md"
    table.write_region(output, region)
    print(region)
    print(f"bench: wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

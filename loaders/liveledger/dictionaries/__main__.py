"""``python -m liveledger.dictionaries``: rebuild the dictionary seeds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import LiveledgerError
from .convert import convert


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m liveledger.dictionaries",
        description=(
            "Convert the PETRARCH2/Phoenix dictionaries (MIT) into the seeds under "
            "seeds/dictionaries/: actors with dated roles and aliases, agent nouns, "
            "and a CAMEO cue lexicon. Deterministic: the same input gives the same bytes."
        ),
    )
    parser.add_argument(
        "--source",
        type=Path,
        required=True,
        help="folder with Phoenix.*.actors.txt, Phoenix.agents.txt and CAMEO.2.0.txt",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("seeds/dictionaries"),
        help="folder to write the seeds into (default: seeds/dictionaries)",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=Path("seeds"),
        help="the project's seeds folder, whose countries, cities, organisations "
        "and curated actors the ids line up with (default: seeds)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        result = convert(args.source, args.out, args.seeds)
    except LiveledgerError as exc:
        print(f"liveledger: error: {exc}", file=sys.stderr)
        return exc.exit_code
    for name, count in sorted(result.rows.items()):
        print(f"{args.out / name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

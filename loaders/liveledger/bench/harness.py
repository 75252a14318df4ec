"""The benchmark run: corpora, measured steps, baselines, targets.

Each size gets one generated corpus of ``blogs * 1.01`` blogs: the first
``blogs`` files are the benchmark input, the rest the "+1% new entries" of
the incremental build. Every step runs in a child process (``measure``) from
the same starting state each time, and is compared with its baseline run in
this same script.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..generate import generate_corpus
from ..places import PlaceIndex
from ..project import Project
from .baselines import write_ndjson
from .measure import BenchStepError, Measurement, Summary, repeat, run_measured

#: Mean entries per generated blog (the real sample has 29).
ENTRIES_PER_BLOG = 30
GIB = 1024**3


@dataclass(frozen=True)
class Config:
    project: Project
    work: Path
    load_sizes: tuple[int, ...]
    build_sizes: tuple[int, ...]
    large_build_sizes: tuple[int, ...]
    repeats: int
    large_repeats: int
    seed: int
    with_dlt: bool
    dlt_max_entries: int

    def runs(self, entries: int) -> int:
        """Repeated runs for a size: fewer for the big ones, which take minutes."""
        return self.repeats if entries <= 100_000 else self.large_repeats


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    section: str
    step: str
    entries: int
    summary: Summary
    rate: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row, say: Callable[[str], None]) -> None:
        self.rows.append(row)
        verdict = "" if row.met is None else (" met" if row.met else " MISSED")
        ratio = "" if row.ratio is None else f" ratio {row.ratio:.2f} ({row.target}){verdict}"
        say(
            f"  {row.section} / {row.step} @ {row.entries:,}: {row.summary.seconds:.2f} s "
            f"(median of {row.summary.runs}), peak RSS {row.summary.peak_rss_bytes / GIB:.2f} "
            f"GiB {row.rate}{ratio}"
        )


@dataclass(frozen=True)
class Corpus:
    folder: Path
    base: list[Path]
    increment: list[Path]
    base_bytes: int

    def write_list(self, files: list[Path], out: Path) -> Path:
        out.write_text("".join(f"{p.name}\n" for p in files), encoding="utf-8")
        return out


def corpus_for(config: Config, entries: int, say: Callable[[str], None]) -> Corpus:
    """Generate (once; reused if present) the corpus for a size."""
    blogs = max(1, math.ceil(entries / ENTRIES_PER_BLOG))
    extra = max(1, blogs // 100)
    folder = config.work / f"corpus-{entries}-seed{config.seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        say(f"generating {blogs + extra:,} blogs (~{entries:,} entries + 1%) in {folder}")
        generate_corpus(folder, blogs + extra, config.seed, entries_per_blog=ENTRIES_PER_BLOG)
        done.write_text("ok\n")
    files = sorted(folder.glob("*.txt"))
    base, increment = files[:blogs], files[blogs:]
    return Corpus(folder, base, increment, sum(p.stat().st_size for p in base))


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _env(db: Path) -> dict[str, str]:
    return {**os.environ, "LIVELEDGER_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def _copy_db(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    shutil.copyfile(source, target)


def bench_load(config: Config, size: int, results: Results, say: Callable[[str], None]) -> None:
    """Our loader on text vs read_json and dlt on the same entries pre-parsed."""
    corpus = corpus_for(config, size, say)
    run_dir = config.work / f"load-{size}"
    file_list = corpus.write_list(corpus.base, _fresh(run_dir) / "files.txt")
    db = run_dir / "db" / "w.duckdb"
    log = run_dir / "step.log"

    def loader() -> Measurement:
        _fresh(db.parent)
        return run_measured(
            [_bin("liveledger"), "load", "--quiet", "--files-from", str(file_list)],
            cwd=corpus.folder,
            env=_env(db),
            log=log,
        )

    loaded = repeat(config.runs(size), loader)
    entries = _count(db, "select count(*) from raw.entry_events")
    ndjson = config.work / f"corpus-{size}-seed{config.seed}.ndjson"
    if not ndjson.exists():
        say(f"writing the pre-parsed entries to {ndjson}")
        parsed = write_ndjson(
            corpus.base, PlaceIndex.from_seed_dir(config.project.reference_dir), ndjson
        )
        if parsed != entries:
            raise BenchStepError(
                f"the loader appended {entries} entries but the parser found {parsed}: the "
                "baselines would not load the same entries"
            )
    mb = corpus.base_bytes / 1e6
    results.add(
        Row(
            "load",
            "liveledger load (text)",
            entries,
            loaded,
            rate=f"{entries / loaded.seconds:,.0f} entries/s, {mb / loaded.seconds:.1f} MB/s",
        ),
        say,
    )

    def versus(kind: str, label: str, least: float) -> None:
        def baseline() -> Measurement:
            _fresh(db.parent)
            return run_measured(
                [sys.executable, "-m", "liveledger.bench.baselines", kind, str(db), str(ndjson)],
                env=_env(db),
                log=log,
            )

        other = repeat(config.runs(size), baseline)
        results.add(
            Row("load", label, entries, other, rate=f"{entries / other.seconds:,.0f} entries/s"),
            say,
        )
        ratio = other.seconds / loaded.seconds
        results.add(
            Row(
                "load",
                f"loader vs {kind}",
                entries,
                loaded,
                ratio=ratio,
                target=f"speed ratio >= {least:g}",
                met=ratio >= least,
            ),
            say,
        )

    versus("read_json", "DuckDB read_json (NDJSON)", 1.0)
    if config.with_dlt and size <= config.dlt_max_entries:
        versus("dlt", "dlt pipeline (NDJSON records)", 10.0)
    if size >= 1_000_000:
        results.add(
            Row(
                "load",
                "loader peak memory",
                entries,
                loaded,
                target="peak RSS < 1 GiB",
                met=loaded.peak_rss_bytes < GIB,
            ),
            say,
        )


def bench_build(
    config: Config,
    size: int,
    results: Results,
    say: Callable[[str], None],
    *,
    large: bool = False,
) -> None:
    """dbt build (full and after +1%), dbt run, and the same SQL without dbt.

    ``large`` leaves out dbt run and the plain SQL: at the largest sizes
    each would take about as long as the full build again.
    """
    corpus = corpus_for(config, size, say)
    run_dir = _fresh(config.work / f"build-{size}")
    log = run_dir / "step.log"
    template = run_dir / "template.duckdb"
    base_list = corpus.write_list(corpus.base, run_dir / "base.txt")
    more_list = corpus.write_list(corpus.increment, run_dir / "increment.txt")
    liveledger = _bin("liveledger")
    say(f"loading {len(corpus.base):,} files into {template} (not timed)")
    run_measured(
        [liveledger, "load", "--quiet", "--files-from", str(base_list)],
        cwd=corpus.folder,
        env=_env(template),
        log=log,
    )
    run_measured([_bin("dbt"), "seed", "--quiet", *_dbt_args(config)], env=_env(template), log=log)
    entries = _count(template, "select count(*) from raw.entry_events")
    db = run_dir / "run.duckdb"
    built = run_dir / "built.duckdb"

    def full_build() -> Measurement:
        _copy_db(template, db)
        done = run_measured([liveledger, "build"], env=_env(db), log=log)
        _copy_db(db, built)
        return done

    full = repeat(config.runs(size), full_build)
    results.add(
        Row(
            "build",
            "liveledger build (full dbt build)",
            entries,
            full,
            rate=f"{entries / full.seconds:,.0f} entries/s",
        ),
        say,
    )
    if size >= 1_000_000:
        results.add(
            Row(
                "build",
                "full build of 1M within 2 min",
                entries,
                full,
                target="<= 120 s",
                met=full.seconds <= 120,
            ),
            say,
        )
    if not large:
        _versus_plain_sql(config, size, entries, template, run_dir, results, say)

    def incremental() -> Measurement:
        _copy_db(built, db)
        run_measured(
            [liveledger, "load", "--quiet", "--files-from", str(more_list)],
            cwd=corpus.folder,
            env=_env(db),
            log=log,
        )
        return run_measured([liveledger, "build"], env=_env(db), log=log)

    more = repeat(config.runs(size), incremental)
    added = _count(db, "select count(*) from raw.entry_events") - entries
    ratio = more.seconds / full.seconds
    results.add(
        Row(
            "build",
            f"incremental build after +{added:,} entries",
            entries,
            more,
            ratio=ratio,
            target="time ratio <= 0.15",
            met=ratio <= 0.15,
        ),
        say,
    )


def _dbt_args(config: Config) -> list[str]:
    return ["--project-dir", str(config.project.root), "--profiles-dir", str(config.project.root)]


def _versus_plain_sql(
    config: Config,
    size: int,
    entries: int,
    template: Path,
    run_dir: Path,
    results: Results,
    say: Callable[[str], None],
) -> None:
    """dbt run (models only) vs dbt's compiled SQL run as one script without dbt."""
    log = run_dir / "step.log"
    db = run_dir / "run.duckdb"

    def dbt_run() -> Measurement:
        _copy_db(template, db)
        return run_measured(
            [_bin("dbt"), "run", "--full-refresh", "--quiet", *_dbt_args(config)],
            env=_env(db),
            log=log,
        )

    models = repeat(config.runs(size), dbt_run)
    results.add(Row("build", "dbt run (models only)", entries, models), say)

    script = run_dir / "models.sql"
    _copy_db(template, db)
    run_measured(
        [sys.executable, "-m", "liveledger.bench.sqlscript", "compile", str(script)],
        env=_env(db),
        log=log,
    )

    def plain_sql() -> Measurement:
        _copy_db(template, db)
        return run_measured(
            [sys.executable, "-m", "liveledger.bench.sqlscript", "run", str(db), str(script)],
            env=_env(db),
            log=log,
        )

    direct = repeat(config.runs(size), plain_sql)
    results.add(Row("build", "same SQL as one script, no dbt", entries, direct), say)
    ratio = models.seconds / direct.seconds
    results.add(
        Row(
            "build",
            "dbt run vs plain SQL",
            entries,
            models,
            ratio=ratio,
            target="time ratio <= 1.3",
            met=ratio <= 1.3,
        ),
        say,
    )


def scaling(results: Results, say: Callable[[str], None]) -> None:
    """Time per doubling between consecutive sizes: 2.0 is linear."""
    for section, step in (
        ("load", "liveledger load (text)"),
        ("build", "liveledger build (full dbt build)"),
    ):
        rows = sorted(
            (r for r in results.rows if r.section == section and r.step == step),
            key=lambda r: r.entries,
        )
        for small, large in zip(rows, rows[1:]):
            growth = large.entries / small.entries
            per_doubling = (large.summary.seconds / small.summary.seconds) ** (
                math.log(2) / math.log(growth)
            )
            results.add(
                Row(
                    "scaling",
                    f"{step}: {small.entries:,} -> {large.entries:,}",
                    large.entries,
                    large.summary,
                    ratio=per_doubling,
                    target="time x per doubling <= 2.2",
                    met=per_doubling <= 2.2,
                ),
                say,
            )


def run(config: Config, say: Callable[[str], None]) -> Results:
    results = Results()
    config.work.mkdir(parents=True, exist_ok=True)
    for size in config.load_sizes:
        say(f"load benchmark, {size:,} entries")
        bench_load(config, size, results, say)
    for size in sorted({*config.build_sizes, *config.large_build_sizes}):
        say(f"build benchmark, {size:,} entries")
        try:
            bench_build(config, size, results, say, large=size not in config.build_sizes)
        except BenchStepError as error:  # the table says so, and the rest still runs
            results.notes.append(f"Build benchmark at {size:,} entries failed: {error}")
            say(f"  FAILED: {error}")
    scaling(results, say)
    return results


def machine_facts() -> dict[str, str]:
    """What the numbers were measured on."""
    import platform

    import dbt.version

    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{memory:.0f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt-core": str(dbt.version.__version__),
    }

"""The same dbt project on Apache Spark, proven cell for cell against DuckDB.

Run by ``make test-spark`` (``pytest -m spark``); ``make test`` skips it, as
it needs the ``spark`` extra and Java 17+ and takes a few minutes.

The story it tells, with the normal CLI on the DuckDB side:

1. Load the first three snapshots of the sample blog, ``liveledger build``,
   ``liveledger export-raw``, then ``dbt build --target spark`` (in this
   process, so the Spark session can be read afterwards).
2. Load the last two snapshots, the bundled sample (samples/*.txt) and the
   parser test corpus (rejects included) and a TV reprint of the sample (stance events fold
   across blogs), retract one load, build both again: the incremental models
   take the ``append`` path with ``new_batches_only()`` on both engines.
3. Every table and view of every layer (raw, reference, staging,
   intermediate, marts) must be the same on both engines: same columns,
   same kind of type, same rows as a multiset, with timestamps compared as
   naive UTC, floats rounded and NULL kept apart from ''. ``fct_builds``
   differs by design in its id, target name and clock, so those are
   checked for sanity instead of equality.

Separately, every dispatched macro is run on both engines over the same
inputs (all of the Basic Multilingual Plane for accents, and the known
traps: apostrophes, empty strings, NULLs, regex metacharacters, letter
delimiters, bad casts, zones) and must give the same answers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import REPO, TEST_BLOGS

pytestmark = pytest.mark.spark

SNAPSHOTS = REPO / "tests" / "data" / "snapshots"
FIRST_LOADS = [
    ("snapshot-01-0200.txt", "2019-01-24T06:00:00Z"),
    ("snapshot-02-0700.txt", "2019-01-24T11:00:00Z"),
    ("snapshot-03-1200.txt", "2019-01-24T16:00:00Z"),
]
LATER_LOADS = [
    ("snapshot-04-1500.txt", "2019-01-24T19:00:00Z"),
    ("snapshot-05-1700.txt", "2019-01-24T21:00:00Z"),
]
#: Schemas compared; raw too, to prove the Parquet round trip.
SCHEMAS = ["raw", "reference", "staging", "intermediate", "marts"]
#: fct_builds columns that differ between two builds by design.
VOLATILE = {("marts", "fct_builds"): {"build_id", "target_name", "built_at"}}
#: How many differing rows a failure shows, per side.
SHOWN = 5


@dataclass(frozen=True)
class Builds:
    duckdb_path: Path
    spark_out: Path  # every Spark relation written back as Parquet: <schema>/<name>/
    started_at: dt.datetime  # UTC, naive, before the first build
    finished_at: dt.datetime


def _require_java() -> None:
    """pyspark 4 needs Java 17+; say so in one line instead of a JVM trace."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java 17+ is needed for the Spark target and `java` is not on PATH "
            "(Debian: apt-get install openjdk-17-jre-headless)",
            pytrace=False,
        )
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    found = re.search(r'version "(\d+)', version)
    if found is None or int(found.group(1)) < 17:
        pytest.fail(
            f"Java 17+ is needed for the Spark target; found: {version.splitlines()[0]}",
            pytrace=False,
        )


def _cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"liveledger {' '.join(args)}:\n" + (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    return result.stdout


def _spark_build(logic_hash: str, *, with_tests: bool = True) -> None:
    """``dbt build --target spark`` in this process, like ``liveledger build`` does for DuckDB.

    The first of the two builds only sets up state for the incremental one,
    so it skips the tests (a minute of Spark jobs); the second runs them all.
    """
    from dbt.cli.main import dbtRunner

    skip = [] if with_tests else ["--exclude-resource-type", "test", "unit_test"]
    result = dbtRunner().invoke(
        [
            "build",
            "--target",
            "spark",
            "--project-dir",
            str(REPO),
            "--profiles-dir",
            str(REPO),
            "--vars",
            json.dumps({"logic_hash": logic_hash}),
            *skip,
        ]
    )
    assert result.success, f"dbt build --target spark failed: {result.exception or 'see log'}"


def _spark() -> Any:
    """The Spark session dbt-spark created in this process (session method)."""
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
    assert session.conf.get("spark.sql.session.timeZone") == "UTC"
    return session


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    _require_java()
    pytest.importorskip("pyspark", reason="install the spark extra: make test-spark")
    from liveledger.build import logic_hash
    from liveledger.project import Project

    work = tmp_path_factory.mktemp("spark")
    settings = {
        "LIVELEDGER_DB": str(work / "warehouse.duckdb"),
        "LIVELEDGER_RAW_PARQUET": str(work / "raw-parquet"),
        "LIVELEDGER_SPARK_DIR": str(work / "spark"),
        "LIVELEDGER_PROJECT_DIR": str(REPO),  # profiles.yml finds conf/ through it
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    env = dict(os.environ)
    hash_now = logic_hash(Project(REPO))
    started = _utc_now()
    try:
        for name, observed in FIRST_LOADS:
            _cli(env, "load", str(SNAPSHOTS / name), "--observed-at", observed)
        _cli(env, "build")
        _cli(env, "export-raw")
        _spark_build(hash_now, with_tests=False)

        for name, observed in LATER_LOADS:
            _cli(env, "load", str(SNAPSHOTS / name), "--observed-at", observed)
        blogs = [*sorted((REPO / "samples").glob("*.txt")), *sorted(TEST_BLOGS.glob("*.txt"))]
        _cli(env, "load", *map(str, blogs))
        # A second outlet's reprint: stance events fold across blogs.
        _cli(
            env,
            "load",
            "--date",
            "2019-01-24",
            "--timezone",
            "America/Caracas",
            str(REPO / "tests" / "data" / "reprints" / "wxyz-venezuela-reprint.txt"),
        )
        second = _batch_of(Path(settings["LIVELEDGER_DB"]), "snapshot-02-0700.txt")
        _cli(env, "retract", second, "--reason", "spark test: a retracted load")
        _cli(env, "build")
        _cli(env, "export-raw")
        _spark_build(hash_now)
        finished = _utc_now()

        spark_out = work / "spark-out"
        spark = _spark()
        for schema in SCHEMAS:
            for row in spark.sql(f"show tables in {schema}").collect():
                if row.isTemporary:  # dbt-spark's leftover `__dbt_tmp` views
                    continue
                spark.table(f"{schema}.{row.tableName}").write.parquet(
                    str(spark_out / schema / row.tableName)
                )
        yield Builds(Path(settings["LIVELEDGER_DB"]), spark_out, started, finished)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _batch_of(db: Path, source_name: str) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        ((batch,),) = con.execute(
            "select load_batch_id from raw.load_batches where source_name = ?", [source_name]
        ).fetchall()
        return str(batch)
    finally:
        con.close()


# --- comparing relations -------------------------------------------------


def _family(duckdb_type: str) -> str:
    """The kind of a column's type; widths (int vs bigint) may differ by engine."""
    kind = duckdb_type.upper()
    if kind in {
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
    }:
        return "integer"
    if kind in {"FLOAT", "DOUBLE", "REAL"} or kind.startswith("DECIMAL"):
        return "number"
    if kind == "VARCHAR":
        return "string"
    return kind.lower()  # boolean, date, timestamp, timestamp with time zone, ...


def _canonical(column: str, family: str) -> str:
    """A column as text that compares equal across engines exactly when the values do."""
    quoted = f'"{column}"'
    if family == "timestamp":
        return f"strftime({quoted}, '%Y-%m-%dT%H:%M:%S.%f')"
    if family == "number":
        return f"printf('%.9f', {quoted})"
    if family == "integer":
        return f"cast(cast({quoted} as hugeint) as varchar)"
    return f"cast({quoted} as varchar)"


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [
        (name, _family(kind))
        for name, kind, *_ in con.execute(f"describe select * from {relation}").fetchall()
    ]


def _relations(builds: Builds) -> list[tuple[str, str]]:
    con = duckdb.connect(str(builds.duckdb_path), read_only=True)
    try:
        return sorted(
            con.execute(
                "select table_schema, table_name from information_schema.tables "
                f"where table_schema in ({', '.join(repr(s) for s in SCHEMAS)})"
            ).fetchall()
        )
    finally:
        con.close()


def _compare(builds: Builds, schema: str, name: str) -> list[str]:
    """Differences between the DuckDB and the Spark relation, as readable lines."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{builds.duckdb_path}' as duck (read_only)")
        folder = builds.spark_out / schema / name
        if not folder.is_dir():
            return [f"{schema}.{name} exists on DuckDB but not on Spark"]
        duck = f"duck.{schema}.{name}"
        spark = f"read_parquet('{folder}/*.parquet')"
        duck_columns, spark_columns = _columns(con, duck), _columns(con, spark)
        if duck_columns != spark_columns:
            return [
                f"{schema}.{name}: columns differ:",
                f"  duckdb {duck_columns}",
                f"  spark  {spark_columns}",
            ]
        volatile = VOLATILE.get((schema, name), set())
        kept = [(c, f) for c, f in duck_columns if c not in volatile]
        select = ", ".join(f'{_canonical(c, f)} as "{c}"' for c, f in kept)
        order = ", ".join(str(i + 1) for i in range(len(kept) + 1))
        differing = con.execute(f"""
            with duck_rows as (select {select} from {duck}),
            spark_rows as (select {select} from {spark}),
            only_duck as (select * from duck_rows except all select * from spark_rows),
            only_spark as (select * from spark_rows except all select * from duck_rows)
            select 'duckdb only' as side, * from only_duck
            union all
            select 'spark only' as side, * from only_spark
            order by {order}
        """).fetchall()
        counts = [con.execute(f"select count(*) from {r}").fetchone()[0] for r in (duck, spark)]  # type: ignore[index]
    finally:
        con.close()
    if not differing:
        return []
    lines = [
        f"{schema}.{name}: {len(differing)} differing rows "
        f"(duckdb {counts[0]} rows, spark {counts[1]}); columns: {[c for c, _ in kept]}"
    ]
    for side in ("duckdb only", "spark only"):
        rows = [r for r in differing if r[0] == side][:SHOWN]
        lines += [f"  {side}: {row[1:]!r}" for row in rows]
    return lines


def test_spark_has_every_relation_and_nothing_else(builds: Builds) -> None:
    duck = set(_relations(builds))
    spark = {
        (schema, path.name)
        for schema in SCHEMAS
        for path in (builds.spark_out / schema).glob("*")
        if path.is_dir()
    }
    assert spark == duck, (
        f"only on DuckDB: {sorted(duck - spark)}; only on Spark: {sorted(spark - duck)}"
    )
    assert {name for schema, name in duck if schema == "marts"} >= {
        "fct_entries",
        "fct_entry_versions",
        "fct_stances",
        "fct_stance_events",
        "dim_actors",
        "fct_builds",
    }


@pytest.mark.parametrize("schema", SCHEMAS)
def test_every_relation_is_equal_cell_for_cell(builds: Builds, schema: str) -> None:
    problems = []
    compared = 0
    for relation_schema, name in _relations(builds):
        if relation_schema == schema:
            problems += _compare(builds, schema, name)
            compared += 1
    assert compared > 0, f"nothing compared in {schema}"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "column, changed_value",
    [
        ("evidence", "evidence || ' '"),  # one trailing space
        ("target_actor_id", "coalesce(target_actor_id, '')"),  # NULL is not ''
        ("published_at", "published_at + interval 1 microsecond"),
    ],
)
def test_the_comparison_sees_a_single_changed_cell(
    builds: Builds,
    tmp_path: Path,
    column: str,
    changed_value: str,
) -> None:
    """Guard against a comparison that cannot fail: alter one cell, expect the difference."""
    folder = tmp_path / "spark-out" / "marts" / "fct_stances"
    shutil.copytree(builds.spark_out / "marts" / "fct_stances", folder)
    con = duckdb.connect()
    try:
        con.execute(f"create table original as select * from read_parquet('{folder}/*.parquet')")
        ((first,),) = con.execute(
            f"select min(stance_id) from original where {changed_value} is distinct from {column}"
        ).fetchall()
        assert first is not None, f"no row where {changed_value} changes anything"
        for part in folder.glob("*.parquet"):
            part.unlink()
        con.execute(f"""
            copy (
                select * replace (
                    case when stance_id = '{first}' then {changed_value} else {column} end
                    as {column})
                from original
            ) to '{folder}/part-0.parquet' (format parquet)""")
    finally:
        con.close()
    altered = Builds(
        builds.duckdb_path, tmp_path / "spark-out", builds.started_at, builds.finished_at
    )
    problems = _compare(altered, "marts", "fct_stances")
    assert problems and "fct_stances: 2 differing rows" in problems[0], problems
    assert [line[:13] for line in problems[1:]] == ["  duckdb only", "  spark only:"]


def test_the_sample_facts_are_there(builds: Builds) -> None:
    """Equality alone would pass if both engines built nothing; they did not."""
    con = duckdb.connect(str(builds.duckdb_path), read_only=True)
    try:
        ((entries,),) = con.execute("select count(*) from marts.fct_entries").fetchall()
        ((stances,),) = con.execute("select count(*) from marts.fct_stances").fetchall()
        ((apostrophes,),) = con.execute(
            "select count(*) from reference.actor_aliases where alias like '%''%'"
        ).fetchall()
        ((empty_cells,),) = con.execute(
            "select count(*) from reference.actors where affiliation_actor_id is null"
        ).fetchall()
        ((retracted,),) = con.execute("select count(*) from raw.retractions").fetchall()
        ((rejects,),) = con.execute("select count(*) from raw.rejected_input").fetchall()
    finally:
        con.close()
    assert entries > 29 and stances > 30
    assert apostrophes > 0 and empty_cells > 0  # the seed traps are exercised
    assert retracted == 1 and rejects > 0


def test_builds_are_recorded_in_utc_on_both_engines(builds: Builds) -> None:
    spark = f"read_parquet('{builds.spark_out}/marts/fct_builds/*.parquet')"
    con = duckdb.connect()
    try:
        con.execute(f"attach '{builds.duckdb_path}' as duck (read_only)")
        for relation, target in (("duck.marts.fct_builds", "duckdb"), (spark, "spark")):
            rows = con.execute(
                f"select target_name, built_at from {relation} order by built_at"
            ).fetchall()
            assert [t for t, _ in rows] == [target, target]
            for _, built_at in rows:
                assert builds.started_at - dt.timedelta(seconds=5) <= built_at
                assert built_at <= builds.finished_at + dt.timedelta(seconds=5)
    finally:
        con.close()


# --- the dispatched macros, engine against engine ------------------------

#: Inputs where the engines are known to part ways if a macro is careless.
TRICKY_TEXTS = [
    "Guaidó",
    "Côte d'Ivoire",
    "O’Brien’s",
    "Maduro's",
    "U.S.",
    "Gen.",
    "“Yes.”",
    "(AP)",
    "a|b||c",
    "|",
    "a|",
    "",
    "   ",
    "\\d",
    "a\\d",
    "d",
    "ÀLÉX",
    "e\u0301",
    "İstanbul",
    "Łódź",
    "Ørsted",
    "straße",
    "ﬁnal",
    "#hashtag",
    "@user",
    "12:15",
    "a.b",
    "[x]",
    "Smith.",
    "banana",
    "Z\u0324\u0361a",
    "…",
    "Nicolás Maduro",
    "TÜRKİYE",
    "١٢٣",
    None,
]
#: (instant in UTC, zone): offsets with minutes, DST edges, a zone that changed.
INSTANTS = [
    ("2019-01-24 20:25:00", "America/Caracas"),
    ("2015-06-01 12:00:00", "America/Caracas"),
    ("2019-03-10 06:59:59", "America/New_York"),
    ("2019-03-10 07:00:00", "America/New_York"),
    ("2019-11-03 05:30:00", "America/New_York"),
    ("2019-01-24 00:00:00", "Asia/Kathmandu"),
    ("2019-10-27 00:59:59.999999", "Europe/London"),
    ("2019-10-27 01:00:00", "Europe/London"),
    ("2019-12-31 23:30:00", "Pacific/Kiritimati"),
    ("2019-01-01 11:00:00", "Pacific/Pago_Pago"),
]
CONFORMANCE_SQL = """
with cases as (
    select * from conformance_cases
),

chars as (
    select * from conformance_chars
),

instants as (
    select * from conformance_instants
),

parts as (
    select
        case_id,
        {{ liveledger.explode_with_position(
            liveledger.split_to_array('text', "'|'"), 'part', 'part_index') }}
    from cases
),

checks as (
    select 'strip_accents' as check_name, case_id, {{ liveledger.strip_accents('text') }} as result
    from chars
    union all
    select 'normalize_token', case_id, {{ liveledger.normalize_token('text') }} from chars
    union all
    select 'cased_token', case_id, {{ liveledger.cased_token('text') }} from chars
    union all
    select 'normalize_token', case_id, {{ liveledger.normalize_token('text') }} from cases
    union all
    select 'cased_token', case_id, {{ liveledger.cased_token('text') }} from cases
    {%- for pattern in ["'^[A-Z0-9]'", "'[.!?][\\"”’)]*$'", "'^([a-z][.])*[a-z]$'",
                        "'^[“\\"‘(]*[A-Z0-9]'", "'^[A-Z][A-Z.]*$'", "'[0-9]'", "'d'"] %}
    union all
    select
        'regex_matches {{ loop.index }}', case_id,
        cast({{ liveledger.regex_matches('text', pattern) }} as {{ dbt.type_string() }})
    from cases
    {%- endfor %}
    union all
    select 'regex_replace_all', case_id,
        {{ liveledger.regex_replace_all('text', "'[aeiou]'", "'_'") }}
    from cases
    {%- for delimiter in ["'|'", "'a'", "' '", "'.'"] %}
    {%- for part_number in [1, 2, 3, 5] %}
    union all
    select 'split_part_or_null [{{ delimiter | replace("'", "") }}] {{ part_number }}', case_id,
        {{ liveledger.split_part_or_null('text', delimiter, part_number) }}
    from cases
    {%- endfor %}
    {%- endfor %}
    union all
    select 'split_to_array + explode_with_position', case_id,
        cast(part_index as {{ dbt.type_string() }}) || '=' || part
    from parts
    union all
    select 'string_agg_ordered', case_id,
        {{ liveledger.string_agg_ordered('part', 'part_index', "'>'") }}
    from parts
    group by case_id
    union all
    select 'last_value_ignore_nulls', case_id,
        cast(part_index as {{ dbt.type_string() }}) || '='
        || coalesce({{ liveledger.last_value_ignore_nulls("nullif(part, '')") }} over (
            partition by case_id order by part_index
            rows between unbounded preceding and 1 preceding
        ), '(none)')
    from parts
    {%- for type in ['integer', 'date', 'double'] %}
    union all
    select 'cast_or_null {{ type }}', case_id,
        cast({{ liveledger.cast_or_null('text', type) }} as {{ dbt.type_string() }})
    from cases
    {%- endfor %}
    union all
    select 'as_of_filter', case_id, utc
    from instants
    {{ liveledger.as_of_filter('cast(utc as timestamp)') }}
    union all
    select 'epoch_microseconds', case_id,
        cast({{ liveledger.epoch_microseconds('cast(utc as timestamp)') }}
            as {{ dbt.type_string() }})
    from instants
    union all
    select 'utc_to_local', case_id,
        cast({{ liveledger.utc_to_local('cast(utc as timestamp)', 'zone') }}
            as {{ dbt.type_string() }})
    from instants
)

select * from checks
"""


#: The record time as_of_filter is compiled with: the instant just before
#: the Europe/London case at 01:00:00 is in, that one is not.
AS_OF = "2019-10-27T00:59:59.999999Z"


def _compiled(target: str, sql: str) -> str:
    """The inline SQL compiled for one target, with that engine's macro variants."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            "compile",
            "--target",
            target,
            "--project-dir",
            str(REPO),
            "--profiles-dir",
            str(REPO),
            "--vars",
            json.dumps({"as_of": AS_OF}),
            "--inline",
            sql,
            "--quiet",
        ]
    )
    assert result.success, f"dbt compile --target {target} failed: {result.exception}"
    executed: Any = result.result  # a RunExecutionResult for `compile`
    return str(executed.results[0].node.compiled_code)


def _conformance_inputs() -> dict[str, list[tuple[Any, ...]]]:
    """The inputs, the same on both engines. (No 'NaN': engines spell a
    double as text differently, which says nothing about the macros.)"""
    chars = [(cp, chr(cp)) for cp in range(0x20, 0x10000) if not 0xD800 <= cp <= 0xDFFF]
    cases = [
        (CASES_FROM + i, text)
        for i, text in enumerate(
            TRICKY_TEXTS + ["12", " 7", "+3", "1.5", "2019-01-24", "2019-02-30", "1e3", "-0"]
        )
    ]
    instants = [(i, utc, zone) for i, (utc, zone) in enumerate(INSTANTS)]
    return {
        "conformance_chars": chars,
        "conformance_cases": cases,
        "conformance_instants": instants,
    }


#: Case ids of the tricky texts start here, above every code point.
CASES_FROM = 1_000_000


def _write_inputs(folder: Path) -> Path:
    """The inputs as Parquet, so both engines read exactly the same values fast."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in _conformance_inputs().items():
        columns = (
            ["case_id", "text"] if name != "conformance_instants" else ["case_id", "utc", "zone"]
        )
        table = pa.table({c: [row[i] for row in rows] for i, c in enumerate(columns)})
        pq.write_table(table, folder / f"{name}.parquet")
    return folder


def _run_on_duckdb(sql: str, inputs: Path, out: Path) -> None:
    con = duckdb.connect()
    try:
        for path in inputs.glob("*.parquet"):
            con.execute(f"create view {path.stem} as select * from read_parquet('{path}')")
        con.execute(f"copy ({sql}) to '{out}' (format parquet)")
    finally:
        con.close()


def _run_on_spark(sql: str, inputs: Path, out: Path) -> None:
    spark = _spark()
    for path in inputs.glob("*.parquet"):
        spark.read.parquet(str(path)).createOrReplaceTempView(path.stem)
    spark.sql(sql).write.parquet(str(out))


@pytest.fixture(scope="module")
def conformance(builds: Builds, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both engines' answers (check_name, case_id, result), as Parquet in one folder."""
    folder = tmp_path_factory.mktemp("conformance")
    inputs = _write_inputs(folder / "inputs")
    _run_on_duckdb(_compiled("duckdb", CONFORMANCE_SQL), inputs, folder / "duckdb.parquet")
    _run_on_spark(_compiled("spark", CONFORMANCE_SQL), inputs, folder / "spark")
    return folder


def test_dispatched_macros_agree_on_every_input(conformance: Path) -> None:
    con = duckdb.connect()
    try:
        con.execute(
            f"create view duck as select * from read_parquet('{conformance}/duckdb.parquet')"
        )
        con.execute(
            f"create view spark as select * from read_parquet('{conformance}/spark/*.parquet')"
        )
        con.execute(
            "create view inputs as select case_id, text from read_parquet("
            f"'{conformance}/inputs/conformance_c*.parquet')"
        )
        ((answers,),) = con.execute("select count(*) from duck").fetchall()
        differing = con.execute("""
            with only_duck as (select * from duck except all select * from spark),
            only_spark as (select * from spark except all select * from duck)
            select only_duck.check_name, inputs.text, only_duck.case_id,
                only_duck.result, list(only_spark.result) filter (only_spark.result is not null)
            from only_duck
            left join inputs on only_duck.case_id = inputs.case_id
            left join only_spark
                on only_duck.check_name = only_spark.check_name
                and only_duck.case_id = only_spark.case_id
            group by all
            order by 1, 3
        """).fetchall()
        ((spark_extra,),) = con.execute(
            "select count(*) from (select * from spark except all select * from duck)"
        ).fetchall()
    finally:
        con.close()
    assert answers > 3 * 60000
    lines = [
        f"{check} of {text!r} (case {case_id}): duckdb {mine!r}, spark {theirs!r}"
        for check, text, case_id, mine, theirs in differing[:20]
    ]
    assert not differing and not spark_extra, (
        f"{len(differing)} DuckDB answers not matched on Spark, {spark_extra} the other way:\n"
        + "\n".join(lines)
    )


def test_utc_to_local_is_right_not_only_equal(conformance: Path) -> None:
    """Both engines could agree and both be wrong; zoneinfo is the referee."""
    from zoneinfo import ZoneInfo

    con = duckdb.connect()
    try:
        answers = dict(
            con.execute(
                "select case_id, result from read_parquet(?) where check_name = 'utc_to_local'",
                [str(conformance / "duckdb.parquet")],
            ).fetchall()
        )
    finally:
        con.close()
    for case_id, (utc, zone) in enumerate(INSTANTS):
        instant = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.timezone.utc)
        expected = instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        assert dt.datetime.fromisoformat(str(answers[case_id])) == expected, (utc, zone)


def test_as_of_filter_keeps_what_was_recorded_by_then(conformance: Path) -> None:
    """As-of builds keep rows recorded at or before the instant, to the microsecond."""
    as_of = dt.datetime.fromisoformat(AS_OF.replace("Z", ""))
    expected = {i for i, (utc, _) in enumerate(INSTANTS) if dt.datetime.fromisoformat(utc) <= as_of}
    con = duckdb.connect()
    try:
        for answers in (f"{conformance}/duckdb.parquet", f"{conformance}/spark/*.parquet"):
            kept = {
                i
                for (i,) in con.execute(
                    "select case_id from read_parquet(?) where check_name = 'as_of_filter'",
                    [answers],
                ).fetchall()
            }
            assert kept == expected, answers
    finally:
        con.close()
    assert 0 < len(expected) < len(INSTANTS)

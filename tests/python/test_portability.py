"""No engine-specific SQL outside the dispatched macros.

The same models build on DuckDB and on Spark only while every DuckDB-only
or Spark-only function and syntax stays in ``macros/engine/`` behind
``adapter.dispatch``. Many of them fail silently rather than loudly on the
other engine (Spark reads ``"x"`` as a string where DuckDB reads a column;
``regexp_replace`` replaces one match on DuckDB and all on Spark), so this
reads the raw SQL of every model, analysis, test and shared macro and
fails on any of them, naming the file, line and construct.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

#: Folders whose SQL must be portable; macros/engine/ is where the
#: engine-specific variants live and is the only folder not listed.
CHECKED = [REPO / "models", REPO / "analyses", REPO / "tests", REPO / "macros"]
ENGINE_MACROS = REPO / "macros" / "engine"

#: Functions that exist on only one engine, or on both with different
#: results; each has a dispatched macro (or a portable spelling) instead.
FUNCTIONS = {
    # DuckDB only
    "regexp_matches",
    "regexp_full_match",
    "string_split",
    "string_split_regex",
    "str_split",
    "string_to_array",
    "unnest",
    "generate_subscripts",
    "strip_accents",
    "string_agg",
    "group_concat",
    "list_aggregate",
    "list_extract",
    "list_value",
    "list_transform",
    "array_to_string",
    "array_length",
    "len",
    "strftime",
    "strptime",
    "try_strptime",
    "epoch",
    "epoch_ms",
    "date_diff",
    "timezone",
    "struct_pack",
    "now",
    "today",
    "gen_random_uuid",
    "md5_number",
    "hash",
    # Spark only
    "posexplode",
    "posexplode_outer",
    "explode",
    "explode_outer",
    "rlike",
    "regexp_like",
    "array_join",
    "collect_list",
    "collect_set",
    "array_sort",
    "transform",
    "translate",
    "to_utc_timestamp",
    "from_utc_timestamp",
    "convert_timezone",
    "current_timezone",
    "localtimestamp",
    "size",
    "element_at",
    "try_element_at",
    "nvl",
    "nvl2",
    "date_format",
    "unix_timestamp",
    "from_unixtime",
    "instr",
    "locate",
    # on both, but with different results
    "regexp_replace",
    "split_part",
    "listagg",
    "current_timestamp",
    "try_cast",
}
#: dbt's cross-database macros that are traps on these engines.
DBT_MACROS = {
    "safe_cast",
    "split_part",
    "listagg",
    "current_timestamp",
    "current_timestamp_backcompat",
}
#: Syntax of one engine only.
SYNTAX = {
    "`::` cast": re.compile(r"::"),
    "star exclude/replace": re.compile(r"\*\s*(exclude|replace)\s*\(", re.I),
    "exclude (...)": re.compile(r"\bexclude\s*\(", re.I),
    "union by name": re.compile(r"\bunion\s+(all\s+)?by\s+name\b", re.I),
    "qualify": re.compile(r"\bqualify\b", re.I),
    "ignore nulls": re.compile(r"\bignore\s+nulls\b", re.I),
    "unquoted interval number": re.compile(r"\binterval\s+\d", re.I),
    "double-quoted string or identifier": re.compile(r'"'),
    "backtick identifier": re.compile(r"`"),
    "lambda": re.compile(r"->"),
    "regex operator": re.compile(r"\b(rlike|regexp|similar\s+to)\b|~", re.I),
    "asof/positional join": re.compile(r"\b(asof|positional)\s+join\b", re.I),
    "varchar without a length (use dbt.type_string())": re.compile(r"\bvarchar\b(?!\s*\()", re.I),
}

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_SQL_COMMENT = re.compile(r"--[^\n]*")
_STRING = re.compile(r"'(?:[^']|'')*'")


def sql_files() -> list[Path]:
    files = []
    for folder in CHECKED:
        for path in sorted(folder.rglob("*.sql")):
            if ENGINE_MACROS not in path.parents:
                files.append(path)
    return files


def _blank(match: re.Match[str]) -> str:
    """Keep line numbers: replace a match by its newlines only."""
    return "\n" * match.group(0).count("\n")


def violations(text: str) -> list[tuple[int, str]]:
    """(line, construct) for every engine-specific construct in one file."""
    text = _JINJA_COMMENT.sub(_blank, text)
    found: list[tuple[int, str]] = []

    def line_of(position: int, source: str) -> int:
        return source.count("\n", 0, position) + 1

    # Jinja: trap macros of dbt, and SQL smuggled into macro arguments.
    for block in _JINJA.finditer(text):
        for name in re.findall(r"\bdbt\.(\w+)\s*\(", block.group(0)):
            if name in DBT_MACROS:
                found.append((line_of(block.start(), text), f"dbt.{name}"))
        for literal in re.findall(r"\"([^\"]*)\"|'([^']*)'", block.group(0)):
            argument = literal[0] or literal[1]
            for name in re.findall(r"\b(\w+)\s*\(", argument):
                if name.lower() in FUNCTIONS:
                    found.append((line_of(block.start(), text), f"{name}() in a macro argument"))
    # Plain SQL: everything outside Jinja, comments and string literals.
    sql = _JINJA.sub(_blank, text)
    sql = _SQL_COMMENT.sub("", sql)
    sql = _STRING.sub(lambda m: "''" + _blank(m), sql)
    for match in re.finditer(r"\b(\w+)\s*\(", sql):
        if match.group(1).lower() in FUNCTIONS:
            found.append((line_of(match.start(), sql), f"{match.group(1)}()"))
    for construct, pattern in SYNTAX.items():
        for match in pattern.finditer(sql):
            found.append((line_of(match.start(), sql), construct))
    return sorted(found)


def test_there_is_sql_to_check() -> None:
    files = sql_files()
    assert any("models" in p.parts for p in files) and len(files) > 20


@pytest.mark.parametrize("path", sql_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_engine_specific_sql(path: Path) -> None:
    problems = violations(path.read_text(encoding="utf-8"))
    assert not problems, "\n".join(
        f"{path.relative_to(REPO)}:{line}: {construct} is engine-specific; "
        "use (or add) a dispatched macro in macros/engine/"
        for line, construct in problems
    )


@pytest.mark.parametrize(
    "snippet, construct",
    [
        ("select unnest(xs) as x from t", "unnest()"),
        ("select x::varchar from t", "`::` cast"),
        ("select * exclude (a) from t", "star exclude/replace"),
        ("select a from t where b rlike 'x'", "regex operator"),
        ("select a from t where b ~ 'x'", "regex operator"),
        ("select posexplode(xs) from t", "posexplode()"),
        ('select a from t where b = "x"', "double-quoted string or identifier"),
        ("select a from t where b > now() - interval 1 day", "now()"),
        ("select cast(a as varchar) from t", "varchar without a length (use dbt.type_string())"),
        ("{{ dbt.safe_cast('a', 'int') }}", "dbt.safe_cast"),
        (
            "{{ liveledger.regex_matches(\"regexp_matches(a, 'b')\", \"'c'\") }}",
            "regexp_matches() in a macro argument",
        ),
    ],
)
def test_the_check_catches(snippet: str, construct: str) -> None:
    assert construct in {c for _, c in violations(snippet)}


def test_seed_column_types_are_portable() -> None:
    """Seeds are typed in dbt_project.yml, outside any macro; Spark rejects
    a bare varchar (it wants a length), DuckDB takes `string` as varchar."""
    project = (REPO / "dbt_project.yml").read_text(encoding="utf-8")
    assert "column_types" in project
    assert not re.search(r":\s*varchar\s*$", project, re.I | re.M)


def test_the_check_passes_portable_sql() -> None:
    portable = """
        {#- unnest() in a comment is fine -#}
        with a as (select * from {{ ref('x') }})  -- string_split() here too
        select {{ liveledger.strip_accents('name') }} as name_plain,
            'posexplode(' as text_that_looks_like_sql,
            lag(b) over (partition by c order by d) as e
        from a
    """
    assert violations(portable) == []

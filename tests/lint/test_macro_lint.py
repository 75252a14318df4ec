"""sqlfluff on the SQL that the project's macros write (run by ``make lint``).

``sqlfluff lint macros`` checks nothing: the dbt templater skips macro
files, and the jinja templater renders a file of ``{% macro %}`` blocks to no
SQL at all. So each macro is called here with representative arguments, the
SQL it writes is linted with the project's ``.sqlfluff`` rules, and a macro
nobody added here fails the coverage test. The generic tests of
``tests/generic/`` are macros too (sqlfluff skips them the same way), so
they are rendered and linted here as well.

Layout rules are left out: a macro's output is one line wherever it is
called, so line length and indentation say nothing about the macro. The
dispatched engine macros (``macros/engine/``) are linted only as far as the
macros here call them (the DuckDB implementation); they are another slice's
files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from sqlfluff.core import FluffConfig, Linter

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2019-01-24T14:00:00Z"

#: Macros whose calls dbt renders (they dispatch to macros/engine/): the
#: names, and one query that calls each of them.
DBT_RENDERED = ("normalize_token", "cased_token", "padded_words", "as_of_filter")
DBT_QUERY = (
    "select {{ liveledger.normalize_token('entry_tokens.token_text') }} as token_normalized,"
    " {{ liveledger.cased_token('entry_tokens.token_text') }} as token_cased,"
    " {{ liveledger.padded_words('entry_tokens.token_text') }} as token_words"
    " from entry_tokens {{ liveledger.as_of_filter('entry_tokens.recorded_at') }}"
)
#: Macros that need an incremental run, rendered by Jinja with dbt's context
#: stubbed: (file, call, the query around it).
JINJA_RENDERED = {
    "new_batches_only": (
        "macros/history.sql",
        "{{ new_batches_only('entries.load_batch_id') }}",
        "select entries.event_id from staging.entries as entries {sql}",
    ),
}
#: Macros that write no SQL.
NOT_SQL = {
    "generate_schema_name": "returns a schema name, not a query",
    "crisis_state_actor_id": "returns one quoted id, a literal, not a query",
}


#: Stand-ins for the arguments dbt passes a generic test (distinct names, so
#: no column reads as aliased to itself).
GENERIC_TEST_ARGS = {
    "model": "marts.fct_entries",
    "column_name": "entry_published_at",
    "local_column": "entry_published_at_local",
    "marker_column": "entry_time_marker",
    "expression": "entry_count >= 0",
}
#: AM04 (unknown number of result columns) is what a generic test is: it
#: returns the failing rows of whatever model it is given.
GENERIC_TEST_EXCLUDED = "AM04"


def defined_macros() -> set[str]:
    """Every macro under macros/ outside macros/engine/."""
    found = set()
    for path in (REPO / "macros").rglob("*.sql"):
        if "engine" not in path.relative_to(REPO / "macros").parts:
            found |= set(re.findall(r"{%-?\s*macro\s+(\w+)\s*\(", path.read_text(encoding="utf-8")))
    return found


def lint(sql: str, exclude_rules: str = "layout") -> list[str]:
    config = FluffConfig.from_path(
        str(REPO),
        overrides={"templater": "raw", "exclude_rules": exclude_rules, "dialect": "duckdb"},
    )
    linted = Linter(config=config).lint_string(sql)
    return [f"{v.rule_code()}: {v.desc()}" for v in linted.violations]


@pytest.fixture(scope="module")
def dbt_rendered(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The DBT_QUERY as dbt compiles it on the in-memory lint target."""
    target = tmp_path_factory.mktemp("macro-lint")
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "LIVELEDGER_TARGET": "lint", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [
            str(dbt),
            "compile",
            "--quiet",
            "--project-dir",
            str(REPO),
            "--profiles-dir",
            str(REPO),
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
            "--vars",
            f"{{as_of: '{AS_OF}'}}",
            "--inline",
            DBT_QUERY,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout.strip()


def test_every_macro_is_linted_here() -> None:
    covered = set(DBT_RENDERED) | set(JINJA_RENDERED) | set(NOT_SQL)
    assert defined_macros() == covered, "add the new macro to tests/lint/test_macro_lint.py"


def test_dbt_rendered_macros_are_clean(dbt_rendered: str) -> None:
    assert "regexp_replace" in dbt_rendered and "cast('2019-01-24 14:00:00'" in dbt_rendered
    assert lint(dbt_rendered + "\n") == [], dbt_rendered


@pytest.mark.parametrize("macro", sorted(JINJA_RENDERED))
def test_incremental_macros_are_clean(macro: str) -> None:
    path, call, query = JINJA_RENDERED[macro]
    source = (REPO / path).read_text(encoding="utf-8") + call
    sql = (
        jinja2.Environment()
        .from_string(source)
        .render(
            is_incremental=lambda: True,
            this="intermediate.int_model",
            var=lambda name, default=None: default,
        )
        .strip()
    )
    assert sql, f"{macro} rendered nothing"
    assert lint(query.format(sql=sql) + "\n") == [], sql


@pytest.mark.parametrize(
    "path", sorted((REPO / "tests" / "generic").glob("*.sql")), ids=lambda path: path.stem
)
def test_generic_tests_are_clean(path: Path) -> None:
    """Layout rules included: a generic test is a hand-formatted query."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"{%-?\s*test\s+(\w+)\(([^)]*)\)", text)
    assert found, f"{path.name} defines no generic test"
    name, params = found.group(1), [p.strip() for p in found.group(2).split(",")]
    missing = [p for p in params if p not in GENERIC_TEST_ARGS]
    assert not missing, f"add a stand-in for {missing} to GENERIC_TEST_ARGS"
    source = re.sub(r"{%(-?)\s*test\s", r"{%\1 macro ", text).replace("endtest", "endmacro")
    call = ", ".join(f"{p}=args[{p!r}]" for p in params)
    sql = (
        jinja2.Environment()
        .from_string(source + f"{{{{ {name}({call}) }}}}")
        .render(args=GENERIC_TEST_ARGS)
        .strip()
    )
    assert "select" in sql, sql
    assert lint(sql + "\n", exclude_rules=GENERIC_TEST_EXCLUDED) == [], sql


def test_the_lint_catches_a_violation() -> None:
    assert lint("SELECT LOWER(entry_tokens.token_text) AS t FROM entry_tokens\n")

"""Column descriptions fit the Hive metastore Spark uses (256 characters).

persist_docs writes every column description as a column comment; Spark's
embedded metastore stores comments in a VARCHAR(256) and fails the build on a
longer one. DuckDB has no such limit, so only this check catches it early.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import REPO

DOC_BLOCK = re.compile(r"{%\s*docs\s+(\w+)\s*%}(.*?){%\s*enddocs\s*%}", re.S)


def _doc_blocks() -> dict[str, str]:
    blocks: dict[str, str] = {}
    for path in (REPO / "models").rglob("*.md"):
        for name, text in DOC_BLOCK.findall(path.read_text(encoding="utf-8")):
            blocks[name] = " ".join(text.split())
    return blocks


def _column_descriptions() -> list[tuple[Path, str, str, str]]:
    blocks = _doc_blocks()
    found = []
    for path in (REPO / "models").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        tables = data.get("models", []) + [
            t for source in data.get("sources", []) for t in source.get("tables", [])
        ]
        for table in tables:
            for column in table.get("columns", []) or []:
                text = str(column.get("description") or "")
                doc = re.fullmatch(r"\s*{{\s*doc\('(\w+)'\)\s*}}\s*", text)
                found.append(
                    (
                        path,
                        table["name"],
                        column["name"],
                        blocks.get(doc.group(1), "") if doc else " ".join(text.split()),
                    )
                )
    return found


def test_every_column_description_fits_a_spark_column_comment() -> None:
    described = _column_descriptions()
    assert len(described) > 100
    too_long = [
        f"{path.relative_to(REPO)}: {table}.{column} ({len(text)} characters)"
        for path, table, column, text in described
        if len(text) > 256
    ]
    assert not too_long, "\n".join(too_long)

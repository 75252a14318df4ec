"""The project's dbt modelling rules, checked on the manifest of ``dbt parse``.

The rules follow dbt-project-evaluator's (re-implemented here on the
manifest, no package needed) plus the team's own:

- ``source_outside_staging``: only staging models call ``source()``.
- ``too_many_parents``: no model has more than 7 direct parents.
- ``rejoin``: dbt-project-evaluator's ``fct_rejoining_of_upstream_concepts``:
  A -> B -> C and A -> C where B has no child but C; B is a step that C
  could do itself (reported on C, subject "A via B").
- ``mart_reads_staging``: marts read intermediate models, never staging.
- ``dimension_from_fact``: a ``dim_`` model is not built from a ``fct_``.
- ``unused_model``: every staging and intermediate model has a consumer
  (a model or an exposure).
- ``missing_primary_key``: every model has the ``primary_key`` test, or
  ``unique`` and ``not_null`` on one column.
- ``undocumented_model`` / ``undocumented_column``: every model has a
  description and lists its columns, each with a description (that the yml
  lists *every* built column is checked for the contracted marts by
  ``test_docs.py``; the manifest alone cannot see unlisted columns).
- ``public_without_contract``: every ``access: public`` model enforces a
  contract.
- ``access_by_layer``: marts are ``public``, staging and intermediate
  ``protected`` (set per folder in dbt_project.yml).
- ``view_chain``: no chain of more than 5 views.

Known violations are listed in ``ALLOWED`` with the reason and what will fix
them. The test fails on a violation that is not listed *and* on a listed one
that no longer occurs, so the list can only shrink. Every rule is shown to
fire on a small synthetic manifest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

Manifest = dict[str, Any]
Node = dict[str, Any]

MAX_PARENTS = 7
MAX_VIEW_CHAIN = 5
PACKAGE = "liveledger"


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: which, where, and about what ("" for the model itself)."""

    rule: str
    model: str
    subject: str = ""

    def __str__(self) -> str:
        return f"{self.rule}: {self.model}" + (f" ({self.subject})" if self.subject else "")


# -- reading the manifest ----------------------------------------------------------------


def models(manifest: Manifest) -> dict[str, Node]:
    """The project's own models by unique id."""
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == PACKAGE
    }


def name(uid: str) -> str:
    return uid.rsplit(".", 1)[-1] if not uid.startswith("source.") else uid.split(".", 2)[-1]


def layer(node: Node) -> str:
    """staging, intermediate or marts: the folder under models/."""
    return str(node["fqn"][1]) if len(node["fqn"]) > 2 else ""


def parents(node: Node) -> list[str]:
    """Direct upstream models, seeds, snapshots and sources (no macros, no tests)."""
    kinds = ("model.", "seed.", "snapshot.", "source.")
    return sorted({uid for uid in node["depends_on"]["nodes"] if uid.startswith(kinds)})


def children(manifest: Manifest) -> dict[str, set[str]]:
    """Downstream models, snapshots and exposures of every node (tests and analyses
    are not consumers)."""
    found: dict[str, set[str]] = {}
    consumers = [
        (uid, node)
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "snapshot")
    ]
    consumers += list(manifest.get("exposures", {}).items())
    for uid, node in consumers:
        for parent in node["depends_on"]["nodes"]:
            found.setdefault(parent, set()).add(uid)
    return found


def generic_tests(manifest: Manifest) -> dict[str, list[tuple[str, str | None]]]:
    """(test name, column) of the generic tests attached to each model."""
    found: dict[str, list[tuple[str, str | None]]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        target = node.get("attached_node") or next(iter(node["depends_on"]["nodes"]), None)
        if target is None:
            continue
        column = node.get("column_name") or node["test_metadata"]["kwargs"].get("column_name")
        found.setdefault(target, []).append((node["test_metadata"]["name"], column))
    return found


# -- the rules ---------------------------------------------------------------------------


def source_outside_staging(manifest: Manifest) -> Iterator[Violation]:
    for node in models(manifest).values():
        if layer(node) != "staging":
            for parent in parents(node):
                if parent.startswith("source."):
                    yield Violation("source_outside_staging", node["name"], name(parent))


def too_many_parents(manifest: Manifest) -> Iterator[Violation]:
    for node in models(manifest).values():
        if len(parents(node)) > MAX_PARENTS:
            yield Violation("too_many_parents", node["name"], f"{len(parents(node))} parents")


def rejoin(manifest: Manifest) -> Iterator[Violation]:
    own = models(manifest)
    downstream = children(manifest)
    for c_uid, c in own.items():
        direct = set(parents(c))
        for b_uid in direct & own.keys():
            if downstream.get(b_uid, set()) != {c_uid}:
                continue  # B feeds something else too: it is a concept of its own
            for a_uid in set(parents(own[b_uid])) & direct:
                yield Violation("rejoin", c["name"], f"{name(a_uid)} via {name(b_uid)}")


def mart_reads_staging(manifest: Manifest) -> Iterator[Violation]:
    own = models(manifest)
    for node in own.values():
        if layer(node) == "marts":
            for parent in parents(node):
                if parent in own and layer(own[parent]) == "staging":
                    yield Violation("mart_reads_staging", node["name"], name(parent))


def dimension_from_fact(manifest: Manifest) -> Iterator[Violation]:
    own = models(manifest)
    for node in own.values():
        if node["name"].startswith("dim_"):
            for parent in parents(node):
                if parent in own and own[parent]["name"].startswith("fct_"):
                    yield Violation("dimension_from_fact", node["name"], name(parent))


def unused_model(manifest: Manifest) -> Iterator[Violation]:
    downstream = children(manifest)
    for uid, node in models(manifest).items():
        if layer(node) in ("staging", "intermediate") and not downstream.get(uid):
            yield Violation("unused_model", node["name"])


def missing_primary_key(manifest: Manifest) -> Iterator[Violation]:
    attached = generic_tests(manifest)
    for uid, node in models(manifest).items():
        tests = attached.get(uid, [])
        unique = {column for test, column in tests if test == "unique"}
        not_null = {column for test, column in tests if test == "not_null"}
        if not any(test == "primary_key" for test, _ in tests) and not unique & not_null:
            yield Violation("missing_primary_key", node["name"])


def undocumented(manifest: Manifest) -> Iterator[Violation]:
    for node in models(manifest).values():
        if not node["description"].strip():
            yield Violation("undocumented_model", node["name"])
        if not node["columns"]:
            yield Violation("undocumented_column", node["name"], "no column listed")
        for column, spec in node["columns"].items():
            if not spec.get("description", "").strip():
                yield Violation("undocumented_column", node["name"], column)


def public_without_contract(manifest: Manifest) -> Iterator[Violation]:
    for node in models(manifest).values():
        if node.get("access") == "public" and not node["config"]["contract"]["enforced"]:
            yield Violation("public_without_contract", node["name"])


def access_by_layer(manifest: Manifest) -> Iterator[Violation]:
    wanted = {"marts": "public", "intermediate": "protected", "staging": "protected"}
    for node in models(manifest).values():
        if node.get("access") != wanted.get(layer(node)):
            yield Violation("access_by_layer", node["name"], f"access {node.get('access')}")


def view_chain(manifest: Manifest) -> Iterator[Violation]:
    own = models(manifest)
    views = {uid for uid, node in own.items() if node["config"]["materialized"] == "view"}
    depth: dict[str, int] = {}

    def chain(uid: str) -> int:
        """Views in the longest all-view path ending at ``uid``."""
        if uid not in depth:
            upstream = [chain(p) for p in parents(own[uid]) if p in views]
            depth[uid] = 1 + max(upstream, default=0)
        return depth[uid]

    for uid in sorted(views):
        if chain(uid) > MAX_VIEW_CHAIN:
            yield Violation("view_chain", own[uid]["name"], f"{chain(uid)} views")


RULES: tuple[Callable[[Manifest], Iterator[Violation]], ...] = (
    source_outside_staging,
    too_many_parents,
    rejoin,
    mart_reads_staging,
    dimension_from_fact,
    unused_model,
    missing_primary_key,
    undocumented,
    public_without_contract,
    access_by_layer,
    view_chain,
)


def violations(manifest: Manifest) -> set[Violation]:
    return {found for rule in RULES for found in rule(manifest)}


def audit(
    manifest: Manifest, allowed: dict[Violation, str]
) -> tuple[list[Violation], list[Violation]]:
    """(violations not in ``allowed``, entries of ``allowed`` that no longer occur)."""
    found = violations(manifest)
    return sorted(found - allowed.keys()), sorted(allowed.keys() - found)


# -- the known violations ----------------------------------------------------------------

#: One entry per violation the project has today, with why and what fixes it.
#: Remove an entry when its violation is gone (the test says so).
#: The models are being restructured by other issues; no entry is fixed here.
ALLOWED: dict[Violation, str] = {
    Violation(
        "too_many_parents", "int_entry_tokens_split", "9 parents"
    ): "joins eight reference word lists one by one; one int_ model of all word "
    "lists (word, list) would make it two parents (model restructuring)",
    Violation(
        "mart_reads_staging", "fct_stances", "stg_reference__stance_codes"
    ): "the stance code labels and polarity are joined in the mart; they belong in "
    "int_stances_attributed (model restructuring)",
    Violation(
        "dimension_from_fact", "dim_actors", "fct_stances"
    ): "dim_actors counts each actor's stances from the fact; the per-actor figures "
    "belong in an intermediate model both marts read (model restructuring)",
    Violation(
        "dimension_from_fact", "dim_actors", "fct_entries"
    ): "dim_actors counts mentions in current entries through fct_entries; the same "
    "intermediate model would carry that (model restructuring)",
    Violation(
        "unused_model", "stg_liveblog__rejected_input"
    ): "staged, but no mart or exposure reads the rejected input yet; a data-quality "
    "mart should, or the model goes (model restructuring)",
}


# -- the project -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    """``dbt parse`` against the in-memory lint target: no warehouse is opened."""
    target = tmp_path_factory.mktemp("rules-target")
    env = {**os.environ, "LIVELEDGER_TARGET": "lint", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "parse",
            "--project-dir",
            str(REPO),
            "--profiles-dir",
            str(REPO),
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    loaded: Manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return loaded


def test_no_new_violation_of_the_dbt_rules(manifest: Manifest) -> None:
    new, _ = audit(manifest, ALLOWED)
    assert not new, "new dbt rule violations (fix them; see this file's docstring):\n" + "\n".join(
        map(str, new)
    )


def test_every_allowed_violation_still_occurs(manifest: Manifest) -> None:
    _, gone = audit(manifest, ALLOWED)
    assert not gone, "fixed, so remove from ALLOWED in test_dbt_rules.py:\n" + "\n".join(
        map(str, gone)
    )


def test_the_rules_see_the_whole_project(manifest: Manifest) -> None:
    """A rule that saw no models would pass vacuously."""
    own = models(manifest)
    assert len(own) > 30
    assert {layer(node) for node in own.values()} == {"staging", "intermediate", "marts"}
    assert sum(1 for node in own.values() if node["config"]["materialized"] == "view") > 10
    assert len(generic_tests(manifest)) > 30


# -- every rule can fail -----------------------------------------------------------------


def model(
    model_name: str,
    folder: str,
    *upstream: str,
    materialized: str = "table",
    access: str | None = None,
    contract: bool = False,
    description: str = "Why.",
    columns: dict[str, str] | None = None,
) -> tuple[str, Node]:
    """A model node as the manifest has it, with only the keys the rules read."""
    default_access = "public" if folder == "marts" else "protected"
    uid = f"model.{PACKAGE}.{model_name}"
    return uid, {
        "resource_type": "model",
        "package_name": PACKAGE,
        "name": model_name,
        "fqn": [PACKAGE, folder, model_name],
        "access": access or default_access,
        "depends_on": {
            "nodes": [u if "." in u else f"model.{PACKAGE}.{u}" for u in upstream],
            "macros": [],
        },
        "config": {"materialized": materialized, "contract": {"enforced": contract}},
        "description": description,
        "columns": {
            c: {"name": c, "description": d}
            for c, d in (columns if columns is not None else {"id": "The key."}).items()
        },
    }


def primary_key(model_uid: str) -> tuple[str, Node]:
    return f"test.{PACKAGE}.pk_{name(model_uid)}", {
        "resource_type": "test",
        "package_name": PACKAGE,
        "attached_node": model_uid,
        "column_name": "id",
        "depends_on": {"nodes": [model_uid]},
        "test_metadata": {"name": "primary_key", "kwargs": {"column_name": "id"}},
    }


def project(*nodes: tuple[str, Node]) -> Manifest:
    """A clean little project (source -> stg -> int -> fct, exposed) plus ``nodes``."""
    base = [
        model("stg_a", "staging", "source.liveledger.raw.a", materialized="view"),
        model("int_a", "intermediate", "stg_a"),
        model("fct_a", "marts", "int_a", contract=True),
        *nodes,
    ]
    built = dict(base)
    built.update(primary_key(uid) for uid, node in base if node["resource_type"] == "model")
    return {
        "nodes": built,
        "exposures": {
            "exposure.liveledger.report": {
                "depends_on": {"nodes": [uid for uid, node in base if layer(node) == "marts"]}
            }
        },
    }


def test_a_clean_project_breaks_no_rule() -> None:
    assert violations(project()) == set()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            [
                model("int_b", "intermediate", "source.liveledger.raw.a"),
                model("fct_b", "marts", "int_b", contract=True),
            ],
            Violation("source_outside_staging", "int_b", "raw.a"),
        ),
        (
            [
                *(
                    model(f"stg_{i}", "staging", "source.liveledger.raw.a", materialized="view")
                    for i in range(8)
                ),
                model("int_many", "intermediate", *(f"stg_{i}" for i in range(8))),
                model("fct_many", "marts", "int_many", contract=True),
            ],
            Violation("too_many_parents", "int_many", "8 parents"),
        ),
        (
            [
                model("int_b", "intermediate", "stg_a"),
                model("int_c", "intermediate", "int_b", "stg_a"),
                model("fct_c", "marts", "int_c", contract=True),
            ],
            Violation("rejoin", "int_c", "stg_a via int_b"),
        ),
        (
            [model("fct_b", "marts", "stg_a", contract=True)],
            Violation("mart_reads_staging", "fct_b", "stg_a"),
        ),
        (
            [model("dim_b", "marts", "fct_a", contract=True)],
            Violation("dimension_from_fact", "dim_b", "fct_a"),
        ),
        ([model("int_orphan", "intermediate", "stg_a")], Violation("unused_model", "int_orphan")),
        (
            [model("fct_b", "marts", "int_a", contract=True, description=" ")],
            Violation("undocumented_model", "fct_b"),
        ),
        (
            [model("fct_b", "marts", "int_a", contract=True, columns={"id": "Key.", "note": ""})],
            Violation("undocumented_column", "fct_b", "note"),
        ),
        (
            [model("fct_b", "marts", "int_a", contract=True, columns={})],
            Violation("undocumented_column", "fct_b", "no column listed"),
        ),
        ([model("fct_b", "marts", "int_a")], Violation("public_without_contract", "fct_b")),
        (
            [
                model("int_b", "intermediate", "int_a", access="public", contract=True),
                model("fct_b", "marts", "int_b", contract=True),
            ],
            Violation("access_by_layer", "int_b", "access public"),
        ),
        (
            [
                *(
                    model(
                        f"int_v{i}",
                        "intermediate",
                        f"int_v{i - 1}" if i else "stg_a",
                        materialized="view",
                    )
                    for i in range(6)
                ),
                model("fct_v", "marts", "int_v5", contract=True),
            ],
            Violation("view_chain", "int_v5", "7 views"),
        ),
    ],
)
def test_each_rule_fires_on_its_violation(
    extra: list[tuple[str, Node]], expected: Violation
) -> None:
    manifest = project(*extra)
    manifest["exposures"]["exposure.liveledger.report"]["depends_on"]["nodes"] += [
        uid for uid, node in extra if layer(node) == "marts"
    ]
    assert expected in violations(manifest), sorted(violations(manifest))


def test_missing_primary_key_fires_and_unique_not_null_satisfies_it() -> None:
    manifest = project()
    uid = "model.liveledger.int_a"
    del manifest["nodes"][f"test.{PACKAGE}.pk_int_a"]
    assert Violation("missing_primary_key", "int_a") in violations(manifest)
    for test in ("unique", "not_null"):
        manifest["nodes"][f"test.{PACKAGE}.{test}_int_a"] = {
            "resource_type": "test",
            "package_name": PACKAGE,
            "attached_node": uid,
            "column_name": "id",
            "depends_on": {"nodes": [uid]},
            "test_metadata": {"name": test, "kwargs": {"column_name": "id"}},
        }
    assert violations(manifest) == set()


def test_audit_reports_unlisted_violations_and_stale_entries() -> None:
    """The list can only shrink: an entry with no violation behind it fails too."""
    manifest = project(model("int_orphan", "intermediate", "stg_a"))
    orphan = Violation("unused_model", "int_orphan")
    stale = Violation("unused_model", "int_long_gone")
    assert audit(manifest, {}) == ([orphan], [])
    assert audit(manifest, {orphan: "why"}) == ([], [])
    assert audit(manifest, {orphan: "why", stale: "why"}) == ([], [stale])

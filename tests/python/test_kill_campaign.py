"""SIGKILL ``build``, ``publish``, ``run --inbox`` and ``rebuild`` at random moments.

``test_crash.py`` kills ``load``; this file kills the other writers, through
the real CLI, each at a delay drawn from ``random.Random(f"{command}:{seed}")`` within the
command's own measured duration (one clean run of it, timed first). After
every kill:

- the database opens read-only and its raw tables are consistent
  (``raw_state.assert_consistent``) and hold what they held before the kill,
  or, for ``run``, that plus at most the whole inbox batch;
- the published copy (``publish``, ``run``), read as a BI tool would through
  ``published/marts.duckdb`` and ``published/parquet/``, is entirely the
  previous snapshot or entirely a new one equal to the warehouse's marts,
  never a mix and never missing;
- the same command run again with ``--lock-timeout 0`` succeeds (so the
  killed process left no stale lock) and ends in the state of a clean run:
  raw tables equal, marts equal (``except all`` both ways), published copy
  equal to the marts.

Aimed kills: ``publish`` is also started through a small wrapper that
SIGKILLs the process at its Nth rename, replace, symlink, unlink or rmdir
inside ``publish_marts``, for every N until a publish finishes: every step
of writing, switching and pruning a version is a kill point.

Every attempt starts from a copy (database file, archive folder, published
folder) of warehouses prepared once: the sample and ``tests/data/blogs``
loaded, built and published, then one more blog loaded. Seeds are
``--crash-seed`` + i; each kill prints its command, seed and delay, so a
failure can be replayed with the same seed. ``--kill-runs N`` kills per
command (default 2 in ``make test``; ``make test-reliability`` runs 20).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE, TEST_BLOGS
from raw_state import RawState, assert_consistent, read_raw_state
from relations_equal import relations_differences

DB = "w.duckdb"
OBSERVED_AT = "2024-01-01T00:00:00Z"  # fixed, so batch ids are the same in every copy
LATER = "2024-01-02T00:00:00Z"
#: A new blog (the sample's text on another day: new blog id and entry keys).
EXTRA_NAME = "extra-blog.txt"


def extra_blog_text() -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    stated = "Thursday, Jan. 24, 2019"
    assert stated in text
    return text.replace(stated, "Tuesday, Jan. 15, 2019")


def environment(folder: Path) -> dict[str, str]:
    """dbt writes its artifacts and logs beside the attempt, not into the checkout."""
    return {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET_PATH": str(folder / "target"),
        "DBT_LOG_PATH": str(folder / "logs"),
    }


def command(folder: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "liveledger.cli",
        "--db",
        str(folder / DB),
        "--lock-timeout",
        "0",
        *args,
    ]


def run_ok(folder: Path, *args: str) -> float:
    """Run a command to completion; it must succeed. Returns its duration."""
    started = time.monotonic()
    result = subprocess.run(
        command(folder, *args),
        cwd=REPO,
        env=environment(folder),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return time.monotonic() - started


def copy_warehouse(source: Path, target: Path) -> Path:
    """The database file, its archive (journal and blobs) and its published folder."""
    target.mkdir(parents=True)
    shutil.copy(source / DB, target / DB)
    if (source / f"{DB}.wal").exists():
        shutil.copy(source / f"{DB}.wal", target / f"{DB}.wal")
    shutil.copytree(source / "archive", target / "archive")
    if (source / "published").exists():
        shutil.copytree(source / "published", target / "published", symlinks=True)
    return target


# --- what a reader of the published copy sees -------------------------------------------


def _fingerprint(con: duckdb.DuckDBPyConnection, relations: dict[str, str]) -> dict[str, tuple]:
    """Per table: row count and an order-free digest of its rows (a multiset)."""
    out = {}
    for name, relation in sorted(relations.items()):
        out[name] = con.execute(
            f"select count(*), md5(coalesce(string_agg(h, ',' order by h), '')) "
            f"from (select md5(cast(t as varchar)) as h from {relation} as t)"
        ).fetchall()[0]
    return out


@dataclass(frozen=True)
class Snapshot:
    """What ``published/`` shows: the DuckDB file's tables and the Parquet files."""

    database: dict[str, tuple]
    parquet: dict[str, tuple]


def published_snapshot(folder: Path) -> Snapshot | None:
    """Read ``published/`` the way a BI tool does; None if there is nothing to read."""
    out = folder / "published"
    if not (out / "marts.duckdb").exists():
        return None
    con = duckdb.connect(str(out / "marts.duckdb"), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() order by table_name"
            ).fetchall()
        ]
        database = _fingerprint(con, {t: f'"{t}"' for t in tables})
    finally:
        con.close()
    con = duckdb.connect()
    try:
        files = sorted((out / "parquet").glob("*.parquet"))
        parquet = _fingerprint(con, {p.stem: f"read_parquet('{p}')" for p in files})
    finally:
        con.close()
    return Snapshot(database, parquet)


def warehouse_marts(folder: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(folder / DB), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = 'marts' "
                "order by table_name"
            ).fetchall()
        ]
        return _fingerprint(con, {t: f'marts."{t}"' for t in tables})
    finally:
        con.close()


def published_whole(folder: Path) -> Snapshot:
    """The published copy, which must exist."""
    snapshot = published_snapshot(folder)
    assert snapshot is not None, f"{folder}: nothing is published"
    return snapshot


def assert_published_whole(
    snapshot: Snapshot | None, old: Snapshot, new: dict[str, tuple] | None, where: str
) -> str:
    """Entirely the old snapshot, or entirely one equal to the new marts; which one."""
    assert snapshot is not None, f"{where}: the published copy is missing"
    if snapshot == old:
        return "old"
    assert new is not None and snapshot.database == new, (
        f"{where}: the published copy is neither the old snapshot nor the new marts"
    )
    counts = {name: value[0] for name, value in snapshot.database.items()}
    assert {name: value[0] for name, value in snapshot.parquet.items()} == counts, (
        f"{where}: the Parquet files do not match the published database"
    )
    return "new"


def assert_marts_equal(got: Path, expected: Path, where: str) -> None:
    problems = relations_differences(got / DB, expected / DB, schemas=("marts",))
    assert not problems, f"{where}: " + "; ".join(problems)


# --- the prepared warehouses -----------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """Warehouses every attempt copies, and a clean run's duration per command.

    ``published``: loaded, built and published (twice, so a publish prunes);
    ``loaded``: that plus one more blog loaded, not built yet;
    ``built``: ``loaded`` built, the published copy still the old one;
    ``after_publish``: ``built`` published; ``inbox``: ``published`` with the
    extra blog in its inbox; ``after_run``: ``inbox`` after one clean run;
    ``after_rebuild``: ``built`` after one clean rebuild.
    """

    published: Path
    loaded: Path
    built: Path
    after_publish: Path
    inbox: Path
    after_run: Path
    after_rebuild: Path
    old: Snapshot
    seconds: dict[str, float]


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    root = tmp_path_factory.mktemp("kill-campaign")
    base = root / "published"
    base.mkdir()
    run_ok(
        base,
        "load",
        str(SAMPLE),
        *map(str, sorted(TEST_BLOGS.glob("*.txt"))),
        "--observed-at",
        OBSERVED_AT,
    )
    run_ok(base, "build")
    run_ok(base, "publish")
    run_ok(base, "publish")
    old = published_snapshot(base)
    assert old is not None and old.database == warehouse_marts(base)

    extra = root / EXTRA_NAME
    extra.write_text(extra_blog_text(), encoding="utf-8")
    loaded = copy_warehouse(base, root / "loaded")
    run_ok(loaded, "load", str(extra), "--observed-at", LATER)
    built = copy_warehouse(loaded, root / "built")
    seconds = {"build": run_ok(built, "build")}
    assert warehouse_marts(built) != warehouse_marts(base), "the extra blog changed no mart"
    after_publish = copy_warehouse(built, root / "after-publish")
    seconds["publish"] = run_ok(after_publish, "publish")
    assert published_whole(after_publish).database == warehouse_marts(built)

    inbox = copy_warehouse(base, root / "inbox")
    (inbox / "inbox").mkdir()
    shutil.copy(extra, inbox / "inbox" / EXTRA_NAME)
    after_run = copy_warehouse(inbox, root / "after-run")
    shutil.copytree(inbox / "inbox", after_run / "inbox")
    seconds["run"] = run_ok(after_run, "run", "--inbox", str(after_run / "inbox"))
    assert published_whole(after_run).database == warehouse_marts(after_run)

    after_rebuild = copy_warehouse(built, root / "after-rebuild")
    seconds["rebuild"] = run_ok(after_rebuild, "rebuild")
    assert read_raw_state(after_rebuild / DB) == read_raw_state(built / DB)
    print("clean runs: " + ", ".join(f"{c} {s:.1f} s" for c, s in seconds.items()))
    return Prepared(
        base, loaded, built, after_publish, inbox, after_run, after_rebuild, old, seconds
    )


# --- the random kills ------------------------------------------------------------------


def start_and_kill(folder: Path, args: list[str], delay: float) -> bool:
    """Start the command, SIGKILL it after ``delay`` seconds; False if it finished first."""
    process = subprocess.Popen(
        command(folder, *args),
        cwd=REPO,
        env=environment(folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, stderr = process.communicate(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        return True
    assert process.returncode == 0, stderr[-3000:]
    return False


def without_run_ids(state: RawState) -> RawState:
    """A run's batch stamps its own clock (observed_at, hence ids): leave those out."""
    varying = {"load_batch_id", "observed_at", "event_id", "reject_id", "source_path"}

    def strip(rows: tuple[dict[str, object], ...]) -> tuple[dict[str, object], ...]:
        kept = [{k: v for k, v in row.items() if k not in varying} for row in rows]
        return tuple(sorted(kept, key=repr))

    return RawState(strip(state.batches), strip(state.events), strip(state.rejects))


def campaign(
    name: str,
    pytestconfig: pytest.Config,
    prepared: Prepared,
    tmp_path: Path,
    attempt: Callable[[Path, float, str], bool],
) -> None:
    """Draw the seeds and delays, run the attempts, print every kill."""
    runs = int(pytestconfig.getoption("--kill-runs"))
    first_seed = int(pytestconfig.getoption("--crash-seed"))
    duration = prepared.seconds[name]
    log = []
    killed = 0
    for i in range(runs):
        seed = first_seed + i
        # Seeded by command and seed, so the commands are not all killed at the same share
        # of their duration; (command, seed) replays a kill.
        delay = random.Random(f"{name}:{seed}").uniform(0, duration)
        where = f"{name}: seed {seed}, delay {delay:.3f} s of {duration:.1f} s"
        print(f"kill {where}", flush=True)
        outcome = attempt(tmp_path / f"{name}-{seed}", delay, where)
        killed += outcome
        log.append(f"{where}: {'killed' if outcome else 'finished first'}")
    print("\n".join(log))
    # A delay in [0, duration] can outlast a run that went faster than the clean one,
    # but not most of them: otherwise nothing was killed.
    assert killed * 2 >= runs, "\n".join(log)


def test_build_killed_at_random_moments_converges(
    prepared: Prepared,
    tmp_path: Path,
    pytestconfig: pytest.Config,
) -> None:
    """A killed build leaves the raw log as it was; the next build gives the clean marts."""
    before = read_raw_state(prepared.loaded / DB)

    def attempt(folder: Path, delay: float, where: str) -> bool:
        copy_warehouse(prepared.loaded, folder)
        outcome = start_and_kill(folder, ["build"], delay)
        state = read_raw_state(folder / DB)
        assert_consistent(state)
        assert state == before, where
        run_ok(folder, "build")
        assert read_raw_state(folder / DB) == before, where
        assert_marts_equal(folder, prepared.built, where)
        shutil.rmtree(folder)
        return outcome

    campaign("build", pytestconfig, prepared, tmp_path, attempt)


def test_publish_killed_at_random_moments_leaves_old_or_new_snapshot(
    prepared: Prepared,
    tmp_path: Path,
    pytestconfig: pytest.Config,
) -> None:
    new = warehouse_marts(prepared.built)
    before = read_raw_state(prepared.built / DB)

    def attempt(folder: Path, delay: float, where: str) -> bool:
        copy_warehouse(prepared.built, folder)
        outcome = start_and_kill(folder, ["publish"], delay)
        assert read_raw_state(folder / DB) == before, where
        seen = assert_published_whole(published_snapshot(folder), prepared.old, new, where)
        print(f"  {where}: published copy after the kill: {seen}")
        run_ok(folder, "publish")
        assert published_snapshot(folder) == published_snapshot(prepared.after_publish), where
        shutil.rmtree(folder)
        return outcome

    campaign("publish", pytestconfig, prepared, tmp_path, attempt)


def test_run_killed_at_random_moments_converges(
    prepared: Prepared,
    tmp_path: Path,
    pytestconfig: pytest.Config,
) -> None:
    """Killed while loading, filing, building or publishing: the inbox file is loaded once,
    the published copy stays whole, and the next run ends where a clean run does."""
    before = read_raw_state(prepared.inbox / DB)
    clean = without_run_ids(read_raw_state(prepared.after_run / DB))

    def attempt(folder: Path, delay: float, where: str) -> bool:
        copy_warehouse(prepared.inbox, folder)
        shutil.copytree(prepared.inbox / "inbox", folder / "inbox")
        inbox = str(folder / "inbox")
        outcome = start_and_kill(folder, ["run", "--inbox", inbox], delay)
        state = read_raw_state(folder / DB)
        assert_consistent(state)
        assert without_run_ids(state) in (without_run_ids(before), clean), where
        seen = assert_published_whole(
            published_snapshot(folder), prepared.old, warehouse_marts(folder), where
        )
        run_ok(folder, "run", "--inbox", inbox)
        final = read_raw_state(folder / DB)
        assert_consistent(final)
        assert without_run_ids(final) == clean, where
        assert sorted(p.name for p in (folder / "inbox").iterdir()) == ["processed"], where
        assert [p.name for p in (folder / "inbox" / "processed").iterdir()] == [EXTRA_NAME]
        marts = warehouse_marts(folder)
        # fct_builds logs every build: a run killed after its build and the re-run add two.
        assert {t: v[0] for t, v in marts.items() if t != "fct_builds"} == {
            t: v[0] for t, v in warehouse_marts(prepared.after_run).items() if t != "fct_builds"
        }, where
        assert published_whole(folder).database == marts, where
        print(f"  {where}: published copy after the kill: {seen}")
        shutil.rmtree(folder)
        return outcome

    campaign("run", pytestconfig, prepared, tmp_path, attempt)


def test_rebuild_killed_at_random_moments_converges(
    prepared: Prepared,
    tmp_path: Path,
    pytestconfig: pytest.Config,
) -> None:
    """Killed while replaying, swapping or building: the database (or, once swapped, the
    rebuilt one) still opens whole; the next rebuild gives the clean rebuild's state."""
    before = read_raw_state(prepared.built / DB)

    def attempt(folder: Path, delay: float, where: str) -> bool:
        copy_warehouse(prepared.built, folder)
        outcome = start_and_kill(folder, ["rebuild"], delay)
        assert (folder / DB).exists(), f"{where}: the database is gone"
        state = read_raw_state(folder / DB)
        assert_consistent(state)
        assert state == before, where
        run_ok(folder, "rebuild")
        assert read_raw_state(folder / DB) == before, where
        assert_marts_equal(folder, prepared.after_rebuild, where)
        shutil.rmtree(folder)
        return outcome

    campaign("rebuild", pytestconfig, prepared, tmp_path, attempt)


# --- aimed kills inside publish --------------------------------------------------------

#: Runs the real CLI, SIGKILLing itself at the Nth file-system step (rename, replace,
#: symlink, link, unlink, rmdir) taken inside ``KILL_INSIDE`` (``module.function``).
KILL_AT_STEP = textwrap.dedent("""
    import importlib, os, signal, sys
    from liveledger import cli

    target = int(os.environ["KILL_AT_STEP"])
    module_name, function_name = os.environ["KILL_INSIDE"].rsplit(".", 1)
    module = importlib.import_module(module_name)
    state = {"inside": False, "calls": 0}

    def counted(name):
        real = getattr(os, name)
        def wrapped(*args, **kwargs):
            if state["inside"]:
                state["calls"] += 1
                if state["calls"] == target:
                    sys.stderr.write(f"killed at step {target}: {name} {args[0]}\\n")
                    sys.stderr.flush()
                    os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        setattr(os, name, wrapped)

    for name in ("rename", "replace", "symlink", "link", "unlink", "rmdir"):
        counted(name)
    real_function = getattr(module, function_name)

    def inside(*args, **kwargs):
        state["inside"] = True
        try:
            return real_function(*args, **kwargs)
        finally:
            state["inside"] = False

    setattr(module, function_name, inside)
    sys.exit(cli.main(sys.argv[1:]))
""")


def kill_at_step(
    script: Path, folder: Path, step: int, inside: str, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {**environment(folder), "KILL_AT_STEP": str(step), "KILL_INSIDE": inside}
    return subprocess.run(
        [sys.executable, str(script), "--db", str(folder / DB), "--lock-timeout", "0", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_publish_killed_at_every_step_of_its_switch(prepared: Prepared, tmp_path: Path) -> None:
    """Kill publish at each rename, link and delete in turn (writing the version, switching
    ``current``, linking, pruning): a reader sees the whole old or the whole new snapshot,
    and the next publish completes to the clean publish's copy."""
    new = warehouse_marts(prepared.built)
    expected = published_snapshot(prepared.after_publish)
    script = tmp_path / "kill_at_step.py"
    script.write_text(KILL_AT_STEP, encoding="utf-8")
    seen = []
    for step in range(1, 60):
        folder = copy_warehouse(prepared.built, tmp_path / f"step-{step}")
        process = kill_at_step(script, folder, step, "liveledger.publish.publish_marts", "publish")
        where = f"publish killed at step {step}: {process.stderr.strip()[-300:]}"
        if process.returncode == 0:
            assert published_snapshot(folder) == expected, where
            break
        assert process.returncode == -signal.SIGKILL, where
        seen.append(assert_published_whole(published_snapshot(folder), prepared.old, new, where))
        print(f"{where.splitlines()[-1]} -> {seen[-1]}")
        run_ok(folder, "publish")
        assert published_snapshot(folder) == expected, where
        shutil.rmtree(folder)
    else:
        pytest.fail("publish was still being killed after 59 steps")
    # write the version, switch, link, prune: kills before the switch see the old copy,
    # kills after it the new one.
    assert step > 4 and "old" in seen and "new" in seen, seen
    print(f"{step - 1} aimed kills: {seen}")


def test_rebuild_killed_at_every_step_of_its_swap(
    prepared: Prepared, tmp_path: Path, pytestconfig: pytest.Config
) -> None:
    """Kill rebuild at each rename and delete of replaying and swapping the new file in:
    the database is there and whole at every point (the old file or the rebuilt one, equal
    raw tables), and the next rebuild completes to the clean rebuild's state."""
    before = read_raw_state(prepared.built / DB)
    script = tmp_path / "kill_at_step.py"
    script.write_text(KILL_AT_STEP, encoding="utf-8")
    killed = []
    for step in range(1, 30):
        folder = copy_warehouse(prepared.built, tmp_path / f"step-{step}")
        process = kill_at_step(script, folder, step, "liveledger.history.rebuild", "rebuild")
        where = f"rebuild killed at step {step}: {process.stderr.strip()[-300:]}"
        if process.returncode == 0:
            break
        assert process.returncode == -signal.SIGKILL, where
        print(where.splitlines()[-1], flush=True)
        assert (folder / DB).exists(), f"{where}: the database is gone"
        state = read_raw_state(folder / DB)
        assert_consistent(state)
        assert state == before, where
        killed.append(folder)
    else:
        pytest.fail("rebuild was still being killed after 29 steps")
    assert killed, "no step of rebuild was a kill point"
    # Each re-run is a full dbt build: all of them under make test-reliability, the
    # last kill point (the swap itself) in make test.
    again = killed if int(pytestconfig.getoption("--kill-runs")) >= 5 else killed[-1:]
    for folder in again:
        run_ok(folder, "rebuild")
        assert read_raw_state(folder / DB) == before, folder
        assert_marts_equal(folder, prepared.after_rebuild, str(folder))
        backups = sorted(folder.glob(f"{DB}.before-rebuild*"))
        assert backups and not [b for b in backups if os.path.samefile(b, folder / DB)], (
            f"{folder}: a backup is the live database itself"
        )
    print(f"{len(killed)} aimed kills of rebuild, {len(again)} re-run to the end")

"""Stance events (marts.fct_stance_events): reports fold into positions.

The folding rule itself is tested case by case in a dbt unit test
(test_reports_fold_into_stance_events, in
models/intermediate/stances/_stances__models.yml). Here it is run end to
end through the real CLI: on the bundled sample, and after loading a TV
station's reprint of the same blog (tests/data/reprints), which must add
reports but no events, incrementally exactly as a full rebuild does.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import duckdb

from conftest import REPO, run_cli
from relations_equal import relations_differences

REPRINTS = REPO / "tests" / "data" / "reprints"
REPRINT = REPRINTS / "wxyz-venezuela-reprint.txt"


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _blog_counts(db: Path) -> set[int]:
    return {count for (count,) in _query(db, "select blog_count from marts.fct_stance_events")}


def _copy_warehouse(db: Path, folder: Path) -> Path:
    """A copy of the warehouse's whole folder (database, archive, journal)."""
    shutil.copytree(db.parent, folder)
    return folder / db.name


def test_the_committed_reprint_is_what_its_script_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_reprint", REPRINTS / "make_reprint.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sample = module.SAMPLE.read_text(encoding="utf-8")
    assert REPRINT.read_text(encoding="utf-8") == module.reprint(sample)
    reprint = REPRINT.read_text(encoding="utf-8")
    assert "(AP) —" not in reprint  # no dateline
    assert reprint.splitlines()[0] != sample.splitlines()[0]  # its own headline
    assert "  \n" in reprint and "\n\n" in reprint  # other whitespace


def test_the_sample_folds_into_fewer_events_than_reports(sample_warehouse: Path) -> None:
    ((reports, events, linked),) = _query(
        sample_warehouse,
        """
        select count(*), count(distinct stance_event_id),
               (select count(*) from marts.fct_stance_events)
        from marts.fct_stances""",
    )
    assert 0 < events < reports
    assert linked == events  # every event a report points to exists, and no other
    ((restated,),) = _query(
        sample_warehouse,
        """
        select count(*) from marts.fct_stance_events
        where actor_id = 'country-usa' and target_actor_id = 'person-juan-guaido'
          and polarity = 1""",
    )
    assert restated == 1  # the U.S. backing Guaido, restated all day, is one event


def test_each_event_carries_its_first_report(sample_warehouse: Path) -> None:
    wrong = _query(
        sample_warehouse,
        """
        with firsts as (
            select stance_event_id, min(published_at) as first_at, max(published_at) as last_at,
                   count(*) as reports, count(distinct coalesce(claimed_polarity, 9)) as polarities
            from marts.fct_stances group by stance_event_id
        )
        select e.stance_event_id
        from marts.fct_stance_events as e
        join firsts using (stance_event_id)
        join marts.fct_stances as s on s.stance_id = e.first_stance_id
        where e.first_reported_at <> firsts.first_at or e.last_reported_at <> firsts.last_at
           or e.report_count <> firsts.reports or firsts.polarities <> 1
           or s.published_at <> e.first_reported_at or s.evidence <> e.evidence
           or s.actor_id <> e.actor_id
           or coalesce(s.target_actor_id, '') <> coalesce(e.target_actor_id, '')
           or coalesce(s.claimed_polarity, 9) <> coalesce(e.polarity, 9)
           or s.stance_event_id <> e.stance_event_id""",
    )
    assert wrong == []
    minutes = _query(
        sample_warehouse,
        """
        select count(*) from marts.fct_stance_events
        where extract(second from first_reported_at) <> 0""",
    )
    assert minutes == [(0,)]  # the minute the blog printed, never a guess below it


def test_alignments_count_events_not_sentences(sample_warehouse: Path) -> None:
    ((events, reports),) = _query(
        sample_warehouse,
        """
        select sum(event_count), sum(report_count) from marts.fct_actor_alignments""",
    )
    assert (events, reports) == _query(
        sample_warehouse,
        """
        select count(*), sum(report_count) from marts.fct_stance_events""",
    )[0]
    assert events < reports


def test_a_reprint_adds_reports_and_blogs_but_no_events(
    sample_warehouse: Path,
    tmp_path: Path,
) -> None:
    db = _copy_warehouse(sample_warehouse, tmp_path / "incremental")
    before = _query(
        db,
        """
        select stance_event_id, actor_id, target_actor_id, polarity, first_reported_at,
               report_count
        from marts.fct_stance_events order by all""",
    )
    assert _blog_counts(db) == {1}

    loaded = run_cli(
        db, "load", "--date", "2019-01-24", "--timezone", "America/Caracas", str(REPRINT)
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "29 appended" in loaded.stdout + loaded.stderr
    built = run_cli(db, "build")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]

    after = _query(
        db,
        """
        select stance_event_id, actor_id, target_actor_id, polarity, first_reported_at,
               report_count
        from marts.fct_stance_events order by all""",
    )
    assert [row[:5] for row in after] == [row[:5] for row in before]  # no event added
    assert [row[5] for row in after] == [2 * row[5] for row in before]  # every sum doubles
    assert _blog_counts(db) == {2}
    ((blogs,),) = _query(db, "select count(distinct blog_id) from marts.fct_stances")
    assert blogs == 2

    # The incremental build equals a full rebuild of the same raw log.
    rebuilt = _copy_warehouse(db, tmp_path / "full")
    full = run_cli(rebuilt, "build", "--full-refresh")
    assert full.returncode == 0, full.stdout[-3000:] + full.stderr[-3000:]
    assert relations_differences(db, rebuilt, schemas=("intermediate", "marts")) == []

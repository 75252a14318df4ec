"""A short, human-readable account of what the marts hold.

``make demo`` ends with this, so a new user sees at a glance that the
sample became entries with real UTC times, actors and stance facts.
"""

from __future__ import annotations

from pathlib import Path

from . import eventlog
from .errors import ProjectError


def summary_report(db_path: Path, examples: int = 8) -> str:
    """Entries, actors, stance facts and the events they report, with a few examples."""
    con = eventlog.connect(db_path, read_only=True)
    try:
        found = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'fct_stance_events'"
        ).fetchone()
        if not found or not found[0]:
            raise ProjectError(f"{db_path} has no marts yet: run liveledger build")
        ((blogs, entries, first_local, last_local, first_utc, last_utc, zones),) = con.execute("""
            select count(distinct blog_id), count(*), min(published_at_local),
                   max(published_at_local), min(published_at), max(published_at),
                   string_agg(distinct time_zone, ', ')
            from marts.fct_entries""").fetchall()
        ((actors, sources),) = con.execute("""
            select count(*), count(*) filter (where stance_count > 0) from marts.dim_actors
        """).fetchall()
        ((stances, negated, hypothetical),) = con.execute(
            "select count(*), count(*) filter (where is_negated), "
            "count(*) filter (where is_hypothetical) from marts.fct_stances"
        ).fetchall()
        ((events, multiply_reported),) = con.execute(
            "select count(*), count(*) filter (where report_count > 1) from marts.fct_stance_events"
        ).fetchall()
        by_code = con.execute("""
            select stance_code, count(*) from marts.fct_stances
            group by stance_code order by count(*) desc, stance_code""").fetchall()
        rows = con.execute(f"""
            select strftime(s.published_at_local, '%H:%M'), strftime(s.published_at, '%H:%MZ'),
                   a.actor_name, s.stance_code, coalesce(t.actor_name, '-'), s.is_negated,
                   s.is_hypothetical
            from marts.fct_stances as s
            join marts.dim_actors as a on a.actor_id = s.actor_id
            left join marts.dim_actors as t on t.actor_id = s.target_actor_id
            order by s.published_at, s.evidence_start limit {int(examples)}""").fetchall()
    finally:
        con.close()
    lines = [
        f"liveledger warehouse {db_path}",
        f"  entries: {entries} from {blogs} blog(s), {first_local:%Y-%m-%d %H:%M} to "
        f"{last_local:%H:%M} local ({zones}) = {first_utc:%Y-%m-%d %H:%M} to "
        f"{last_utc:%H:%M} UTC"
        if entries
        else "  entries: none",
        f"  actors: {actors} known, {sources} taking positions",
        f"  stance facts: {stances} ({negated} negated, {hypothetical} hypothetical): "
        + ", ".join(f"{code} {n}" for code, n in by_code),
        f"  stance events: {events} positions taken, {multiply_reported} of them reported "
        "more than once",
        "  earliest stance facts:",
    ]
    for local, utc, actor, code, target, is_negated, is_hypothetical in rows:
        flag = " (negated)" if is_negated else " (hypothetical)" if is_hypothetical else ""
        lines.append(f"    {local} local / {utc}  {actor} -> {code}{flag} -> {target}")
    return "\n".join(lines)

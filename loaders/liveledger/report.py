"""A self-contained HTML picture of the crisis, drawn from the marts.

Analysts who would rather look than read get one file they can open
anywhere, mail or archive: plotly.js is embedded (no CDN; the page must
work offline and keep working when a CDN changes). The report only reads
the marts, through a read-only connection, so it can run beside a scheduler
that is loading the next snapshot. Its mart dependencies are declared as a
dbt exposure (``models/marts/_marts__exposures.yml``) so ``dbt docs`` shows
what a change to a mart would break.

Four views, each a div with a fixed id the browser test looks for:

- ``timeline``: every stance fact, one row per actor, coloured by polarity;
  hovering shows the evidence sentence and every report of the same stance
  event (its time, blog and sentence).
- ``alignment`` counts stance events, not sentences.
- ``alignment``: actor x target matrix of net claimed polarity (a denial such as
  "doesn't recognize" counts -1; hypothetical and other negated facts are out).
- ``entries-per-hour``: entries published per UTC hour.
- ``strongest``: the most escalated favourable or hostile statements, with
  their times. "Strength" follows CAMEO's ordering of event codes: within
  hostile codes (10 demand ... 20 mass violence) a higher root code is a
  stronger act, within favourable ones (01 ... 08) likewise, so
  ``sanction`` (16) outranks ``criticize`` (11) and ``recognize`` (054)
  outranks ``support`` (051). The score is computed from the mart's
  ``cameo_code`` column, not from a list kept here.
"""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from dataclasses import dataclass
from pathlib import Path

import duckdb
import plotly.graph_objects as go

from . import eventlog
from .errors import ProjectError

POLARITY_COLOURS = {1: "#1b9e77", 0: "#7f7f7f", -1: "#d95f02"}
POLARITY_NAMES = {1: "favourable (+1)", 0: "neutral (0)", -1: "hostile (-1)"}
MART_TABLES = ("fct_entries", "fct_stances", "fct_stance_events", "dim_actors")


@dataclass(frozen=True)
class StanceFact:
    """One point of the timeline: who, toward whom, how, when, and why we think so."""

    actor_name: str
    target_name: str | None
    stance_code: str
    polarity: int
    is_negated: bool
    evidence: str
    published_at: dt.datetime
    published_at_local: dt.datetime
    stance_event_id: str
    blog_id: str


@dataclass(frozen=True)
class EventReport:
    """One report of a stance event: when, in which blog, in which words."""

    published_at: dt.datetime
    blog_id: str
    evidence: str


@dataclass(frozen=True)
class AlignmentCell:
    """Net polarity of the positions one actor took toward one target: stance
    events, so a position restated in many entries or reprinted counts once."""

    actor_name: str
    target_name: str
    net_polarity: int
    event_count: int
    report_count: int


@dataclass(frozen=True)
class StrongStatement:
    """A row of the strongest-statements table."""

    published_at: dt.datetime
    published_at_local: dt.datetime
    actor_name: str
    stance_code: str
    target_name: str
    strength: int
    evidence: str


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows, read from the marts in one go."""

    facts: tuple[StanceFact, ...]
    event_reports: dict[str, tuple[EventReport, ...]]
    alignment: tuple[AlignmentCell, ...]
    entries_per_hour: tuple[tuple[dt.datetime, int], ...]
    strongest: tuple[StrongStatement, ...]
    blogs: tuple[str, ...]
    entry_count: int


@dataclass(frozen=True)
class ReportSummary:
    """What was drawn: the CLI prints it and tests compare it with the page."""

    path: Path
    stance_facts: int
    alignment_cells: int
    entry_hours: int
    strongest_rows: int


def read_report_data(db_path: Path, strongest: int = 15) -> ReportData:
    """Read the four views' rows from the marts through a read-only connection."""
    con = eventlog.connect(db_path, read_only=True)
    try:
        _require_marts(con, db_path)
        facts = tuple(
            StanceFact(*row)
            for row in con.execute("""
            select a.actor_name, t.actor_name, s.stance_code, s.polarity, s.is_negated,
                   s.evidence, s.published_at, s.published_at_local, s.stance_event_id,
                   s.blog_id
            from marts.fct_stances as s
            join marts.dim_actors as a on a.actor_id = s.actor_id
            left join marts.dim_actors as t on t.actor_id = s.target_actor_id
            order by s.published_at, s.stance_id""").fetchall()
        )
        event_reports: dict[str, list[EventReport]] = {}
        for fact in facts:  # in publication order, so each event's reports are too
            event_reports.setdefault(fact.stance_event_id, []).append(
                EventReport(fact.published_at, fact.blog_id, fact.evidence)
            )
        alignment = tuple(
            AlignmentCell(*row)
            for row in con.execute("""
            select a.actor_name, t.actor_name, sum(s.polarity)::integer,
                   count(*)::integer, sum(s.report_count)::integer
            from marts.fct_stance_events as s
            join marts.dim_actors as a on a.actor_id = s.actor_id
            join marts.dim_actors as t on t.actor_id = s.target_actor_id
            where s.polarity is not null
            group by a.actor_name, t.actor_name
            order by a.actor_name, t.actor_name""").fetchall()
        )
        per_hour = tuple(
            (hour, int(n))
            for hour, n in con.execute("""
            select date_trunc('hour', published_at) as hour, count(*)
            from marts.fct_entries group by hour order by hour""").fetchall()
        )
        strong = tuple(
            StrongStatement(*row)
            for row in con.execute(
                """
            with scored as (
                select s.*,
                       cast(substr(s.cameo_code, 1, 2) as integer) as cameo_root
                from marts.fct_stances as s
                where not s.is_negated and not s.is_hypothetical and s.polarity <> 0
                  and s.target_actor_id is not null
            )
            select s.published_at, s.published_at_local, a.actor_name, s.stance_code,
                   t.actor_name,
                   case when s.polarity < 0 then s.cameo_root - 9 else s.cameo_root end,
                   s.evidence
            from scored as s
            join marts.dim_actors as a on a.actor_id = s.actor_id
            join marts.dim_actors as t on t.actor_id = s.target_actor_id
            order by 6 desc, s.cameo_code desc, s.published_at, s.stance_id
            limit ?""",
                [strongest],
            ).fetchall()
        )
        blogs = tuple(
            r[0]
            for r in con.execute(
                "select distinct blog_id from marts.fct_entries order by 1"
            ).fetchall()
        )
        (entry_count,) = con.execute("select count(*) from marts.fct_entries").fetchone() or (0,)
    finally:
        con.close()
    return ReportData(
        facts,
        {k: tuple(v) for k, v in event_reports.items()},
        alignment,
        per_hour,
        strong,
        blogs,
        int(entry_count),
    )


def write_report(db_path: Path, out: Path, strongest: int = 15) -> ReportSummary:
    """Write the self-contained HTML report for ``db_path`` to ``out``."""
    data = read_report_data(db_path, strongest)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(data), encoding="utf-8")
    return ReportSummary(
        out, len(data.facts), len(data.alignment), len(data.entries_per_hour), len(data.strongest)
    )


def render_html(data: ReportData) -> str:
    """The page: a short header and the four figures, plotly.js inlined once."""
    figures = [
        ("timeline", timeline_figure(data.facts, data.event_reports)),
        ("alignment", alignment_figure(data.alignment)),
        ("entries-per-hour", entries_per_hour_figure(data.entries_per_hour)),
        ("strongest", strongest_figure(data.strongest)),
    ]
    parts = []
    for index, (div_id, figure) in enumerate(figures):
        parts.append(
            figure.to_html(
                full_html=False,
                include_plotlyjs=index == 0,
                div_id=div_id,
                config={"displaylogo": False, "responsive": True},
            )
        )
    blogs = ", ".join(html.escape(b) for b in data.blogs) or "none"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>liveledger report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
h1 {{ font-size: 1.4rem; margin-bottom: 0.2rem; }}
p.meta {{ color: #555; margin-top: 0; }}
</style>
</head>
<body>
<h1>liveledger: who stood where</h1>
<p class="meta">{data.entry_count} entries, {len(data.facts)} stance facts from
blog(s) {blogs}. Times are UTC. Hover a point to read its evidence sentence.</p>
{"".join(parts)}
</body>
</html>
"""


def timeline_figure(
    facts: tuple[StanceFact, ...],
    event_reports: dict[str, tuple[EventReport, ...]] | None = None,
) -> go.Figure:
    """Stance facts over time, one row per actor, one trace per polarity; a
    fact's hover also lists the other reports of its stance event."""
    reports = event_reports or {}
    figure = go.Figure()
    for polarity in (1, 0, -1):
        chosen = [f for f in facts if f.polarity == polarity]
        if not chosen:
            continue
        figure.add_trace(
            go.Scatter(
                x=[f.published_at for f in chosen],
                y=[f.actor_name for f in chosen],
                mode="markers",
                name=POLARITY_NAMES[polarity],
                marker={
                    "color": POLARITY_COLOURS[polarity],
                    "size": 10,
                    "symbol": ["x" if f.is_negated else "circle" for f in chosen],
                    "line": {"width": 0.5, "color": "#333"},
                },
                hovertext=[_hover(f, reports.get(f.stance_event_id, ())) for f in chosen],
                hoverinfo="text",
            )
        )
    actors = sorted({f.actor_name for f in facts}, reverse=True)
    figure.update_layout(
        title="Stance facts over time (x = negated)",
        height=max(400, 22 * len(actors) + 140),
        xaxis_title="published (UTC)",
        yaxis={"categoryorder": "array", "categoryarray": actors, "title": None},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        margin={"l": 10, "r": 10},
    )
    return figure


def alignment_figure(cells: tuple[AlignmentCell, ...]) -> go.Figure:
    """Actor x target matrix of net polarity; empty cells mean nothing said."""
    actors = sorted({c.actor_name for c in cells})
    targets = sorted({c.target_name for c in cells})
    z: list[list[int | None]] = [[None] * len(targets) for _ in actors]
    text: list[list[str]] = [[""] * len(targets) for _ in actors]
    for cell in cells:
        i, j = actors.index(cell.actor_name), targets.index(cell.target_name)
        z[i][j] = cell.net_polarity
        text[i][j] = (
            f"{html.escape(cell.actor_name)} → {html.escape(cell.target_name)}<br>"
            f"net polarity {cell.net_polarity:+d} from {cell.event_count} event(s), "
            f"{cell.report_count} report(s)"
        )
    limit = max([abs(c.net_polarity) for c in cells] + [1])
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=targets,
            y=actors,
            text=text,
            hoverinfo="text",
            zmin=-limit,
            zmax=limit,
            zmid=0,
            colorscale=[[0, POLARITY_COLOURS[-1]], [0.5, "#f7f7f7"], [1, POLARITY_COLOURS[1]]],
            colorbar={"title": {"text": "net"}},
            xgap=1,
            ygap=1,
        )
    )
    figure.update_layout(
        title="Alignment: net polarity of each actor toward each target",
        height=max(400, 20 * len(actors) + 220),
        xaxis={"title": "target", "tickangle": -45},
        yaxis={"title": None, "autorange": "reversed"},
        margin={"l": 10, "r": 10},
    )
    return figure


def entries_per_hour_figure(per_hour: tuple[tuple[dt.datetime, int], ...]) -> go.Figure:
    """Entries per UTC hour: when the news came thickest."""
    figure = go.Figure(
        go.Bar(
            x=[hour for hour, _ in per_hour],
            y=[n for _, n in per_hour],
            marker={"color": "#4c72b0"},
            name="entries",
            hovertemplate="%{x|%Y-%m-%d %H:00} UTC: %{y} entries<extra></extra>",
        )
    )
    figure.update_layout(
        title="Entries per hour",
        height=360,
        xaxis_title="hour (UTC)",
        yaxis_title="entries",
        margin={"l": 10, "r": 10},
    )
    return figure


def strongest_figure(rows: tuple[StrongStatement, ...]) -> go.Figure:
    """The strongest statements as a table, with UTC and local times."""
    columns = {
        "published (UTC)": [f"{r.published_at:%Y-%m-%d %H:%M}" for r in rows],
        "local": [f"{r.published_at_local:%H:%M}" for r in rows],
        "actor": [html.escape(r.actor_name) for r in rows],
        "stance": [r.stance_code for r in rows],
        "target": [html.escape(r.target_name) for r in rows],
        "strength": [r.strength for r in rows],
        "evidence": [html.escape(r.evidence) for r in rows],
    }
    figure = go.Figure(
        go.Table(
            columnwidth=[1.2, 0.6, 1.4, 1, 1.4, 0.7, 5],
            header={"values": list(columns), "fill_color": "#dde3ea", "align": "left"},
            cells={"values": list(columns.values()), "align": "left", "height": 24},
        )
    )
    figure.update_layout(
        title="Strongest statements (CAMEO escalation; negated and hypothetical facts out)",
        height=200 + 52 * max(len(rows), 1),
        margin={"l": 10, "r": 10},
    )
    return figure


#: Reports of one event listed in a hover; the rest are counted.
HOVER_REPORTS = 6


def _hover(fact: StanceFact, reports: tuple[EventReport, ...] = ()) -> str:
    negated = " (negated)" if fact.is_negated else ""
    target = fact.target_name or "-"
    sentence = "<br>".join(textwrap.wrap(html.escape(fact.evidence), 90))
    text = (
        f"<b>{html.escape(fact.actor_name)} → {fact.stance_code}{negated} → "
        f"{html.escape(target)}</b><br>{fact.published_at:%Y-%m-%d %H:%M} UTC "
        f"({fact.published_at_local:%H:%M} local)<br>{sentence}"
    )
    if len(reports) < 2:
        return text
    blogs = len({r.blog_id for r in reports})
    lines = [f"<br><i>one of {len(reports)} reports of this position, in {blogs} blog(s):</i>"]
    for report in reports[:HOVER_REPORTS]:
        words = html.escape(textwrap.shorten(report.evidence, 100, placeholder=" …"))
        lines.append(f"• {report.published_at:%H:%M} UTC {html.escape(report.blog_id)}: {words}")
    if len(reports) > HOVER_REPORTS:
        lines.append(f"… and {len(reports) - HOVER_REPORTS} more")
    return text + "<br>".join(lines)


def _require_marts(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    found = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    missing = [t for t in MART_TABLES if t not in found]
    if missing:
        raise ProjectError(
            f"{db_path} has no marts ({', '.join(missing)} missing): run liveledger build first"
        )

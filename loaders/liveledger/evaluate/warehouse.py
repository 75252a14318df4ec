"""What the warehouse predicted: the claims of ``marts.fct_stances`` and the
names of the groups they use.

Read-only. The unit is the mart's ``claimed_polarity`` (negated favourable
stances are -1; hypothetical ones, other negated ones and targetless
non-neutral ones claim nothing and are left out). A claim keeps every
``rule_id`` of the facts behind it, for the per-rule precision.

Names of a predicted group, for mapping it to a gold group by name: the
group's own actor (``marts.dim_actors.actor_name`` and the aliases the
mention matcher uses, ``intermediate.int_actor_aliases_unioned``) and the
members the facts resolved to it (their names, aliases and the words the
text used for them, ``source_mention``/``target_mention``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .. import eventlog
from ..errors import ProjectError
from .gold import Crisis, GoldSet


@dataclass(frozen=True)
class PredictedFact:
    entry_id: str
    source_group: str
    target_group: str  # '' when the fact has no target
    polarity: int
    rule_id: str


@dataclass(frozen=True)
class GroupNames:
    """How the warehouse names one predicted group."""

    own: frozenset[str]
    members: frozenset[str]


@dataclass(frozen=True)
class CrisisPredictions:
    crisis_id: str
    entries: int
    facts: tuple[PredictedFact, ...]


@dataclass(frozen=True)
class Predictions:
    crises: tuple[CrisisPredictions, ...]
    names: dict[str, GroupNames]
    organizations: frozenset[str]  # group ids of international organisations


_FACTS = """
select entry_id, source_group_id, coalesce(target_group_id, ''), claimed_polarity, rule_id
from marts.fct_stances
where entry_id in (select unnest(?)) and claimed_polarity is not null
"""

_MEMBERS = """
select source_group_id, actor_id, source_mention from marts.fct_stances
where entry_id in (select unnest($1)) and claimed_polarity is not null
union
select target_group_id, target_actor_id, target_mention from marts.fct_stances
where entry_id in (select unnest($1)) and claimed_polarity is not null
    and target_group_id is not null
"""


def read_predictions(
    db_path: Path,
    gold: GoldSet,
    blog_ids: dict[str, tuple[str, ...]] | None = None,
    *,
    read_only: bool = True,
) -> Predictions:
    """The predicted facts of each crisis's entries, checked against the gold.

    ``blog_ids`` (crisis -> blog ids) scopes each crisis to every entry of its
    blogs; without it a crisis is scored on the entries its gold lists.
    ``read_only=False`` is for a process that just built ``db_path`` itself
    (DuckDB will not open one file with two configurations in one process).
    """
    con = eventlog.connect(db_path, read_only=read_only)
    try:
        crises = []
        all_entries: list[str] = []
        for crisis in gold.crises:
            entries = _entries(con, db_path, crisis, (blog_ids or {}).get(crisis.crisis_id))
            all_entries += entries
            try:
                rows = con.execute(_FACTS, [entries]).fetchall()
            except duckdb.Error as error:
                raise ProjectError(
                    f"cannot read marts.fct_stances in {db_path} ({error.__class__.__name__}); "
                    "run liveledger build to bring the marts up to date"
                ) from None
            facts = tuple(PredictedFact(e, s, t, int(p), r) for e, s, t, p, r in rows)
            crises.append(CrisisPredictions(crisis.crisis_id, len(entries), facts))
        organizations = frozenset(
            r[0]
            for r in con.execute(
                "select actor_id from marts.dim_actors "
                "where actor_source = 'international_organizations'"
            ).fetchall()
        )
        names = _group_names(con, all_entries)
    finally:
        con.close()
    return Predictions(tuple(crises), names, organizations)


def _entries(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    crisis: Crisis,
    blog_ids: Sequence[str] | None,
) -> list[str]:
    gold_entries = sorted({f.entry_id for f in crisis.facts})
    if blog_ids is None:
        scope = gold_entries
    else:
        rows = con.execute(
            "select blog_id, entry_id from marts.fct_entries where blog_id in (select unnest(?))",
            [list(blog_ids)],
        ).fetchall()
        present = {b for b, _ in rows}
        absent = [b for b in blog_ids if b not in present]
        if absent:
            raise ProjectError(
                f"blog {absent[0]} of crisis {crisis.crisis_id} is not in {db_path} "
                f"({len(absent)} of {len(blog_ids)} blogs missing): load and build the split's "
                "blogs first, or use liveledger evaluate --split SPLIT --build"
            )
        scope = sorted(e for _, e in rows)
        outside = [f for f in crisis.facts if f.entry_id not in set(scope)]
        if outside:
            raise ProjectError(
                f"{outside[0].where}: entry {outside[0].entry_id} is not an entry of crisis "
                f"{crisis.crisis_id}'s blogs ({len(outside)} such facts); copy the entry_key "
                "that liveledger parse BLOG --json prints"
            )
        return scope
    found = {
        r[0]
        for r in con.execute(
            "select entry_id from marts.fct_entries where entry_id in (select unnest(?))", [scope]
        ).fetchall()
    }
    missing = [f for f in crisis.facts if f.entry_id not in found]
    if missing:
        raise ProjectError(
            f"{missing[0].where}: entry {missing[0].entry_id} is not in marts.fct_entries of "
            f"{db_path} ({len({f.entry_id for f in missing})} of {len(gold_entries)} gold "
            "entries missing): load and build the blog it annotates, or fix the entry_id"
        )
    return scope


def _group_names(con: duckdb.DuckDBPyConnection, entries: list[str]) -> dict[str, GroupNames]:
    members: dict[str, set[str]] = defaultdict(set)
    member_words: dict[str, set[str]] = defaultdict(set)
    for group, actor, mention in con.execute(_MEMBERS, [entries]).fetchall():
        if actor:
            members[group].add(actor)
        if mention:
            member_words[group].add(mention)
    actors = set(members) | {a for group in members.values() for a in group}
    names = _actor_names(con, sorted(actors))
    return {
        group: GroupNames(
            own=frozenset(names.get(group, ())),
            members=frozenset(
                member_words[group].union(*(names.get(actor, set()) for actor in actors_of))
            ),
        )
        for group, actors_of in members.items()
    }


def _actor_names(con: duckdb.DuckDBPyConnection, actor_ids: list[str]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for actor, name in con.execute(
        "select actor_id, actor_name from marts.dim_actors where actor_id in (select unnest(?))",
        [actor_ids],
    ).fetchall():
        names[actor].add(name)
    try:
        rows = con.execute(
            "select actor_id, alias_name from intermediate.int_actor_aliases_unioned "
            "where actor_id in (select unnest(?))",
            [actor_ids],
        ).fetchall()
    except duckdb.CatalogException:
        rows = []  # a warehouse without the intermediate layer: names only
    for actor, alias in rows:
        names[actor].add(alias)
    return names

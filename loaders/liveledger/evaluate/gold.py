"""Reading gold stance files and the evaluation corpus around them.

A gold file lists the stance facts of some entries as ``docs/annotation.md``
defines them. The corpus (``tests/data/stances`` in a checkout) holds one
folder per split (``dev``, ``test``, ``sample``); a split holds one folder per
crisis with its blogs (``*.txt``) and their ``gold.csv``, plus ``groups.csv``
(the domestic non-state groups the gold uses, with the names the text gives
them) and ``crises.csv`` (titles). A ``gold.csv`` at the split's root (the
bundled sample) annotates the blogs beside it or, when there are none, the
blogs of the fallback folder the caller names (the project's ``samples/``).

Everything here is checked and fails with one line naming the file, the line
and what to fix: a mistake in a gold file must not quietly move the scores.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputFileError, OptionError

#: (entry_id, source group, target group, polarity); target '' when there is none.
Claim = tuple[str, str, str, int]

SCORED_COLUMNS = ("entry_id", "source_group", "target_group", "polarity")
CORPUS_COLUMNS = (*SCORED_COLUMNS, "is_background", "note")
GROUP_COLUMNS = ("group_id", "group_name", "kind", "names")
CRISIS_COLUMNS = ("crisis_id", "title")
GOLD_FILE = "gold.csv"
GROUPS_FILE = "groups.csv"
CRISES_FILE = "crises.csv"

_POLARITIES = {"1": 1, "+1": 1, "0": 0, "-1": -1}
_BOOLEANS = {"true": True, "false": False}
_STATE = re.compile(r"[A-Z]{3}")
_ORGANIZATION = re.compile(r"org-[a-z0-9_]+(?:-[a-z0-9_]+)*")


@dataclass(frozen=True)
class GoldFact:
    """One annotated fact; ``where`` (file:line) is for error messages only."""

    entry_id: str
    source_group: str
    target_group: str
    polarity: int
    is_background: bool | None  # None: the file has no is_background column
    where: str = field(default="", compare=False)

    @property
    def claim(self) -> Claim:
        return (self.entry_id, self.source_group, self.target_group, self.polarity)


@dataclass(frozen=True)
class GoldGroup:
    """A domestic non-state group of ``groups.csv`` and the names the text uses for it."""

    group_id: str
    group_name: str
    kind: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Crisis:
    """The gold facts of one crisis and the blogs they annotate."""

    crisis_id: str
    title: str
    facts: tuple[GoldFact, ...]
    blogs: tuple[Path, ...]


@dataclass(frozen=True)
class GoldSet:
    """What one evaluation scores: a split of the corpus, or one legacy gold file.

    ``scope_by_blog`` is true for corpus splits: every entry of the crises'
    blogs is scored, so a fact predicted in an entry without gold facts is a
    false positive. A legacy gold file scores only the entries it lists.
    """

    label: str
    crises: tuple[Crisis, ...]
    groups: dict[str, GoldGroup]
    scope_by_blog: bool


def is_state(group_id: str) -> bool:
    """An ISO 3166-1 alpha-3 code: a state, its government and officials."""
    return bool(_STATE.fullmatch(group_id))


def is_direct_group(group_id: str) -> bool:
    """An ISO3 state or an ``org-<code>`` id: compared as written, never mapped by name."""
    return bool(_STATE.fullmatch(group_id) or _ORGANIZATION.fullmatch(group_id))


def read_gold_file(
    path: Path,
    groups: dict[str, GoldGroup] | None = None,
    *,
    corpus: bool = True,
) -> tuple[GoldFact, ...]:
    """The facts of one gold file.

    ``corpus`` files follow ``docs/annotation.md`` fully (all six columns,
    every fact has a target, group ids known); a legacy file (``--gold``)
    needs only the scored columns and may leave a neutral fact's target empty.
    """
    groups = groups or {}
    rows = _read_csv(path, CORPUS_COLUMNS if corpus else SCORED_COLUMNS)
    facts: list[GoldFact] = []
    seen: dict[Claim, int] = {}
    for number, row in rows:
        where = f"{path}:{number}"
        entry_id = row["entry_id"].strip()
        source = row["source_group"].strip()
        target = (row["target_group"] or "").strip()
        if not entry_id:
            raise InputFileError(
                f"{where}: entry_id is empty; give the entry's id from "
                "marts.fct_entries (liveledger parse FILE --json: entry_key)"
            )
        polarity = _POLARITIES.get((row["polarity"] or "").strip())
        if polarity is None:
            raise InputFileError(f"{where}: polarity {row['polarity']!r} is not 1, 0 or -1")
        if not source:
            raise InputFileError(f"{where}: source_group is empty; every fact has a holder")
        if corpus and not target:
            raise InputFileError(
                f"{where}: target_group is empty; under docs/annotation.md "
                "every fact has a target (a neutral call targets the sides "
                "it addresses)"
            )
        for column, group in (("source_group", source), ("target_group", target)):
            if group and not is_direct_group(group) and group not in groups:
                raise InputFileError(
                    f"{where}: {column} {group!r} is not an ISO3 code, an org-<code> nor a "
                    f"group of {GROUPS_FILE}; add it there or fix the id"
                )
        background: bool | None = None
        if "is_background" in row:
            background = _BOOLEANS.get(row["is_background"].strip().lower())
            if background is None:
                raise InputFileError(
                    f"{where}: is_background {row['is_background']!r} is not true or false"
                )
        fact = GoldFact(entry_id, source, target, polarity, background, where)
        if fact.claim in seen:
            raise InputFileError(
                f"{where}: repeats line {seen[fact.claim]}; each fact appears once per entry"
            )
        seen[fact.claim] = number
        facts.append(fact)
    return tuple(facts)


def read_groups(path: Path) -> dict[str, GoldGroup]:
    """The groups of a split's ``groups.csv``; none when the split has no such file."""
    if not path.exists():
        return {}
    groups: dict[str, GoldGroup] = {}
    for number, row in _read_csv(path, GROUP_COLUMNS):
        where = f"{path}:{number}"
        group_id = row["group_id"].strip()
        if not group_id:
            raise InputFileError(f"{where}: group_id is empty")
        if group_id in groups:
            raise InputFileError(f"{where}: group {group_id!r} is listed twice")
        names = tuple(
            n.strip()
            for n in [row["group_name"] or "", *(row["names"] or "").split("|")]
            if n.strip()
        )
        if not names:
            raise InputFileError(
                f"{where}: group {group_id!r} has no group_name nor names; "
                "list the names the text uses for it, separated by |"
            )
        groups[group_id] = GoldGroup(
            group_id, (row["group_name"] or "").strip(), (row["kind"] or "").strip(), names
        )
    return groups


def read_crisis_titles(path: Path) -> dict[str, str]:
    """crisis_id -> title from a split's ``crises.csv``; empty when there is none."""
    if not path.exists():
        return {}
    titles: dict[str, str] = {}
    for number, row in _read_csv(path, CRISIS_COLUMNS):
        crisis_id = row["crisis_id"].strip()
        if not crisis_id:
            raise InputFileError(f"{path}:{number}: crisis_id is empty")
        if crisis_id in titles:
            raise InputFileError(f"{path}:{number}: crisis {crisis_id!r} is listed twice")
        titles[crisis_id] = (row["title"] or "").strip()
    return titles


def read_split(corpus: Path, split: str, fallback_blogs: Path | None = None) -> GoldSet:
    """Every crisis of ``corpus/split``, checked; see the module docstring for the layout."""
    if not corpus.is_dir():
        raise OptionError(
            f"no evaluation corpus at {corpus}: pass --corpus DIR "
            "(the folder holding the dev/, test/ and sample/ splits)"
        )
    folder = corpus / split
    if not folder.is_dir():
        known = sorted(p.name for p in corpus.iterdir() if p.is_dir())
        raise OptionError(
            f"no split {split!r} in {corpus} (splits there: {', '.join(known) or 'none'})"
        )
    groups = read_groups(folder / GROUPS_FILE)
    titles = read_crisis_titles(folder / CRISES_FILE)
    crises: list[Crisis] = []
    if (folder / GOLD_FILE).exists():
        blogs = _blogs_in(folder) or (_blogs_in(fallback_blogs) if fallback_blogs else ())
        crisis_id = next(iter(titles)) if len(titles) == 1 else split
        crises.append(
            Crisis(
                crisis_id,
                titles.get(crisis_id, ""),
                read_gold_file(folder / GOLD_FILE, groups),
                blogs,
            )
        )
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        blogs = _blogs_in(sub)
        if not (sub / GOLD_FILE).exists():
            if blogs:
                raise InputFileError(
                    f"{sub}: has blogs but no {GOLD_FILE}; annotate them "
                    "or move them out of the split"
                )
            continue
        if not blogs:
            raise InputFileError(f"{sub}: has a {GOLD_FILE} but no blogs (*.txt) beside it")
        crises.append(
            Crisis(
                sub.name, titles.get(sub.name, ""), read_gold_file(sub / GOLD_FILE, groups), blogs
            )
        )
    if not crises:
        raise InputFileError(
            f"{folder}: no {GOLD_FILE} in the split nor in any crisis folder of it"
        )
    names = {c.crisis_id for c in crises}
    listed_only = sorted(set(titles) - names)
    if listed_only:
        raise InputFileError(
            f"{folder / CRISES_FILE}: lists {', '.join(listed_only)} but "
            f"the split has no such folder with a {GOLD_FILE}"
        )
    for crisis in crises:
        if not crisis.blogs:
            raise InputFileError(f"{folder / GOLD_FILE}: no blogs (*.txt) to score it on")
    _check_entries_unique(crises)
    return GoldSet(split, tuple(crises), groups, scope_by_blog=True)


def read_single(path: Path) -> GoldSet:
    """A legacy gold file (``--gold``): one 'crisis', scored on the entries it lists."""
    facts = read_gold_file(path, corpus=False)
    if not facts:
        raise InputFileError(f"{path}: the gold file has no facts")
    return GoldSet(path.stem, (Crisis(path.stem, "", facts, ()),), {}, scope_by_blog=False)


def _check_entries_unique(crises: Sequence[Crisis]) -> None:
    owner: dict[str, str] = {}
    for crisis in crises:
        for fact in crisis.facts:
            other = owner.setdefault(fact.entry_id, crisis.crisis_id)
            if other != crisis.crisis_id:
                raise InputFileError(
                    f"{fact.where}: entry {fact.entry_id} is annotated in "
                    f"crisis {other} too; an entry belongs to one crisis"
                )


def _blogs_in(folder: Path | None) -> tuple[Path, ...]:
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted(folder.glob("*.txt")))


def _read_csv(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows with their line numbers, after checking the header has ``required``."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise InputFileError(
                    f"{path}: missing column(s) {', '.join(missing)}; expected the header "
                    f"{','.join(required)}"
                )
            rows = []
            for row in reader:
                if None in row:
                    raise InputFileError(
                        f"{path}:{reader.line_num}: more fields than the "
                        "header has (quote a note that holds a comma)"
                    )
                rows.append((reader.line_num, {k: v or "" for k, v in row.items()}))
            return rows
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except csv.Error as error:
        raise InputFileError(f"{path}: not a readable CSV ({error})") from None

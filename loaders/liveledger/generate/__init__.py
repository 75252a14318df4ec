"""Write a synthetic corpus of AP "The Latest" live blogs, deterministically.

Benchmarks and scale tests need far more input than the one real sample, and
real blogs cannot be redistributed in bulk. The generator writes blogs in the
exact plain-text format the parser reads (headline, dated photo caption or
date line, dateline "CITY, Country (AP) — The Latest on … (all times
local):", entries headed by clock-time markers, newest first), varying what
real blogs vary: marker forms, separators, midnight crossings, entry length,
cities and time zones, dates across years.

The package is split by job, each module small enough to read in one go:

- ``vocabulary`` reads cities, actors and stance cues from the seeds;
- ``grammar`` knows just enough English to fit names and cues in sentences;
- ``frames`` holds the sentence templates and neutral filler;
- ``prose`` writes an entry's sentences with the blog's rng;
- ``clock`` picks entry times (never inside a DST gap or overlap) and markers;
- ``render`` writes the header and lays the blog out;
- ``blogs`` holds the records of what was meant and written;
- ``corpus`` makes blog *k* a pure function of (k, seed) and writes the files.

What the CLI, the benchmark and the tests use is re-exported here.
"""

from __future__ import annotations

from .blogs import CorpusSummary, GeneratedBlog, GeneratedEntry
from .clock import FIRST_DAY, LAST_DAY
from .corpus import DEFAULT_ENTRIES_PER_BLOG, file_name, generate_blog, generate_corpus, iter_blogs
from .vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "DEFAULT_ENTRIES_PER_BLOG",
    "FIRST_DAY",
    "LAST_DAY",
    "CorpusSummary",
    "GeneratedBlog",
    "GeneratedEntry",
    "Vocabulary",
    "file_name",
    "generate_blog",
    "generate_corpus",
    "iter_blogs",
    "load_vocabulary",
]

"""The deterministic corpus: which blog gets which date and city, and the files.

Blog *k* is a pure function of (k, seed, entries per blog, the seeds, the
Python version's ``random``): it has its own ``random.Random`` seeded from
(seed, k), and its date and city come from k by arithmetic, so any blog can
be produced without generating the ones before it, and files are streamed
to disk one at a time. Every blog gets a distinct (date, dateline city)
pair, hence a distinct parser ``blog_id``; otherwise two files would look
like two snapshots of one blog.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import OptionError, OutputDirError
from ..project import find_project
from .blogs import CorpusSummary, GeneratedBlog, GeneratedEntry
from .clock import FIRST_DAY, day_count, entry_times, marker, zone_statement
from .frames import QUOTES
from .prose import Writer
from .render import header, render
from .vocabulary import Place, Vocabulary, load_vocabulary

#: The mean number of entries per blog when none is asked for: the bundled
#: sample has 29.
DEFAULT_ENTRIES_PER_BLOG = 30

_FILE_NAME = re.compile(r"^blog-\d{6,}\.txt$")


def mix(*parts: object) -> int:
    """A stable 64-bit number from the parts (``hash()`` is salted per process)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def slot(number: int, seed: int, words: Vocabulary) -> tuple[dt.date, tuple[Place, ...]]:
    """The blog's date and city group: distinct for every blog number.

    Blog numbers walk all days (a fixed stride coprime with the number of
    days, offset by the seed) before any day is used twice; the k-th reuse
    of a day moves to the next city group, so (date, city) never repeats
    within ``capacity`` blogs.
    """
    days = day_count()
    stride = int(days * 0.6180339887)
    while _gcd(stride, days) != 1:
        stride += 1
    index = number - 1
    day_slot = (index * stride + mix("day", seed)) % days
    groups = words.place_groups
    group = (mix("city", seed, day_slot) + index // days) % len(groups)
    return FIRST_DAY + dt.timedelta(days=day_slot), groups[group]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def entry_count(rng: random.Random, mean: int) -> int:
    """Uniform on [low, 2*mean - low]: its mean is exactly ``mean``."""
    low = max(1, mean - mean // 2)
    return rng.randint(low, 2 * mean - low)


def file_name(number: int, blogs: int) -> str:
    """``blog-000001.txt``; wider numbers when there are a million blogs or more."""
    return f"blog-{number:0{max(6, len(str(blogs)))}d}.txt"


def generate_blog(
    number: int,
    seed: int,
    *,
    blogs: int,
    words: Vocabulary,
    entries_per_blog: int = DEFAULT_ENTRIES_PER_BLOG,
) -> GeneratedBlog:
    """Blog ``number`` (1-based) of a corpus of ``blogs``: independent of the others."""
    rng = random.Random(mix("blog", seed, number, entries_per_blog))
    blog_date, group = slot(number, seed, words)
    place = rng.choice(group)
    zone_name, times_stated = zone_statement(rng, place.time_zone, blog_date)
    zone = ZoneInfo(zone_name)
    times = entry_times(rng, entry_count(rng, entries_per_blog), blog_date, zone)
    writer = Writer(rng, words, place, QUOTES["curly" if rng.random() < 0.5 else "straight"])
    entries = tuple(
        GeneratedEntry(
            local_time=when,
            time_zone=zone_name,
            marker=marker(rng, when.time()),
            paragraphs=writer.paragraphs(when),
        )
        for when in times
    )
    dateline = rng.choice(place.datelines)
    header_lines = header(rng, writer, place, dateline, blog_date, times_stated)
    text = render(rng, header_lines, entries)
    return GeneratedBlog(
        number=number,
        file_name=file_name(number, blogs),
        blog_date=blog_date,
        time_zone=zone_name,
        dateline_city=dateline.split(",")[0],
        entries=entries,
        text=text,
    )


def iter_blogs(
    blogs: int,
    seed: int,
    *,
    seeds_dir: Path,
    entries_per_blog: int = DEFAULT_ENTRIES_PER_BLOG,
    start: int = 1,
) -> Iterator[GeneratedBlog]:
    """Blogs ``start`` .. ``blogs`` of the corpus, one at a time."""
    words = _vocabulary_for(blogs, entries_per_blog, seeds_dir)
    for number in range(start, blogs + 1):
        yield generate_blog(
            number, seed, blogs=blogs, words=words, entries_per_blog=entries_per_blog
        )


def generate_corpus(
    out_dir: Path,
    blogs: int,
    seed: int,
    *,
    entries_per_blog: int = DEFAULT_ENTRIES_PER_BLOG,
    force: bool = False,
    seeds_dir: Path | None = None,
) -> CorpusSummary:
    """Write ``blogs`` synthetic live blogs to ``out_dir``, one file each.

    The same (blogs, seed, entries_per_blog) and seeds give byte-identical
    files. ``out_dir`` must be new or empty unless ``force``; with ``force``
    the ``blog-*.txt`` files already there are removed first (so a smaller
    corpus leaves no stale blogs) and any other file is left alone.
    """
    started = time.perf_counter()
    seeds_dir = seeds_dir or find_project().seeds_dir
    _vocabulary_for(blogs, entries_per_blog, seeds_dir)  # every check before touching out_dir
    _prepare(out_dir, force)
    files = entries = written = 0
    for blog in iter_blogs(blogs, seed, seeds_dir=seeds_dir, entries_per_blog=entries_per_blog):
        data = blog.text.encode("utf-8")
        (out_dir / blog.file_name).write_bytes(data)
        files += 1
        entries += len(blog.entries)
        written += len(data)
    return CorpusSummary(out_dir, files, entries, written, time.perf_counter() - started)


def _vocabulary_for(blogs: int, entries_per_blog: int, seeds_dir: Path) -> Vocabulary:
    """The vocabulary, once the sizes asked for are known to be possible."""
    if blogs < 1:
        raise OptionError(f"--blogs {blogs}: give a number of blogs of 1 or more")
    if entries_per_blog < 1:
        raise OptionError(
            f"--entries-per-blog {entries_per_blog}: give a mean of 1 or more entries"
        )
    words = load_vocabulary(seeds_dir)
    if blogs > words.capacity:
        raise OptionError(
            f"--blogs {blogs}: the generator can name at most {words.capacity} distinct blogs "
            f"({day_count()} days x {len(words.place_groups)} cities); ask for fewer blogs "
            "and more --entries-per-blog"
        )
    return words


def _prepare(out_dir: Path, force: bool) -> None:
    """Make sure ``out_dir`` is a folder we may fill; clear old blogs if forced."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputDirError(f"{out_dir} is a file, not a folder; give a folder for the corpus")
    if not out_dir.exists():
        out_dir.mkdir(parents=True)
        return
    present = sorted(out_dir.iterdir())
    ours = [p for p in present if p.is_file() and _FILE_NAME.match(p.name)]
    others = [p for p in present if p not in ours]
    if present and not force:
        if others:
            raise OutputDirError(
                f"{out_dir} is not empty and holds files liveledger generate did not write "
                f"(e.g. {others[0].name}); choose an empty or new folder, or pass --force to "
                "write beside them"
            )
        raise OutputDirError(
            f"{out_dir} already holds {len(ours)} generated blog files; pass --force to "
            "replace them, or choose an empty or new folder"
        )
    for path in ours:
        path.unlink()

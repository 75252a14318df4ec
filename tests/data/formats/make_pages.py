"""Write the web-page fixtures of the bundled AP sample, as an outlet would publish it.

    .venv/bin/python tests/data/formats/make_pages.py

The entries come from parsing ``samples/ap-the-latest-venezuela-2019-01-24.txt``
with liveledger's own text parser; the pages are:

- ``ap-venezuela-2019-01-24.html``: one ``<article>`` per entry with
  ``<time datetime="...-04:00">`` and the entry's full text as paragraphs,
  plus a schema.org LiveBlogPosting JSON-LD whose ``articleBody`` is cut to
  the first 80 characters (as outlets do);
- ``ap-venezuela-2019-01-24-jsonld-only.html``: the same header and JSON-LD,
  but no post markup (the loader must fall back to the JSON-LD).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from liveledger.parser import parse_blog
from liveledger.places import PlaceIndex
from liveledger.records import Entry

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "samples" / "ap-the-latest-venezuela-2019-01-24.txt"
OUT = Path(__file__).resolve().parent
CUT = 80


def _offset(entry: Entry) -> str:
    minutes = int((entry.published_at_local - entry.published_at).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _stamp(entry: Entry) -> str:
    return f"{entry.published_at_local:%Y-%m-%dT%H:%M:%S}{_offset(entry)}"


def page(with_posts: bool) -> str:
    parsed = parse_blog(SAMPLE.read_text(encoding="utf-8"),
                        PlaceIndex.from_seed_dir(ROOT / "seeds" / "reference"))
    header = parsed.header
    ld = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": header.headline,
        "url": "https://news.example/live/venezuela-2019-01-24",
        "liveBlogUpdate": [
            {"@type": "BlogPosting", "datePublished": _stamp(e),
             "articleBody": e.body.replace("\n", " ")[:CUT]}
            for e in parsed.entries
        ],
    }
    posts = []
    if with_posts:
        for number, entry in enumerate(parsed.entries, start=1):
            paragraphs = "\n".join(f"      <p>{html.escape(line)}</p>"
                                   for line in entry.body.split("\n"))
            posts.append(
                f'    <article class="live-post" id="post-{number}">\n'
                f'      <header><time datetime="{_stamp(entry)}">'
                f"{html.escape(entry.time_marker)}</time></header>\n"
                f"{paragraphs}\n"
                f'      <footer><button>Share</button></footer>\n'
                "    </article>")
    ld_text = json.dumps(ld, ensure_ascii=False, indent=1).replace("</", "<\\/")
    body = "\n".join(posts)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{html.escape(header.headline or '')} | News Example</title>
  <script type="application/ld+json">
{ld_text}
  </script>
  <script>window.ads = [];</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a></nav>
  <main>
    <h1>{html.escape(header.headline or '')}</h1>
    <figure><img src="photo.jpg" alt=""><figcaption>{html.escape(header.caption or '')}</figcaption></figure>
    <p class="intro">{html.escape(header.dateline or '')}</p>
    <section class="live-posts">
{body}
    </section>
  </main>
  <footer><p>Copyright News Example.</p></footer>
</body>
</html>
"""


def main() -> None:
    (OUT / "ap-venezuela-2019-01-24.html").write_text(page(True), encoding="utf-8")
    (OUT / "ap-venezuela-2019-01-24-jsonld-only.html").write_text(page(False), encoding="utf-8")


if __name__ == "__main__":
    main()

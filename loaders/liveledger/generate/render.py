"""A blog's text: headline, caption or date line, dateline intro, and layout.

Real blogs vary in how they are laid out (blank lines, rules between entries,
a marker on the intro line, CRLF line ends) and in how their header reads;
the parser must cope with all of it, so the generator writes every variant
it has seen. The header's words come from small invented lists here; the
entry text comes from ``prose``.
"""

from __future__ import annotations

import datetime as dt
import random

from .blogs import GeneratedEntry
from .clock import AP_MONTHS, MONTHS, WEEKDAYS
from .prose import Writer
from .vocabulary import Place

HEADLINES = (
    "Protests Continue in {city}",
    "Tensions Rise in {country}",
    "Talks Resume in {city}",
    "{a} Speaks Out on {country}",
    "World Leaders React to Crisis in {country}",
    "Crowds Gather in {city}",
    "Leaders Meet in {city}",
    "{a} Weighs Next Steps",
    "{a} and {b} at Odds Over {country}",
    "Standoff Deepens in {country}",
)
TOPICS = (
    "the political crisis in {country}",
    "the protests in {city}",
    "the peace talks in {city}",
    "the elections in {country}",
    "the diplomatic dispute over {country}",
    "the unrest in {country}",
    "the summit in {city}",
    "the standoff in {country}",
    "the crisis in {country}",
    "the aftermath of the disputed vote in {country}",
)
CAPTIONS = (
    "Demonstrators march through the streets",
    "A woman holds a national flag during a rally",
    "Police officers stand guard outside the presidential palace",
    "Supporters of {a} gather at a rally",
    "{a} speaks during a news conference",
    "Delegates arrive for a meeting",
    "People wait in line outside a bank",
    "Soldiers patrol a main avenue",
)
#: Invented photographers for the captions' "(AP Photo/…)" credit.
PHOTOGRAPHERS = (
    "Ana Ruiz",
    "Tom Weller",
    "Mira Khan",
    "Jonas Berg",
    "Lucia Ortega",
    "Sam Okafor",
    "Elena Petrova",
    "David Chen",
)
_SMALL_WORDS = {"a", "an", "and", "at", "in", "of", "on", "the", "to", "over", "for"}


def title_case(text: str) -> str:
    """AP headline case: every word capitalised except short function words."""
    words = text.split()
    return " ".join(
        w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def header(
    rng: random.Random,
    writer: Writer,
    place: Place,
    dateline: str,
    blog_date: dt.date,
    times_stated: str,
) -> list[str]:
    """Headline, caption and/or byline date, dateline with the intro."""
    a, b = writer.actor().short, writer.actor().short
    country = place.country
    fields = dict(city=place.city, country=country, a=a, b=b)
    headline = "The Latest: " + title_case(rng.choice(HEADLINES).format(**fields))
    weekday = WEEKDAYS[blog_date.weekday()]
    ap_date = f"{weekday}, {AP_MONTHS[blog_date.month - 1]} {blog_date.day}, {blog_date.year}"
    caption = (
        f"{rng.choice(CAPTIONS).format(**fields)} in {place.city}, "
        f"{country[4:] if country.startswith('the ') else country}, {ap_date}. "
        f"(AP Photo/{rng.choice(PHOTOGRAPHERS)})"
    )
    roll = rng.random()
    date_line = (
        ap_date
        if roll < 0.5
        else f"{weekday}, {MONTHS[blog_date.month - 1]} {blog_date.day}, {blog_date.year}"
        if roll < 0.9
        else f"{weekday}, {blog_date.day} {MONTHS[blog_date.month - 1]} {blog_date.year}"
    )
    style = rng.random()
    if style < 0.55:
        lines = [headline, caption]
    elif style < 0.75:
        lines = [headline, "By THE ASSOCIATED PRESS", date_line]
    elif style < 0.9:
        lines = [headline, date_line]
    else:
        lines = [headline, caption, "By THE ASSOCIATED PRESS", date_line]
    topic = rng.choice(TOPICS).format(**fields)
    lead = "Here's the latest" if rng.random() < 0.1 else "The Latest"
    dash = "—" if rng.random() < 0.9 else rng.choice(("–", "-"))
    lines.append(f"{dateline} (AP) {dash} {lead} on {topic} (all times {times_stated}):")
    return lines


def render(rng: random.Random, header_lines: list[str], entries: tuple[GeneratedEntry, ...]) -> str:
    """Lay the blog out in one of the styles found in real blogs.

    compact (the sample: no blank lines under the dateline), spaced ("___"
    between entries, blank lines around paragraphs), ruled ("———" between
    entries) or blank (a blank line between entries); sometimes the first
    marker ends the intro line, sometimes the file has CRLF line ends.
    """
    style = rng.choice(("compact", "compact", "spaced", "ruled", "blank"))
    inline = style in ("compact", "blank") and rng.random() < 0.08
    lines: list[str] = []
    for line in header_lines[:-1]:
        lines += [line, ""]
    intro = header_lines[-1]
    if inline:
        lines.append(f"{intro} {entries[0].marker}")
    else:
        lines.append(intro)
        if style == "spaced":
            lines.append("")
        elif style == "ruled" and rng.random() < 0.5:
            lines.append("———")
    for position, entry in enumerate(entries):
        if position:
            lines += {"compact": [], "spaced": ["", "___", ""], "ruled": ["———"], "blank": [""]}[
                style
            ]
        if not (inline and position == 0):
            lines.append(entry.marker + ("  " if rng.random() < 0.02 else ""))
        if style == "spaced":
            for paragraph in entry.paragraphs:
                lines += ["", paragraph]
        else:
            lines += entry.paragraphs
    newline = "\r\n" if rng.random() < 0.03 else "\n"
    return newline.join(lines) + newline

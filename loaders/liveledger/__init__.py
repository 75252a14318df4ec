"""liveledger: turn live news blogs into an event-sourced DuckDB warehouse.

The package is split so that each step of the data flow has one home:
``intake`` (path -> text, or why not), ``parser`` (text in, entries and
rejects out, pure), ``formats`` (which format a file is in: AP text, web page,
NDJSON feed), ``fetch`` / ``polls`` / ``watch`` (polling URLs), ``eventlog``
(the only writer of ``raw.*``), ``load`` (file -> parser -> event log),
``lock`` (one writer at a time), ``build`` (dbt), ``publish`` (read-only
snapshot of the marts), ``status`` / ``summary`` (read-only reports),
``generate`` (synthetic corpora for benchmarks) and ``cli`` (a thin shell).
"""

__version__ = "0.1.0"

#: Bumped whenever parsing rules change, so a batch records which rules made it.
PARSER_VERSION = "3"

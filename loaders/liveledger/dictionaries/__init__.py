"""Seeds derived from the PETRARCH2 / Phoenix event-coding dictionaries.

The dictionaries (MIT, Open Event Data Alliance) hold decades of curated
political actors with dated roles, agent nouns and CAMEO verb patterns. This
package turns them into plain CSV seeds under ``seeds/dictionaries/`` so the
warehouse never needs the original files at run time: the seeds are committed
and ``python -m liveledger.dictionaries`` reproduces them byte for byte.

One module per file format: ``actors`` (the ``.actors.txt`` files), ``agents``
(``Phoenix.agents.txt``), ``verbs`` (``CAMEO.2.0.txt``); ``dates``, ``names``,
``codes`` and ``inflect`` are the small helpers they share, and ``convert``
ties them together and writes the seeds and the conversion report.
"""

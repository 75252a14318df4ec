"""``make bench``: how fast liveledger is at scale, against the alternatives.

Every measured step runs in a child process of its own, so its wall time and
its peak memory (RSS, from ``wait4``) are its alone, and every baseline runs
in the same script, on the same machine, minutes apart from what it is
compared with: the table reports ratios, which survive a noisy machine far
better than absolute times. See BENCHMARKS.md for the results.
"""

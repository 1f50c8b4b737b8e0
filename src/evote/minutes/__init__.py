"""The minutes (Protokoll) of a convention: what was on the agenda and when, who was there at
each vote, each vote's result with its rule and the fingerprint of its record, the motions and
the speakers; as a PDF a party office files and as CSV files.

`collect` gathers the facts (nothing before its announcement: the embargo holds here too),
`pdf.render` and `tables.csv_files` write them. German by default, English on request.
"""

from __future__ import annotations

from evote.minutes.collect import Minutes, collect

__all__ = ["Minutes", "collect"]

"""Speakers' lists per agenda item: asking to speak, the quota order, points of order, the
presidium's steering, the speaking time on the server clock (docs/speakers.md).

``order`` is pure (the order rules); ``service`` applies them to the stored lists.
"""

"""Votes on the server: lifecycle, ballot crypto adapter, live events, results and record.

`init_app` wires the live hub and the close sweeper into the app; the blueprints in
`evote.api.votes`, `evote.api.ballots`, `evote.api.tally` and `evote.api.live` use this package.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Live hub (broker chosen from config) and, unless disabled, the close sweeper thread."""
    from evote.voting import events
    from evote.voting.lifecycle import Sweeper

    events.init_app(app)
    if app.config.get("VOTE_SWEEPER", not app.config.get("TESTING", False)):
        sweeper = Sweeper(app, float(app.config.get("VOTE_SWEEP_INTERVAL", 0.5)))
        app.extensions["evote_sweeper"] = sweeper
        sweeper.start()

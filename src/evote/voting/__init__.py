"""Votes on the server: lifecycle, ballot crypto adapter, live events, results and record.

`init_app` wires the live hub and the close sweeper into the app; the blueprints in
`evote.api.votes`, `evote.api.ballots`, `evote.api.tally` and `evote.api.live` use this package.
"""

from __future__ import annotations

import threading

from flask import Flask


def init_app(app: Flask) -> None:
    """Live hub (broker chosen from config) and, unless disabled, the close sweeper thread.

    The sweeper starts with the first request a process serves, not when the app is built: CLI
    commands (`evote db upgrade` before the tables exist) build apps too and must not sweep, and
    gunicorn workers (preload off) each get their own thread this way.
    """
    from evote.voting import events
    from evote.voting.lifecycle import Sweeper

    events.init_app(app)
    if not app.config.get("VOTE_SWEEPER", not app.config.get("TESTING", False)):
        return
    lock = threading.Lock()

    def start_sweeper() -> None:
        if "evote_sweeper" in app.extensions:
            return
        with lock:
            if "evote_sweeper" not in app.extensions:
                sweeper = Sweeper(app, float(app.config.get("VOTE_SWEEP_INTERVAL", 0.5)))
                app.extensions["evote_sweeper"] = sweeper
                sweeper.start()

    app.before_request(start_sweeper)

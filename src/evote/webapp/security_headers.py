"""Response headers that every evote response carries unless a view sets its own.

Why each:
- ``Content-Security-Policy``: scripts, styles, workers and connections from evote's own origin
  only, no plugins, no ``<base>``, forms only to evote, never framed. An injected
  ``<script>`` or inline handler — say through a name from the CSV import that some page
  forgot to escape — does not run, and the ballot page cannot be loaded into another site's
  frame. The pages have no inline scripts or styles (their data travels as
  ``<script type="application/json">``, which is not run), so nothing needs ``'unsafe-inline'``.
  The livestream's host is allowed as a frame (YouTube's player) or as media (HLS) on the
  delegate page only, from the configured livestream URL (:func:`policy`).
- ``Strict-Transport-Security`` over https (directly, or through a proxy that
  ``EVOTE_PROXY_COUNT`` lets evote believe): a browser that once reached evote over https
  never tries plain http again, so a café's network cannot strip TLS from the login.
- ``X-Content-Type-Options: nosniff``: a JSON body with user-supplied strings (names from the
  CSV import) must never be sniffed into HTML.
- ``X-Frame-Options: DENY``: ``frame-ancestors`` for browsers too old for CSP 2.
- ``Referrer-Policy: same-origin``: login URLs carry the login name; do not leak them to the
  livestream or video-room hosts a page links to.
- ``Cache-Control: no-store`` by default: responses hold personal data and, once, a reissued
  password; views that publish (record, bulletin board) may set their own caching.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, request

HSTS = "max-age=31536000"
"""One year; no ``includeSubDomains``, since evote does not know the operator's other hosts."""


def policy(frames: Iterable[str] = (), media: Iterable[str] = ()) -> str:
    """The Content-Security-Policy; `frames` and `media` are extra origins (``https://host``)
    allowed for ``<iframe>`` and ``<video>`` only."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "media-src": ["'self'", *media],
        "frame-src": [*frames] or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


DEFAULTS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": policy(),
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _apply(response: Response) -> Response:
    for name, value in DEFAULTS.items():
        if name not in response.headers:
            response.headers[name] = value
    if request.is_secure and "Strict-Transport-Security" not in response.headers:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(_apply)

"""Response headers that every evote response carries unless a view sets its own.

Why each:
- ``X-Content-Type-Options: nosniff``: a JSON body with user-supplied strings (names from the
  CSV import) must never be sniffed into HTML.
- ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``: the check-in and vote buttons must
  not be clickjackable from a page framing ours.
- ``Referrer-Policy: same-origin``: login URLs carry the login name; do not leak them to the
  livestream or video-room hosts a page links to.
- ``Cache-Control: no-store`` by default: responses hold personal data and, once, a reissued
  password; views that publish (record, bulletin board) may set their own caching.
HSTS belongs to the TLS-terminating proxy (docs/deployment.md).
"""

from __future__ import annotations

from flask import Flask, Response

DEFAULTS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _apply(response: Response) -> Response:
    for name, value in DEFAULTS.items():
        if name not in response.headers:
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    app.after_request(_apply)

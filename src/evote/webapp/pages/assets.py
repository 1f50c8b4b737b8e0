"""Serves the browser's scripts and styles from the ``web/`` folder (``WEB_ROOT``).

Only ``web/js/`` and ``web/css/`` are reachable, and only ``.js``/``.css`` files in them: the
folder also holds tests and ``node_modules``, which are not the server's to publish. The one
npm package the pages use at run time (``uqr``, the QR encoder of the challenge view) is
mapped to ``/js/vendor/uqr.mjs`` by name. Modules are sent as ``text/javascript`` (module
workers need it) with ``Cache-Control: public, no-cache`` and an ETag: the browser keeps them but
asks each time, and gets an empty 304 while they are unchanged. A lifetime without asking would
break the pages after a deployment: the fresh page's integrity values (``integrity.py``) would
not match the old script still in the cache, and the browser would refuse to run it.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from flask.typing import ResponseReturnValue

from evote.webapp.permissions import Action, requires

bp = Blueprint("web_assets", __name__)

CACHE_CONTROL = "public, no-cache"
VENDOR = {"uqr.mjs": ("node_modules", "uqr", "dist", "index.mjs")}
"""Run-time npm files, installed by ``npm ci --prefix web`` (docs/web.md)."""


def web_root() -> Path:
    """``WEB_ROOT`` from the config, else ``web/`` beside ``src/`` in a checkout."""
    configured = current_app.config.get("WEB_ROOT")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "web"


def _send(folder: Path, name: str, mimetype: str) -> ResponseReturnValue:
    response = send_from_directory(folder, name, mimetype=mimetype, max_age=0, etag=True, conditional=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@bp.get("/js/<path:name>")
@requires(Action.VIEW_PUBLIC)
def script(name: str) -> ResponseReturnValue:
    root = web_root()
    if name.startswith("vendor/"):
        parts = VENDOR.get(name.removeprefix("vendor/"))
        if parts is None:
            abort(404)
        target = root.joinpath(*parts)
        return _send(target.parent, target.name, "text/javascript")
    if not name.endswith(".js"):
        abort(404)
    return _send(root / "js", name, "text/javascript")


@bp.get("/css/<path:name>")
@requires(Action.VIEW_PUBLIC)
def style(name: str) -> ResponseReturnValue:
    if not name.endswith(".css"):
        abort(404)
    return _send(web_root() / "css", name, "text/css")

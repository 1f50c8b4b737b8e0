"""Public, read-only endpoints: the API description, the CSRF token, a health check."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from evote.store.db import get_session
from evote.webapp.csrf import HEADER, csrf_token
from evote.webapp.openapi import build_document
from evote.webapp.permissions import Action, requires

bp = Blueprint("meta", __name__)


@bp.get("/api/openapi.json")
@requires(Action.VIEW_PUBLIC)
def openapi() -> ResponseReturnValue:
    return jsonify(build_document())


@bp.get("/api/csrf")
@requires(Action.VIEW_PUBLIC)
def csrf() -> ResponseReturnValue:
    """Hands out the session's CSRF token; a client calls this once before its first POST."""
    return jsonify({"csrf_token": csrf_token(), "header": HEADER})


@bp.get("/api/health")
@requires(Action.VIEW_PUBLIC)
def health() -> ResponseReturnValue:
    """For the load balancer: the worker is up and reaches the database."""
    get_session().execute(text("SELECT 1"))
    return jsonify({"status": "ok"})

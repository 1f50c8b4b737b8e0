"""The minutes (Protokoll) for the presidium's console: PDF, or the CSV files as a zip.

The fingerprint of each vote's record is the SHA-256 of the very zip `GET
/api/votes/<id>/record.zip` serves (built here the same way, with the scripts this server
serves), so anyone holding the minutes can check the record they downloaded against them.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from evote.minutes import collect
from evote.minutes.pdf import render
from evote.minutes.tables import csv_files
from evote.minutes.words import LANGUAGES
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.ceremony import ElectionKey
from evote.store.models.votes import Secrecy, Vote, VoteState
from evote.voting.record_export import record_zip
from evote.webapp.auth import require_participant
from evote.webapp.pages import i18n
from evote.webapp.pages.integrity import scripts_info
from evote.webapp.permissions import Action, requires

bp = Blueprint("minutes", __name__)


def record_fingerprint(vote: Vote) -> str | None:
    """SHA-256 (hex) of the vote's published record zip; None while there is none."""
    if vote.state not in (VoteState.DECRYPTED.value, VoteState.CANCELLED.value):
        return None
    if vote.secrecy != Secrecy.SECRET.value:  # an open or roll-call vote has no record
        return None
    db = get_session()
    key = db.get(ElectionKey, vote.event_id)
    if key is None:
        return None
    folder = current_app.config.get("RECORD_FOLDER") or Path(current_app.instance_path) / "records"
    path = record_zip(db, vote, key, Path(folder), scripts=scripts_info())
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lang() -> str:
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else i18n.language()


@bp.get("/api/minutes.pdf")
@requires(Action.MAKE_MINUTES)
def minutes_pdf() -> ResponseReturnValue:
    event = require_participant().event
    minutes = collect(get_session(), event, _lang(), record_fingerprint, current_clock().now())
    return Response(
        render(minutes), mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="protokoll-{event.slug}.pdf"'},
    )


@bp.get("/api/minutes.zip")
@requires(Action.MAKE_MINUTES)
def minutes_csv() -> ResponseReturnValue:
    event = require_participant().event
    minutes = collect(get_session(), event, _lang(), record_fingerprint, current_clock().now())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(minutes).items():
            archive.writestr(name, text.encode("utf-8"))
    return Response(
        out.getvalue(), mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="protokoll-{event.slug}.zip"'},
    )

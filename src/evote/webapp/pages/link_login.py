"""Logging a browser in by a link instead of a password (the studio link, the projector link):
the one place that decides what such a login does besides ``start_session``.

Why shared: both links are passwords in a URL that an unattended machine opens, and both need
the same two guards (security review): a link opened in a browser already logged in as someone
else keeps that session (a holder of the link could otherwise swap a delegate's session for the
wall's or the studio's by sending the link in a chat: login CSRF), and the login is written to
the audit log like any staff login (``staff.login``, ``via`` naming the link).
"""

from __future__ import annotations

from flask import redirect
from flask.typing import ResponseReturnValue

from evote import audit
from evote.store.clock import current_clock
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.auth import current_participant, start_session

LOGGED_IN_TEXT = "link.logged_in"
"""Key of the sentence a browser logged in as someone else gets (texts_speakers), shown by the
caller's page with status 409."""


def logged_in_elsewhere(who: Participant) -> bool:
    """Whether this browser holds a valid session of someone other than ``who``: then the
    link must change nothing."""
    already = current_participant()
    return already is not None and already.id != who.id


def enter(who: Participant, *, scope: str, via: str, target: str) -> ResponseReturnValue:
    """Log this browser in as ``who`` in a session scoped to ``scope``, audited, and send it
    to ``target``. The caller checked the link and ``logged_in_elsewhere`` first."""
    audit.append(get_session(), who.event_id, "staff.login", "participant", who.id, {"via": via},
                 actor=audit.actor_of(who.id, who.role_set), now=current_clock().now())
    get_session().commit()
    start_session(who, scope=scope)
    return redirect(target, 303)

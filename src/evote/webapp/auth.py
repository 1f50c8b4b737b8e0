"""Who is making this request: the session cookie, checked against the database each time.

The session holds the participant id, their ``credential_version`` and their ``session_epoch``.
Checking both on every request means a reissued password, a deactivation or a logout ends the
session at once, on every worker, without a server-side session store: a signed cookie alone
would otherwise stay valid for its whole lifetime (16 hours), even after logout.
"""

from __future__ import annotations

from flask import request, session
from sqlalchemy import select, update

from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.voting import events

SESSION_PARTICIPANT = "pid"
SESSION_CREDENTIAL_VERSION = "cv"
SESSION_EPOCH = "se"
SESSION_SCOPE = "scope"
"""Set for a session that may do only part of what its roles allow (the studio link's:
``webapp.permissions.SCOPED``); absent for a login with the password."""
_CACHE = "evote.participant"
"""Per-request cache key in the WSGI environ (not ``g``, which can outlive a request)."""


def current_participant() -> Participant | None:
    """The logged-in, active participant of this request, or ``None``."""
    if _CACHE in request.environ:
        cached: Participant | None = request.environ[_CACHE]
        return cached
    participant: Participant | None = None
    pid = session.get(SESSION_PARTICIPANT)
    if isinstance(pid, int):
        found = get_session().scalars(select(Participant).where(Participant.id == pid)).first()
        if (
            found is not None
            and found.active
            and found.password_hash is not None
            and session.get(SESSION_CREDENTIAL_VERSION) == found.credential_version
            and session.get(SESSION_EPOCH) == found.session_epoch
        ):
            participant = found
    request.environ[_CACHE] = participant
    return participant


def recheck_participant() -> Participant | None:
    """`current_participant` read again from the database, for a response that outlives the
    moment it was checked (the live stream re-checks its session now and then)."""
    request.environ.pop(_CACHE, None)
    return current_participant()


def require_participant() -> Participant:
    """The participant of a view guarded by ``@requires`` with a non-public action."""
    participant = current_participant()
    if participant is None:
        raise RuntimeError("no logged-in participant; is the view guarded by @requires?")
    return participant


def start_session(participant: Participant, scope: str | None = None) -> None:
    """Log in: a fresh session (new CSRF token too), so no pre-login state carries over;
    ``scope`` limits it to some actions (``webapp.permissions.SCOPED``)."""
    session.clear()
    if scope is not None:
        session[SESSION_SCOPE] = scope
    session.permanent = True
    session[SESSION_PARTICIPANT] = participant.id
    session[SESSION_CREDENTIAL_VERSION] = participant.credential_version
    session[SESSION_EPOCH] = participant.session_epoch
    request.environ[_CACHE] = participant


def end_session() -> None:
    """Log out: every session of the participant ends (the epoch goes up, so cookies saved
    before stop working, on all their devices), and so do their live streams in every worker."""
    participant = current_participant()
    session.clear()
    request.environ[_CACHE] = None
    if participant is None:
        return
    db = get_session()
    db.execute(
        update(Participant)
        .where(Participant.id == participant.id)
        .values(session_epoch=Participant.session_epoch + 1)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    events.end_streams(participant.event_id, participant.id)


def ended_reason() -> str | None:
    """Why this browser's session no longer counts, for the login page to say so: ``"password"``
    (a new password was issued since it began), ``"elsewhere"`` (logout on another device,
    deactivation), or ``None`` (no session, or a valid one)."""
    pid = session.get(SESSION_PARTICIPANT)
    if not isinstance(pid, int) or current_participant() is not None:
        return None
    found = get_session().get(Participant, pid)
    if found is not None and session.get(SESSION_CREDENTIAL_VERSION) != found.credential_version:
        return "password"
    return "elsewhere"

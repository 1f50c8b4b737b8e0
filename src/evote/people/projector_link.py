"""The projector link: what the hall's projector opens instead of somebody's personal login.

Why a link: the projector's browser is on the wall all day; logged in as a presidium member it
would show that person's name in its header and hold their powers on an unattended machine. The
link logs its browser in as one account kept for the wall (an active account whose one role is
``technician``, e.g. "Beamer"), in a session scoped to what the wall shows (``SCOPE``, enforced by
``webapp.permissions``): the projector, the live events, announced results. Its token is an HMAC
with the server's secret key over the account and its credential version, under its own domain
(a studio link of the same account is no projector link, and the other way round): nothing is
stored, and a new password for the account or a new secret key ends every link made before.
Compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from evote.rules.roles import Role

DOMAIN = b"evote-projector-link-v1"
SCOPE = "projector"
"""The session's scope after entering by a projector link (``webapp.permissions.SCOPED``)."""


def fits(roles: frozenset[Role], active: bool) -> bool:
    """Whether an account may have a projector link: active, and a technician with no other role."""
    return active and roles == frozenset({Role.TECHNICIAN})


def token(secret: bytes, participant_id: int, credential_version: int) -> str:
    """32 characters of base64url (192 bits) of HMAC-SHA256(secret, domain:participant:version)."""
    message = b"%s:%d:%d" % (DOMAIN, participant_id, credential_version)
    mac = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode()


def holds(secret: bytes, participant_id: int, credential_version: int, given: str) -> bool:
    expected = token(secret, participant_id, credential_version)
    return hmac.compare_digest(expected.encode(), given.encode())

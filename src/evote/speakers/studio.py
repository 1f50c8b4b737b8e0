"""The studio link: what the broadcast machine (OBS, vMix) opens instead of typing a password
into a browser source.

Why a link and not a password: a browser source has no comfortable keyboard, and the studio
runs unattended all day. The link logs its browser in as one technician account (the studio's
own), so the studio page can signal like any technician. Its token is an HMAC with the server's
secret key over the account and its credential version: nothing is stored, and a new password
for the account (support's reissue bumps the version) or a new secret key ends every link made
before. Compared in constant time.

Only an account whose one role is ``technician`` gets a link (``fits``): a link is a password
that sits in a broadcast machine's configuration, so it must not open an admin's or the
presidium's account; and the session it starts is scoped to the studio (``SCOPE``, enforced by
``webapp.permissions``): it shows /studio and signals, but cannot take speakers from the
technicians' queue or hand them over live (docs/threat-model.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from evote.rules.roles import Role

DOMAIN = b"evote-studio-link-v1"
SCOPE = "studio"
"""The session's scope after entering by a studio link (``webapp.permissions.SCOPED``)."""


def fits(roles: frozenset[Role], active: bool) -> bool:
    """Whether an account may have a studio link: active, and a technician with no other role."""
    return active and roles == frozenset({Role.TECHNICIAN})


def token(secret: bytes, participant_id: int, credential_version: int) -> str:
    """32 characters of base64url (192 bits) of HMAC-SHA256(secret, domain:participant:version)."""
    message = b"%s:%d:%d" % (DOMAIN, participant_id, credential_version)
    mac = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode()


def holds(secret: bytes, participant_id: int, credential_version: int, given: str) -> bool:
    expected = token(secret, participant_id, credential_version)
    return hmac.compare_digest(expected.encode(), given.encode())

"""The key that signs session cookies, and the refusal to start with a weak one.

Sessions are signed cookies (Flask's itsdangerous, HMAC-SHA1 over a key derived from this
one). Whoever guesses the key can forge a session for any participant — presidium included —
so it must be as hard to guess as a 32-byte random key: 256 bits. A key cannot be proved
random, but its length and alphabet bound how random it can be, so evote counts bits as
*length × bits per character of the smallest usual alphabet it fits*:

- hexadecimal (``0-9a-f``, either case): 4 bits a character, so at least **64 characters**
  (``python -c 'import secrets; print(secrets.token_hex(32))'``, ``openssl rand -hex 32``);
- base64 or base64url (``A-Za-z0-9+/-_``, trailing ``=`` not counted): 6 bits, so at least
  **43 characters** (``openssl rand -base64 32``);
- anything else: log2(95) ≈ 6.57 bits a printable character, so at least 39 characters;

and a key with fewer than 10 different characters (``aaaa…``, ``abab…``) is refused whatever
its length. The key generated into the instance folder when none is set passes (64 hex).
"""

from __future__ import annotations

import math
import string

MIN_BITS = 256
MIN_DISTINCT = 10
_HEX = set(string.hexdigits)
_BASE64 = set(string.ascii_letters + string.digits + "+/=-_")


class WeakSecretKey(ValueError):
    """The configured key is too short or too regular to sign sessions."""


def estimated_bits(key: str) -> int:
    """Length × bits per character of the smallest usual alphabet the key fits (see above)."""
    chars = set(key)
    if chars <= _HEX:
        return len(key) * 4
    if chars <= _BASE64:
        return len(key.rstrip("=")) * 6  # padding carries no randomness
    return int(len(key) * math.log2(95))


def check(key: str, source: str) -> None:
    """Raise `WeakSecretKey`, naming `source` and how to make a good key, unless `key` holds
    at least 256 bits by the estimate above."""
    bits = estimated_bits(key)
    if bits >= MIN_BITS and len(set(key)) >= MIN_DISTINCT:
        return
    why = (
        f"only {len(set(key))} different characters"
        if bits >= MIN_BITS
        else f"{len(key)} characters, about {bits} bits"
    )
    raise WeakSecretKey(
        f"{source} is too weak to sign session cookies ({why}); whoever guesses it can log in "
        f"as anyone. Use at least 32 random bytes: 64 hex characters "
        f"(python -c 'import secrets; print(secrets.token_hex(32))') or 43 base64 characters "
        f"(openssl rand -base64 32), the same on every server. evote did not start."
    )

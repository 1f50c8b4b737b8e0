"""Typed failures of the crypto core.

Verification raises instead of returning `bool`: a caller cannot forget to check, and the
message names the object that failed.  The API turns each into a 4xx with that message.
"""


class CryptoError(Exception):
    """Base of every failure the crypto core reports."""


class InvalidElement(CryptoError):
    """A number is out of range, not hex, or not in the order-q subgroup."""


class InvalidProof(CryptoError):
    """A Schnorr or Chaum-Pedersen proof does not verify."""


class InvalidBallot(CryptoError):
    """A ballot does not match the manifest or context, or one of its parts is wrong."""


class InvalidManifest(CryptoError):
    """A manifest is malformed or internally inconsistent."""


class InvalidShare(CryptoError):
    """A guardian's key share, backup or decryption share does not verify."""


class InvalidCiphertext(CryptoError):
    """A hashed-ElGamal ciphertext fails its MAC or is malformed: never decrypt what fails."""


class InvalidContext(CryptoError):
    """An election context is malformed, or its hashes or joint key are inconsistent."""

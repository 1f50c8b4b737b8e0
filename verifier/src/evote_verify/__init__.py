"""evote-verify: an independent verifier for ElectionGuard 1.x election records.

It shares no code with the evote service; it is written from the specification and the
record format so that a bug in the service's cryptography cannot hide behind the same bug here.
"""

__version__ = "0.1.0"

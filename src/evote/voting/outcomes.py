"""What a request into the ballot box can end in besides a receipt: refused, or closing the vote.

Why a leaf of its own: the ballot box raises `Refused`, the crypto adapter turns crypto errors
into it, and the lifecycle reports `Closed`; each of them imports this module and none needs
another for these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Closed:
    vote_id: int
    event_id: int
    closed_at: datetime
    cast: int
    roll: int


class Refused(Exception):
    """The ballot is not accepted and nothing was stored; `code` and `status` go to the API."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

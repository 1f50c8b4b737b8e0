"""A vote the presidium cancelled is decrypted by nobody: the guardian's client skips it.

The client reads the vote's state before it fetches or checks anything, and again in the
decryption status it reads just before computing a share, so a vote cancelled while the
guardian's laptop was checking its ballots gets no share either.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from evote_guardian import decryption
from evote_guardian.decryption import CheckedVote, VoteCancelled


class Server:
    """Answers like the server for one vote; records what the client asked and sent."""

    def __init__(self, state: str) -> None:
        self.state = state
        self.asked: list[str] = []
        self.sent: list[Any] = []

    def get(self, path: str) -> dict[str, Any]:
        self.asked.append(path)
        if path.endswith("/decryption"):
            return {"state": self.state, "direct_shares": [], "objects": []}
        return {"id": 7, "state": self.state}

    def post(self, path: str, body: Any) -> dict[str, Any]:
        self.sent.append((path, body))
        raise AssertionError("a share was sent for a cancelled vote")


def test_a_cancelled_vote_is_refused_before_anything_is_fetched() -> None:
    server = Server("cancelled")
    with pytest.raises(VoteCancelled, match="cancelled by the presidium"):
        decryption.decrypt(server, object(), 7)  # type: ignore[arg-type]
    assert server.asked == ["/api/votes/7"] and server.sent == []


def test_a_vote_cancelled_during_the_checks_gets_no_share(monkeypatch: Any) -> None:
    server = Server("closed")

    def checked(*_args: Any) -> CheckedVote:
        server.state = "cancelled"  # the presidium cancels while the laptop checks ballots
        context = SimpleNamespace(crypto_extended_base_hash=None)
        return CheckedVote(tally=None, context=context, spoiled={})  # type: ignore[arg-type]

    monkeypatch.setattr(decryption, "checked_vote", checked)
    with pytest.raises(VoteCancelled):
        decryption.decrypt(server, object(), 7)  # type: ignore[arg-type]
    assert server.sent == []

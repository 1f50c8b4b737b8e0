"""Loading the shared test vectors in tests/vectors (made by make_vectors.py with electionguard)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evote.crypto import errors
from evote.crypto.elgamal import ElGamalCiphertext
from evote.crypto.group import ElementModP, ElementModQ

VECTORS = Path(__file__).resolve().parent.parent / "vectors"


def load(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / f"{name}.json").read_text())


def p(text: str) -> ElementModP:
    return ElementModP.from_hex(text)


def q(text: str) -> ElementModQ:
    return ElementModQ.from_hex(text)


def ciphertext(data: dict[str, str]) -> ElGamalCiphertext:
    return ElGamalCiphertext(p(data["pad"]), p(data["data"]))


def expected_error(vector: dict[str, Any]) -> type[Exception] | None:
    """None for a vector that must verify, else the evote error class it must raise."""
    expected = vector["expected"]
    return None if expected["valid"] else getattr(errors, expected["error"])

"""The election context: Q and Q̄ as the package computes them, checked on the way in."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evote.crypto.context import ElectionContext, make_context
from evote.crypto.errors import InvalidContext, InvalidElement
from evote.crypto.group import P, add_q

from .conftest import SampleRecord
from .vectors import load, p, q


def test_sample_context_round_trips_and_checks(sample_record: SampleRecord) -> None:
    text = (sample_record.root / "context.json").read_text()
    context = ElectionContext.from_json(json.loads(text))
    assert json.dumps(context.to_json()) == text


def test_make_context_matches_the_package() -> None:
    v = load("context")
    i = v["inputs"]
    made = make_context(
        i["number_of_guardians"],
        i["quorum"],
        p(i["elgamal_public_key"]),
        q(i["commitment_hash"]),
        q(i["manifest_hash"]),
    )
    assert made.to_json() == v["context"]
    assert ElectionContext.from_json(v["context"]) == made


def _changed(**changes: Any) -> dict[str, Any]:
    return dict(load("context")["context"], **changes)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (_changed(quorum=4), InvalidContext, "quorum 4"),
        (_changed(quorum=1), InvalidContext, "crypto_base_hash"),
        (
            _changed(
                commitment_hash=add_q(q(load("context")["context"]["commitment_hash"]), 1).to_hex()
            ),
            InvalidContext,
            "crypto_extended_base_hash",
        ),
        (_changed(elgamal_public_key=format(P - 1, "X")), InvalidContext, "subgroup"),
        (_changed(elgamal_public_key=format(P, "X")), InvalidElement, "out of range"),
        # 1 is in the subgroup, but (g^ξ, 1^ξ·g^v) shows every vote (web/ refuses it too)
        (_changed(elgamal_public_key="01"), InvalidContext, "elgamal_public_key is 1"),
        (_changed(extended_data={"a": 1}), InvalidContext, "extended_data"),
        ({"quorum": 2}, InvalidContext, "missing field"),
    ],
)
def test_inconsistent_contexts_are_refused(data: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        ElectionContext.from_json(data)

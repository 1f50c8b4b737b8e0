"""The manifest: the package's JSON both ways, its hashes, placeholders, and validation."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from evote.crypto.errors import InvalidBallot, InvalidManifest
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest

from .conftest import SampleRecord
from .vectors import load


def test_sample_manifest_hash_and_layout(sample_record: SampleRecord) -> None:
    published = (sample_record.root / "manifest.json").read_text()
    manifest = Manifest.from_json(json.loads(published))
    assert json.dumps(manifest.to_json()) == published  # the package's bytes, exactly
    context = sample_record.load("context.json")
    assert manifest.crypto_hash().to_hex() == context["manifest_hash"]


def test_sample_placeholders_match_the_ballots(sample_record: SampleRecord) -> None:
    internal = InternalManifest(Manifest.from_json(sample_record.load("manifest.json")))
    ballot = sample_record.glob("submitted_ballots/*.json")[0]
    for contest, encrypted in zip(
        internal.contests_for("delegate"), ballot["contests"], strict=True
    ):
        assert contest.crypto_hash().to_hex() == encrypted["description_hash"]
        got = [
            (s.object_id, s.sequence_order, s.crypto_hash().to_hex())
            for s in contest.all_selections
        ]
        want = [
            (s["object_id"], s["sequence_order"], s["description_hash"])
            for s in encrypted["ballot_selections"]
        ]
        assert got == want


def test_rich_manifest_vector() -> None:
    v = load("manifest_hashes")
    manifest = Manifest.from_json(v["input"])
    assert manifest.to_json() == v["normalized"]
    assert Manifest.from_json(v["normalized"]).to_json() == v["normalized"]
    assert manifest.crypto_hash().to_hex() == v["manifest_hash"]
    parts = v["parts"]
    assert [g.crypto_hash().to_hex() for g in manifest.geopolitical_units] == parts[
        "geopolitical_units"
    ]
    assert [p.crypto_hash().to_hex() for p in manifest.parties] == parts["parties"]
    assert [c.crypto_hash().to_hex() for c in manifest.candidates] == parts["candidates"]
    assert [b.crypto_hash().to_hex() for b in manifest.ballot_styles] == parts["ballot_styles"]
    assert manifest.name is not None and manifest.name.crypto_hash().to_hex() == parts["name"]
    internal = InternalManifest(manifest)
    for contest, want in zip(internal.contests, v["contests"], strict=True):
        assert contest.crypto_hash().to_hex() == want["crypto_hash"]
        got = [
            {
                "object_id": s.object_id,
                "sequence_order": s.sequence_order,
                "candidate_id": s.candidate_id,
                "crypto_hash": s.crypto_hash().to_hex(),
            }
            for s in contest.all_selections
        ]
        assert got == want["selections"]
    for style, contest_ids in v["styles"].items():
        assert [c.object_id for c in internal.contests_for(style)] == contest_ids
    with pytest.raises(InvalidBallot, match="ballot style 'nope'"):
        internal.contests_for("nope")


def _base() -> dict[str, Any]:
    return copy.deepcopy(load("manifest_hashes")["input"])


def _contest(m: dict[str, Any], contest_id: str) -> dict[str, Any]:
    return next(c for c in m["contests"] if c["object_id"] == contest_id)


def _break_selection_id(m: dict[str, Any]) -> None:
    board = _contest(m, "board")
    board["ballot_selections"][1]["object_id"] = board["ballot_selections"][0]["object_id"]


BREAKS = {
    "duplicate selection id": (_break_selection_id, "selection id 'board-ann' appears twice"),
    "unknown district": (
        lambda m: _contest(m, "board").update(electoral_district_id="mars"),
        "unknown electoral district 'mars'",
    ),
    "too many elected": (
        lambda m: _contest(m, "board").update(number_elected=4, votes_allowed=4),
        "number_elected 4",
    ),
    "votes allowed": (
        lambda m: _contest(m, "board").update(votes_allowed=3),
        "votes_allowed must equal number_elected",
    ),
    "unsupported variation": (
        lambda m: _contest(m, "board").update(vote_variation="borda"),
        "unsupported",
    ),
    "unknown variation": (
        lambda m: _contest(m, "board").update(vote_variation="dictator"),
        "not one of the package's values",
    ),
    "contest order": (lambda m: m["contests"].reverse(), "ascending sequence_order"),
    "style unit": (
        lambda m: m["ballot_styles"][0].update(geopolitical_unit_ids=["nowhere"]),
        "unknown unit 'nowhere'",
    ),
    "candidate party": (
        lambda m: m["candidates"][3].update(party_id="nobody"),
        "unknown party 'nobody'",
    ),
    "duplicate contest order": (
        lambda m: m["contests"][1].update(sequence_order=0),
        "contest sequence order 0 appears twice",
    ),
    "no selections": (
        lambda m: _contest(m, "board").update(ballot_selections=[], number_elected=0),
        "has no selections",
    ),
    # the nonce of a selection (contest) is item `sequence_order` of a nonce sequence, which
    # has no negative items: no ballot could ever be encrypted
    "negative selection order": (
        lambda m: _contest(m, "board")["ballot_selections"][0].update(sequence_order=-1),
        "selection sequence order -1 is negative",
    ),
    "negative contest order": (
        lambda m: m["contests"][0].update(sequence_order=-1),
        "contest sequence order -1 is negative",
    ),
    "placeholder collision": (
        lambda m: _contest(m, "board")["ballot_selections"][0].update(
            object_id="board-3-placeholder"
        ),
        "is a placeholder's",
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_invalid_manifests_are_refused(name: str) -> None:
    m = _base()
    change, message = BREAKS[name]
    change(m)
    with pytest.raises(InvalidManifest, match=message):
        InternalManifest(Manifest.from_json(m))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.pop("contests"), "missing field 'contests'"),
        (lambda m: m.update(start_date="yesterday"), "not an ISO 8601 date"),
        (lambda m: m.update(spec_version="2.0"), "spec_version"),
        (lambda m: m["contests"][0].update(number_elected="2"), "must be an integer"),
        (lambda m: m["contests"][0].update(ballot_selections="all"), "must be a list"),
        (lambda m: m.update(geopolitical_units=[7]), "expected a JSON object"),
    ],
)
def test_malformed_manifest_json(change: Any, message: str) -> None:
    m = _base()
    change(m)
    with pytest.raises(InvalidManifest, match=message):
        Manifest.from_json(m)

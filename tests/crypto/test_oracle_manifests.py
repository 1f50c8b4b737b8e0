"""Conformance of manifest hashing: random manifests (unicode, optional fields, time zones)
hash, normalize and get placeholders exactly as electionguard 1.4.0 does.  Needs .oracle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest

from .conftest import ORACLE_PYTHON, oracle_json

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(not ORACLE_PYTHON.exists(), reason="no .oracle venv with electionguard 1.4.0"),
]

texts = st.text(max_size=6)
opt_texts = st.none() | texts
ids = st.text(alphabet="abcxyz-_|9Ü", min_size=1, max_size=5)
langs = st.lists(
    st.fixed_dictionaries({"value": texts, "language": st.sampled_from(["en", "de", ""])}),
    max_size=2,
).map(lambda t: {"text": t})
dates = st.builds(
    lambda d, tz: (d.replace(tzinfo=tz) if tz else d).isoformat(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    st.sampled_from([None, UTC, timezone(timedelta(hours=2))]),
)
contact = st.none() | st.fixed_dictionaries(
    {},
    optional={
        "address_line": st.none() | st.lists(texts, max_size=2),
        "email": st.none()
        | st.lists(st.fixed_dictionaries({"annotation": texts, "value": texts}), max_size=2),
        "name": opt_texts,
    },
)


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    unit_ids = draw(st.lists(ids, min_size=1, max_size=2, unique=True))
    units = [
        {"object_id": u, "name": draw(texts), "type": draw(st.sampled_from(["state", "other"])),
         "contact_information": draw(contact)}
        for u in unit_ids
    ]  # fmt: skip
    contests, candidates = [], []
    orders = sorted(draw(st.lists(st.integers(0, 50), min_size=1, max_size=2, unique=True)))
    for n, order in enumerate(orders):
        sel_orders = draw(st.lists(st.integers(0, 9), min_size=1, max_size=3, unique=True))
        selections = []
        for i, so in enumerate(sel_orders):
            cid = f"cand-{n}-{i}"
            candidates.append({"object_id": cid, "name": draw(langs), "image_uri": draw(opt_texts)})
            selections.append(
                {"object_id": f"c{n}-s{i}", "sequence_order": so, "candidate_id": cid}
            )
        elected = draw(st.integers(1, len(selections)))
        contest = {
            "object_id": f"contest-{n}",
            "sequence_order": order,
            "electoral_district_id": draw(st.sampled_from(unit_ids)),
            "vote_variation": draw(st.sampled_from(["one_of_m", "n_of_m", "approval"])),
            "number_elected": elected,
            "votes_allowed": draw(st.sampled_from([None, elected])),
            "name": draw(texts),
            "ballot_selections": selections,
        }
        if draw(st.booleans()):
            contest["ballot_title"] = draw(langs)
        contests.append(contest)
    return {
        "election_scope_id": draw(texts),
        "spec_version": draw(st.sampled_from(["1.0", "v0.95"])),
        "type": draw(st.sampled_from(["general", "primary", "special"])),
        "start_date": draw(dates),
        "end_date": draw(dates),
        "geopolitical_units": units,
        "parties": [{"object_id": "p", "name": draw(langs), "color": draw(opt_texts)}],
        "candidates": candidates,
        "contests": contests,
        "ballot_styles": [
            {
                "object_id": "style",
                "geopolitical_unit_ids": unit_ids,
                "party_ids": draw(st.none() | st.just(["p"])),
            }
        ],
        "name": draw(st.none() | langs),
        "contact_information": draw(contact),
    }


@settings(max_examples=1, deadline=None)
@given(st.lists(manifests(), min_size=12, max_size=12))
def test_random_manifests_hash_as_the_package(batch: list[dict[str, Any]]) -> None:
    for data, want in zip(batch, oracle_json("oracle_manifests.py", batch), strict=True):
        manifest = Manifest.from_json(data)
        assert want["valid"]
        assert manifest.to_json() == want["normalized"]
        assert manifest.crypto_hash().to_hex() == want["manifest_hash"]
        internal = InternalManifest(manifest)
        got = [
            [c.crypto_hash().to_hex()]
            + [[s.object_id, s.sequence_order, s.crypto_hash().to_hex()] for s in c.all_selections]
            for c in internal.contests
        ]
        assert got == want["contests"]

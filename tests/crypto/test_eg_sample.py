"""The shipped `eg e2e` record is what its README says: these bytes, made from these inputs,
with these guardians' keys.

If the file is remade or replaced, these checks make the README follow (its SHA-256) and keep
the sample tied to tests/oracle/data, whose ballots the other tests' expectations assume.
"""

from __future__ import annotations

import hashlib
import json
import re

from evote.crypto.group import ElementModQ, g_pow_p
from evote.crypto.manifest import Manifest

from .conftest import ORACLE_DATA, SAMPLE_ZIP, SampleRecord

CAST, SPOILED = 1, 2


def test_readme_names_the_shipped_bytes() -> None:
    readme = (SAMPLE_ZIP.parent / "README.md").read_text()
    digest = hashlib.sha256(SAMPLE_ZIP.read_bytes()).hexdigest()
    named = re.search(r"SHA-256 of `record.zip`:\s+`([0-9a-f]{64})`", readme)
    assert named is not None and named[1] == digest
    assert f"{SAMPLE_ZIP.stat().st_size:,} bytes for `record.zip`" in readme
    assert SAMPLE_ZIP.stat().st_size < 400_000  # small enough to ship


def test_sample_is_made_from_the_oracle_inputs(eg_sample: SampleRecord) -> None:
    manifest = Manifest.from_json(json.loads((ORACLE_DATA / "manifest.json").read_text()))
    context = eg_sample.load("context.json")
    assert context["manifest_hash"] == manifest.crypto_hash().to_hex()
    assert (context["number_of_guardians"], context["quorum"]) == (3, 2)
    inputs = json.loads((ORACLE_DATA / "ballots.json").read_text())
    states = {b["object_id"]: b["state"] for b in eg_sample.glob("submitted_ballots/*.json")}
    assert states == {b["object_id"]: CAST for b in inputs} | {"b-4": SPOILED}
    assert [p.name for p in sorted((eg_sample.root / "spoiled_ballots").iterdir())] == [
        "spoiled_ballot_b-4.json"
    ]
    assert sorted(eg_sample.load("coefficients.json")["coefficients"]) == ["1", "2", "3"]


def test_shipped_keys_are_the_records_guardians(eg_sample: SampleRecord) -> None:
    published = {g["guardian_id"]: g for g in eg_sample.glob("guardians/*.json")}
    keys = [json.loads(p.read_text()) for p in sorted((SAMPLE_ZIP.parent / "keys").glob("*.json"))]
    assert sorted(k["guardian_id"] for k in keys) == sorted(published) == ["1", "2", "3"]
    for k in keys:
        pair = k["election_keys"]["key_pair"]
        assert pair["public_key"] == published[k["guardian_id"]]["election_public_key"]
        secret = ElementModQ.from_hex(pair["secret_key"])
        assert g_pow_p(secret).to_hex() == pair["public_key"]

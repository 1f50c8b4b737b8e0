"""(a) A record from `evote simulate` loads into electionguard 1.4.0's types and passes its checks.

tests/oracle/check_record.py runs in the package's Python 3.10: every ballot through
`SubmittedBallot.is_valid_encryption`, every guardian's Schnorr proofs, every decryption share
(direct and compensated) through `CiphertextDecryptionSelection.is_valid`, plus the sums and
recovery keys the package leaves to its callers.  The tampered copies show the script fails.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import needs_oracle, run_oracle, unzip

pytestmark = [pytest.mark.oracle, needs_oracle]


@pytest.fixture(scope="module")
def evote_tree(evote_record: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unzip(evote_record, tmp_path_factory.mktemp("evote-tree"))


def test_package_accepts_every_part(evote_tree: Path) -> None:
    run = run_oracle("check_record.py", evote_tree)
    assert run.returncode == 0, run.stderr[-2000:]
    s = run.summary
    assert (s["ballots"], s["cast"], s["spoiled"]) == (5, 3, 2)
    assert s["guardians"] == 3 and s["schnorr_proofs"] == 6  # quorum 2: two per guardian
    assert len(s["present_guardians"]) == 2
    # one absent guardian: every selection of the tally (7) and of the two spoiled ballots
    # (10 each, placeholders included) has its share rebuilt from 2 compensated parts
    assert s["compensated_parts"] == 2 * (7 + 2 * 7)
    assert s["decryption_shares"] == 3 * (7 + 2 * 7)
    vote = json.loads((evote_tree / "evote" / "vote.json").read_text())
    assert vote["ballots_cast"] == sum(s["tally"]["motion"].values())


def _tamper_first(tree: Path, folder: str, edit) -> None:
    path = sorted((tree / folder).glob("*.json"))[0]
    doc = json.loads(path.read_text())
    edit(doc)
    path.write_text(json.dumps(doc))


def _flip(hex_text: str) -> str:
    return hex_text[:-1] + ("1" if hex_text[-1] != "1" else "2")


@pytest.mark.parametrize(
    ("folder", "edit", "failure"),
    [
        (
            "submitted_ballots",
            lambda d: d["contests"][0]["ballot_selections"][0]["proof"].update(
                proof_zero_response=_flip(
                    d["contests"][0]["ballot_selections"][0]["proof"]["proof_zero_response"]
                )
            ),
            "is_valid_encryption",
        ),
        (
            "guardians",
            lambda d: d["election_proofs"][1].update(
                response=_flip(d["election_proofs"][1]["response"])
            ),
            "Schnorr proof 1",
        ),
    ],
)
def test_the_check_fails_on_a_tampered_copy(
    evote_tree: Path, tmp_path: Path, folder: str, edit, failure: str
) -> None:
    tree = shutil.copytree(evote_tree, tmp_path / "tampered")
    _tamper_first(tree, folder, edit)
    run = run_oracle("check_record.py", tree)
    assert run.returncode == 1
    assert "FAIL:" in run.stderr and failure in run.stderr


def test_a_forged_compensated_share_is_caught(evote_tree: Path, tmp_path: Path) -> None:
    tree = shutil.copytree(evote_tree, tmp_path / "tampered")
    tally = json.loads((tree / "tally.json").read_text())
    selection = next(iter(next(iter(tally["contests"].values()))["selections"].values()))
    recovered = next(s for s in selection["shares"] if s["recovered_parts"])
    part = next(iter(recovered["recovered_parts"].values()))
    part["proof"]["response"] = _flip(part["proof"]["response"])
    (tree / "tally.json").write_text(json.dumps(tally))
    run = run_oracle("check_record.py", tree)
    assert run.returncode == 1 and "tally" in run.stderr, run.stderr[-500:]

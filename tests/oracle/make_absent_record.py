"""Make an election record with Microsoft's electionguard 1.4.0 in which guardians are ABSENT.

`eg e2e` always decrypts with every guardian present, so a record with compensated shares
(`recovered_parts`) and Lagrange coefficients over a subset of guardians has to be made by
driving the package's API directly. This script runs the same steps as `eg e2e` (key ceremony,
encryption, ballot box, tally, publication) but decrypts with the last MISSING guardians absent:
the present guardians announce their shares, the absent ones are announced missing, each present
guardian computes compensated shares for each absent one, and the mediator rebuilds the absent
shares before decrypting.

Run it with the oracle's Python 3.10:

    .oracle/bin/python tests/oracle/make_absent_record.py --guardians 3 --quorum 2 --missing 1 \
        --manifest tests/oracle/data/manifest.json --ballots tests/oracle/data/ballots.json \
        --spoil-id ballot-5 --out /tmp/absent.zip
"""

from __future__ import annotations

import argparse
import io
import sys

from electionguard.decryption_mediator import DecryptionMediator
from electionguard.election_polynomial import LagrangeCoefficientsRecord
from electionguard.utils import get_optional
from electionguard_cli.cli_models import CliDecryptResults
from electionguard_cli.cli_steps import EncryptVotesStep, KeyCeremonyStep, TallyStep
from electionguard_cli.e2e.e2e_election_builder_step import E2eElectionBuilderStep
from electionguard_cli.e2e.e2e_input_retrieval_step import E2eInputRetrievalStep
from electionguard_cli.e2e.e2e_publish_step import E2ePublishStep
from electionguard_cli.e2e.submit_votes_step import SubmitVotesStep


def decrypt_with_absent(tally, spoiled, guardians, context, manifest, missing: int) -> CliDecryptResults:
    """Decrypt with guardians[-missing:] absent, through compensated shares."""
    present = guardians[: len(guardians) - missing]
    absent = guardians[len(guardians) - missing :]
    mediator = DecryptionMediator("decryption-mediator", context)
    for guardian in present:
        mediator.announce(
            guardian.share_key(),
            get_optional(guardian.compute_tally_share(tally, context)),
            guardian.compute_ballot_shares(spoiled, context),
        )
    for guardian in absent:
        mediator.announce_missing(guardian.share_key())
    for guardian in present:
        for gone in absent:
            mediator.receive_tally_compensation_share(
                get_optional(guardian.compute_compensated_tally_share(gone.id, tally, context))
            )
            mediator.receive_ballot_compensation_shares(
                guardian.compute_compensated_ballot_shares(gone.id, spoiled, context)
            )
    mediator.reconstruct_shares_for_tally(tally)
    mediator.reconstruct_shares_for_ballots(spoiled)
    coefficients = LagrangeCoefficientsRecord(mediator.get_lagrange_coefficients())
    plaintext_tally = get_optional(mediator.get_plaintext_tally(tally, manifest))
    plaintext_spoiled = get_optional(mediator.get_plaintext_ballots(spoiled, manifest))
    return CliDecryptResults(plaintext_tally, plaintext_spoiled, tally, coefficients)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guardians", type=int, default=3)
    ap.add_argument("--quorum", type=int, default=2)
    ap.add_argument("--missing", type=int, default=1)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--ballots", required=True)
    ap.add_argument("--spoil-id", default=None)
    ap.add_argument("--out", required=True, help="record zip to write")
    a = ap.parse_args(argv)
    if not 0 <= a.missing <= a.guardians - a.quorum:
        ap.error("need 0 <= missing <= guardians - quorum")
    with open(a.manifest) as manifest_file:
        inputs = E2eInputRetrievalStep().get_inputs(
            a.guardians, a.quorum, manifest_file, a.ballots, a.spoil_id, a.out, None, None
        )
    joint_key = KeyCeremonyStep().run_key_ceremony(inputs.guardians)
    built = E2eElectionBuilderStep().build_election_with_key(inputs, joint_key)
    encrypted = EncryptVotesStep().encrypt(inputs.ballots, built)
    store = SubmitVotesStep().submit(inputs, built, encrypted)
    tally, spoiled = TallyStep().get_from_ballot_store(built, store)
    results = decrypt_with_absent(tally, spoiled, inputs.guardians, built.context, inputs.manifest, a.missing)
    E2ePublishStep().export(inputs, built, encrypted, results, store)
    return 0


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
    sys.exit(main())

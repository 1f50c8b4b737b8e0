"""Opening a challenged ballot (Benaloh "spoil and check") from its master nonce alone.

A voter who doubts their device asks it to reveal the master nonce of the ballot it just
encrypted, instead of casting it.  Every selection nonce ξ follows from that nonce (see
`encrypt`), so anyone holding the published (spoiled) ballot can recompute ξ, confirm
α = g^ξ, and read the vote from β / K^ξ ∈ {g^0, g^1}, without any guardian.  If the device
had encrypted anything but what the voter chose, the opened votes show it.  The ballot is
spoiled, never counted, so revealing its votes costs no secrecy.
"""

from __future__ import annotations

from .ballot import CiphertextBallot
from .context import ElectionContext
from .encrypt import ballot_nonce_seed
from .errors import InvalidBallot
from .group import ElementModQ, G, g_pow_p
from .internal_manifest import InternalManifest
from .nonces import Nonces


def open_challenged_ballot(
    ballot: CiphertextBallot,
    master_nonce: ElementModQ,
    internal: InternalManifest,
    context: ElectionContext,
) -> dict[str, dict[str, int]]:
    """{contest id: {selection id: 0 or 1}} for the real selections; raises `InvalidBallot`
    naming the first ciphertext the nonce does not open."""
    if ballot.manifest_hash != internal.manifest_hash:
        raise InvalidBallot(f"ballot {ballot.object_id!r} is for another manifest")
    key = context.elgamal_public_key
    nonce_seed = ballot_nonce_seed(internal.manifest_hash, ballot.object_id, master_nonce)
    descriptions = {c.object_id: c for c in internal.contests_for(ballot.style_id)}
    opened: dict[str, dict[str, int]] = {}
    for contest in ballot.contests:
        description = descriptions.get(contest.object_id)
        if description is None:
            raise InvalidBallot(f"contest {contest.object_id!r} is not on this ballot's style")
        contest_nonce = Nonces(description.crypto_hash(), nonce_seed)[description.sequence_order]
        by_id = {s.object_id: s for s in description.all_selections}
        votes: dict[str, int] = {}
        for selection in contest.ballot_selections:
            what = f"contest {contest.object_id!r} selection {selection.object_id!r}"
            selection_description = by_id.get(selection.object_id)
            if selection_description is None:
                raise InvalidBallot(f"{what} is not in the manifest")
            nonce = Nonces(selection_description.crypto_hash(), contest_nonce)[
                selection_description.sequence_order
            ]
            if selection.ciphertext.pad != g_pow_p(nonce):
                raise InvalidBallot(f"{what}: the revealed nonce does not open α")
            blinded = selection.ciphertext.data * key.pow(nonce).inverse()
            if blinded.value == 1:
                vote = 0
            elif blinded.value == G:
                vote = 1
            else:
                raise InvalidBallot(f"{what}: encrypts neither 0 nor 1")
            if not selection.is_placeholder_selection:
                votes[selection.object_id] = vote
        opened[contest.object_id] = votes
    return opened

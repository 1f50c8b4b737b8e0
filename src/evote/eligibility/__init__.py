"""Eligibility: who may cast a ballot that counts, decided by the credentials committee.

The committee (`evote-credentials`, on its own machine) issues every voting delegate a code and
uploads, signed with its own key, only anonymous sets of public keys per vote slot
(`committee`).  A cast ballot must be signed by one of its vote's keys, each key once
(`casting`).  Login still gates *casting* (who may post a ballot, once); the key gates
*eligibility* (which ballots count), and the record lets anyone check the second
(docs/credentials.md).
"""

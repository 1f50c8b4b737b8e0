"""`evote simulate`: a whole election in one process, the operators' rehearsal and the record
generator of tests and benchmarks.

`election` is the command (ceremony, ballots, spoils, compensated decryption, record);
`convention` makes the manifest and random choices, `encryption` encrypts ballots in parallel,
`guardians` plays the key ceremony and the decryption, `seeded_random` is the one source of
randomness, reproducible from `--seed`.
"""

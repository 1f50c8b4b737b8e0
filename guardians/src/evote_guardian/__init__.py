"""evote-guardian: the client a presidium member runs on their own laptop.

The guardian's election polynomial and the backups sent to them exist only here, in a
state file encrypted with the guardian's passphrase; the server sees public keys,
commitments, proofs, encrypted backups and decryption shares, nothing that decrypts.
"""

"""evote's ElectionGuard 1.x crypto core.

Pure: only the standard library and gmpy2.  No I/O, no clock, no randomness of its own:
nonces and seeds come in as arguments, so every result is reproducible from its inputs.
Import the submodule you need (`evote.crypto.elgamal`, `evote.crypto.proofs`, ...).
"""

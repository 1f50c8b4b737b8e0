"""The convention's rules as pure data and functions: the roles a participant may hold
(`roles`), majorities and the quorum (`majority`).

Pure like the crypto core (standard library only), so the stored models, the domain and the
web layer can all import them without importing each other.
"""

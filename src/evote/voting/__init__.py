"""Votes: the manifest of each kind of vote, the lifecycle (open, countdown, close), the ballot
box (one ballot per delegate), the adapter into the crypto core, results and the record export.

Reading order follows a ballot: `manifest` -> `lifecycle` -> `ballot_box` (with `ballot_crypto`
and `check_pool`) -> `results` -> `record_export`. `events` publishes what happens to a vote on
the live stream. The web layer (`evote.webapp.api`) calls in; nothing here imports it.
"""

"""evote-credentials: the credentials committee's tool (docs/credentials.md).

Runs on the committee's own machine, never on the server. It may import evote's pure core
(`evote.record`) for the formats it shares with the server, nothing of the server itself.
"""

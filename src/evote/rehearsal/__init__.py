"""`evote rehearse`: the load test operators run before the convention, and `./dev bench` runs
against a local server.

`prepare` seats a rehearsal event (delegates with credentials, a presidium, guardians who run
the real key ceremony); a run plays N delegates end to end — login, check-in, live page, a real
encrypted ballot for the opened vote, the guardians' decryption as separate processes, the
record checked by `evote-verify` — and prints the convention's goals with this run's numbers.

Modules: `command` (the click commands), `prepare`, `folder` (what prepare leaves), `http` and
`sse` (the delegates' browsers), `delegate`, `presidium`, `encryption` (the ballot pool),
`guardians` (the decrypting processes), `record_check`, `metrics`, `report`, `run` (the phases).
"""

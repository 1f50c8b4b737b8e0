"""`evote demo`: a whole convention on one machine (`command`), its people and motion
(`convention`), three local guardians who run the real ceremony through the HTTP API
(`guardians`), the printed summary (`output`) and the in-process server thread
(`local_server`, also used by the live-server tests).
"""

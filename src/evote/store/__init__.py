"""Storage: the database engine and sessions (`db`), the models (`models`), their base and
column types (`base`), the schema's migrations (`migrations`) and the server clock (`clock`).

Everything above reads and writes through here; nothing here knows about votes' rules or HTTP,
except that `db` ties a session's life to the request or app context that opened it.
"""

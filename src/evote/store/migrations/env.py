"""Alembic environment: migrate the engine the caller hands over (see ``evote.store.migrations``).

Also usable with the plain ``alembic`` command for writing new revisions:
``alembic -x url=sqlite:///rev.sqlite -c /dev/null revision --autogenerate`` is not needed —
``evote db revision -m "..."`` does it against a scratch SQLite database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from evote.store import models  # noqa: F401  (every table on Base.metadata)
from evote.store.base import Base
from evote.store.db import make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no database: pass an engine or set sqlalchemy.url")
        engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise RuntimeError("evote migrations run online only")
run_migrations_online()

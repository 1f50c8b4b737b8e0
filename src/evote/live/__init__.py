"""Live events for every open page: agenda item, vote opened/closed with its countdown, turnout.

One small interface, three transports.  Each process keeps a `Hub` that hands events to its own
SSE streams; a `Broker` carries events between processes and servers:

* `MemoryBroker` — one process (SQLite rehearsals, tests);
* `RedisBroker` — Redis pub/sub, for several gunicorn workers or app servers;
* `PostgresBroker` — PostgreSQL LISTEN/NOTIFY, when Redis is not wanted.

Every process runs one listener per broker, not one per browser, so a thousand open pages cost
a thousand in-memory queues and one connection.  Events never carry an interim result: only
"x of y have voted".
"""

from evote.live.bus import Broker, Hub, LiveEvent, Subscription

__all__ = ["Broker", "Hub", "LiveEvent", "Subscription"]

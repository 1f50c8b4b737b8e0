"""gunicorn settings for ``evote serve``; every value can be overridden by an environment variable.

Why these defaults:

- ``workers``: 2 per core is gunicorn's usual advice for I/O-bound apps; evote's requests are
  short database round trips plus Argon2 at login and proof checks at cast, both CPU-bound, so
  we stay at that and not above. ``EVOTE_WORKERS``.
- ``threads`` and the live-stream cap: every open live page (SSE, ``/api/live``) holds one
  gthread thread, which waits cheaply on the process's in-memory hub (one broker subscription per
  process, not per page).  A convention has up to ~1,000 pages open, so each worker may hold
  ``EVOTE_LIVE_STREAMS`` streams (default 400; 4 workers on 2 cores hold 1,600) and has
  ``EVOTE_API_THREADS`` more threads (default 32) that streams can never take: the stream past
  the cap gets 503 + Retry-After, logins and ballots still find a thread.  ``EVOTE_THREADS``
  overrides the total.  Measured in bench/live_streams.py, docs/deployment.md "Live stream".
- ``bind``: localhost only; a reverse proxy (TLS) sits in front. ``EVOTE_BIND``.
- ``forwarded_allow_ips``: gunicorn believes X-Forwarded-Proto only from the proxy.
  ``EVOTE_PROXY_IPS``. (The client address for the login rate limit comes from the app's own
  ProxyFix, switched on with ``EVOTE_PROXY_COUNT``; gunicorn does not rewrite it.)
- ``timeout``: generous for streams; ``graceful_timeout`` lets ballots in flight finish on reload.
- the hooks at the end: a worker told to stop ends its live streams at once (pages reconnect to
  another worker), so a restart does not wait out ``graceful_timeout`` for streams that never end.
"""

import multiprocessing
import os
import signal
from typing import Any

bind = os.environ.get("EVOTE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("EVOTE_WORKERS", str(2 * multiprocessing.cpu_count())))
worker_class = "gthread"
live_streams = int(os.environ.get("EVOTE_LIVE_STREAMS", "400"))
api_threads = int(os.environ.get("EVOTE_API_THREADS", "32"))
threads = int(os.environ.get("EVOTE_THREADS", str(live_streams + api_threads)))
# The app reads its per-process stream cap from here; the workers inherit the environment.
os.environ["EVOTE_LIVE_STREAMS"] = str(
    min(live_streams, max(threads - min(api_threads, threads // 2), 1))
)
# gthread keeps at most this many connections per worker (open streams plus idle keep-alives).
worker_connections = int(os.environ.get("EVOTE_WORKER_CONNECTIONS", str(threads + 1000)))
timeout = int(os.environ.get("EVOTE_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
forwarded_allow_ips = os.environ.get("EVOTE_PROXY_IPS", "127.0.0.1")
accesslog = "-"
# The access log records method, path and status only: ballots travel in bodies, never in URLs,
# and no query string evote uses carries a secret.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
errorlog = "-"
loglevel = os.environ.get("EVOTE_LOG_LEVEL", "info")
preload_app = False


def _end_streams() -> None:
    # gunicorn reads this file in the master too; the app's modules load only in workers.
    from evote.live.bus import end_all_streams

    end_all_streams()


def post_worker_init(worker: Any) -> None:
    """SIGTERM (graceful stop, reload): end the streams, then gunicorn's own handler."""
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: Any) -> None:
        _end_streams()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, on_term)


def worker_int(worker: Any) -> None:
    """SIGINT/SIGQUIT (quick stop)."""
    _end_streams()

"""gunicorn settings for ``evote serve``; every value can be overridden by an environment variable.

Why these defaults:

- ``workers``: 2 per core is gunicorn's usual advice for I/O-bound apps; evote's requests are
  short database round trips plus Argon2 at login and proof checks at cast, both CPU-bound, so
  we stay at that and not above. ``EVOTE_WORKERS``.
- ``threads``: a few threads per worker (gthread) keep long-lived live-event streams (SSE) from
  blocking a whole worker. ``EVOTE_THREADS``.
- ``bind``: localhost only; a reverse proxy (TLS) sits in front. ``EVOTE_BIND``.
- ``forwarded_allow_ips``: gunicorn believes X-Forwarded-Proto only from the proxy.
  ``EVOTE_PROXY_IPS``. (The client address for the login rate limit comes from the app's own
  ProxyFix, switched on with ``EVOTE_PROXY_COUNT``; gunicorn does not rewrite it.)
- ``timeout``: generous for streams; ``graceful_timeout`` lets ballots in flight finish on reload.
"""

import multiprocessing
import os

bind = os.environ.get("EVOTE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("EVOTE_WORKERS", str(2 * multiprocessing.cpu_count())))
worker_class = "gthread"
threads = int(os.environ.get("EVOTE_THREADS", "8"))
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

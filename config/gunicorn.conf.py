"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Everything can be overridden with GUNICORN_* environment variables or command-line flags.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Load the application once in the master, so that a (re)started worker serves at once.
preload_app = True
# Recycling workers after N requests (0: never) empties their local caches each time; under
# load, a low N means constant cold starts. Set it only to contain a leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"remote": "%(h)s", "request": "%(r)s", "status": %(s)s, "bytes": "%(b)s", '
    '"duration_ms": %(M)s, "agent": "%(a)s"}'
)
# Trust X-Forwarded-* only from the reverse proxy on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

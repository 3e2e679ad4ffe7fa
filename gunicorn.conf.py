"""gunicorn's settings for the portal, read from the environment (see .env.example).

.venv/bin/gunicorn rvcu.wsgi        # picks this file up from the working directory
"""

import os

cores = os.cpu_count() or 1

wsgi_app = "rvcu.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")

# Processes do the work: rendering a page is Python code, which one process runs on one core at
# a time. gthread rather than sync: a sync worker closes every connection after one request,
# so the proxy's keep-alive is lost, and a thread waiting on PostgreSQL or Redis leaves the
# process free for another. Only a few threads, as the GIL shares one core between them.
# Each thread keeps its own database connection (CONN_MAX_AGE): workers x threads per server
# count against PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * cores + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 2))

# A request still running after this many seconds is killed (its worker restarted).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Longer than nothing, shorter than the proxy's own idle timeout towards gunicorn, so the proxy
# never sends a request on a connection gunicorn is closing (see docs/deployment.md).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Workers are not replaced after a number of requests unless asked (gunicorn's own default):
# each replacement closes the connections the worker held, which clients see as errors under
# load (docs/performance.md). Set GUNICORN_MAX_REQUESTS (e.g. 50000, with a jitter so that they
# do not all restart at once) if a slow memory leak ever shows.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 0))

# Requests and errors to standard output and error, for the journal (systemd) or the container.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The usual combined format, plus the time taken in microseconds (%(D)s).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'

# Only these addresses may tell gunicorn, with X-Forwarded-Proto, that the request came over
# HTTPS: the reverse proxy on this machine by default, the load balancer's addresses otherwise.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The workers' heartbeat files in memory: a slow or full disk must not get workers killed.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

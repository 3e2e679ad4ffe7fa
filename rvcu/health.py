"""The health check a load balancer or a monitor probes: /healthz.

It answers 200 when this server can reach what every page needs, the database, and 503 otherwise.
The cache and the read replica (when configured) are checked and reported too, but one that
fails makes the answer "degraded", still 200: the portal works without it (rvcu/cache.py,
rvcu/db_routing.py), and a load balancer that took every server out because the one Redis or
replica they share is down would take the portal down with it. What failed is
named in the answer; the error itself goes to the log, never to the answer.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from rvcu.db_routing import REPLICA

logger = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
FAILED = "unavailable"


def _answers(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def database_answers():
    """The primary database answers a trivial query."""
    _answers(DEFAULT_DB_ALIAS)


def replica_answers():
    """The read replica answers a trivial query."""
    _answers(REPLICA)


def cache_answers():
    """The cache gives back what was just put in it."""
    # A key of this request's own: servers probed at the same moment do not read each other's.
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, key, timeout=10)
    try:
        if cache.get(key) != key:
            raise RuntimeError("the cache did not give back the value just set")
    finally:
        cache.delete(key)


CHECKS = {"database": database_answers, "cache": cache_answers}
REQUIRED = {"database"}


def checks():
    if REPLICA in settings.DATABASES:
        return {**CHECKS, "replica": replica_answers}
    return CHECKS


# Reads only: a POST gets 405 (Method Not Allowed) rather than a CSRF failure.
@csrf_exempt
@never_cache
@require_safe
def healthz(request):
    report = {}
    for name, check in checks().items():
        try:
            check()
        except Exception:
            logger.exception("Health check: the %s failed", name)
            report[name] = FAILED
        else:
            report[name] = OK
    if any(report[name] != OK for name in REQUIRED):
        status = FAILED
    elif any(state != OK for state in report.values()):
        status = DEGRADED
    else:
        status = OK
    return JsonResponse({"status": status, **report}, status=503 if status == FAILED else 200)

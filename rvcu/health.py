"""The health check a load balancer or a monitor probes: /healthz.

It answers 200 only when this server can reach what every page needs, the database and the cache,
and 503 naming what failed otherwise; the error itself goes to the log, never to the answer.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "unavailable"


def database_answers():
    """Every configured database (a read replica too) answers a trivial query."""
    for connection in connections.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


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


# Reads only: a POST gets 405 (Method Not Allowed) rather than a CSRF failure.
@csrf_exempt
@never_cache
@require_safe
def healthz(request):
    report = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check: the %s failed", name)
            report[name] = FAILED
        else:
            report[name] = OK
    healthy = all(state == OK for state in report.values())
    return JsonResponse(
        {"status": OK if healthy else FAILED, **report}, status=200 if healthy else 503
    )

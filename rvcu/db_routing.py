"""Public pages read from the PostgreSQL read replica (`DATABASE_REPLICA_URL`), all else from
the primary.

Installed by rvcu/settings/base.py only when a replica is configured. A request reads from the
replica when all of these hold, and from the primary otherwise:

- it is a GET or HEAD of a public page (a view marked by `rvcu.cache.public_page`);
- it carries no session cookie: coordinators and the secretariat, logged in, read what they and
  the others have just written, on every page;
- it carries no recent-write cookie: a response to a request that wrote to the primary sets
  one for `RVCU_REPLICA_STICKY_SECONDS`, so that a person who has just written (and then logged
  out, or wrote without logging in) does not see their change missing while the replica is
  behind;
- the read is outside a transaction: a transaction's reads see its own writes;
- the replica answered: one that refuses a connection is left alone for
  `REPLICA_RETRY_SECONDS` (a line in the log), and its pages read from the primary.

Every write goes to the primary; migrations run on the primary only (the replica copies them).
"""

import logging
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError

from rvcu.cache import is_public_page

logger = logging.getLogger(__name__)

REPLICA = "replica"
RECENT_WRITE_COOKIE = "rvcu_wrote"
# A replica that refused a connection is not asked again for this long, so that a replica whose
# host does not answer costs one connection time-out per process, not one per page.
REPLICA_RETRY_SECONDS = 10

_reads_from_replica = ContextVar("reads_from_replica", default=False)
_wrote = ContextVar("wrote", default=None)


class _ReplicaHealth:
    """When this process last failed to reach the replica (shared by its threads)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._failed_at = None

    def usable(self):
        with self._lock:
            return (
                self._failed_at is None
                or time.monotonic() - self._failed_at >= REPLICA_RETRY_SECONDS
            )

    def failed(self):
        with self._lock:
            self._failed_at = time.monotonic()

    def answered(self):
        with self._lock:
            self._failed_at = None


replica_health = _ReplicaHealth()


def replica_connects():
    """Whether the replica's connection is open (opened now if needed); False, logged, if not."""
    if not replica_health.usable():
        return False
    connection = connections[REPLICA]
    try:
        # A connection kept from an earlier request may have died with the server.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        replica_health.failed()
        logger.warning(
            "The read replica does not answer: public pages read from the primary for %s s",
            REPLICA_RETRY_SECONDS,
            exc_info=True,
        )
        return False
    replica_health.answered()
    return True


def may_read_from_replica(request):
    """Whether `request` may read from the replica (module docstring), the replica unasked."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and RECENT_WRITE_COOKIE not in request.COOKIES
        and is_public_page(request.path_info)
    )


class ReplicaRoutingMiddleware:
    """Decides where the request reads from; marks the answer to a request that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replica = may_read_from_replica(request) and replica_connects()
        replica_token = _reads_from_replica.set(replica)
        # A list, mutated by the router: the flag must survive the context copies Django makes
        # (sync_to_async), which a ContextVar.set() inside them would not.
        wrote = []
        wrote_token = _wrote.set(wrote)
        try:
            response = self.get_response(request)
        finally:
            _reads_from_replica.reset(replica_token)
            _wrote.reset(wrote_token)
        if wrote:
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=settings.RVCU_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and not _in_transaction():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        wrote = _wrote.get()
        if wrote is not None:
            wrote.append(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may relate to the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _in_transaction():
    return connections[DEFAULT_DB_ALIAS].in_atomic_block

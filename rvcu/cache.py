"""Whole-page cache of the public pages, for visitors without a session.

A public view is marked by `public_page`; `PublicPageCacheMiddleware` keeps its response for
`RVCU_PAGE_CACHE_SECONDS` and serves it again, before sessions, authentication or any query, to
visitors who carry no session cookie (anonymous visitors: a logged-in coordinator always gets a
fresh page, with their menu).

Pages are stored with the *content version* they were built under: any write to a city,
creative field, practice or partnership (the models of those apps) replaces the version once
the transaction commits, so every page cached before it is built again when next asked for.
With Redis (`REDIS_URL`) every app server sees the new version at once; with the local-memory
cache each process has its own, so a change shows within `RVCU_PAGE_CACHE_SECONDS` (see
docs/deployment.md).
"""

import dataclasses
import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from redis import exceptions as redis_exceptions

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "rvcu:content-version"
# Writes to these apps' models change what public pages show.
PUBLIC_CONTENT_APPS = {"cities", "practices", "partnerships"}


def public_page(view):
    """Marks `view`'s successful answers as the same for every visitor, so they may be cached
    (the middleware knows them by their path, see `is_public_page`)."""
    view.is_public_page = True
    return view


@functools.lru_cache(maxsize=4096)
def is_public_page(path):
    """Whether `path` is answered by a view marked by `public_page` (kept per path: resolving
    took as long as serving a cached page)."""
    with translation.override(translation.get_language_from_path(path)):
        try:
            match = resolve(path)
        except Resolver404:
            return False
    return getattr(match.func, "is_public_page", False)


def content_version():
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # A new version rather than a count from 1: if the cache lost the key, the pages it
        # may still hold must not match again.
        cache.add(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version


def renew_content_version():
    try:
        cache.set(CONTENT_VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        # The write is committed: failing its request now would only hide that. Pages cached
        # before it expire within RVCU_PAGE_CACHE_SECONDS.
        logger.exception("Page cache not renewed after a change of public content")


def _renew_after_commit(sender, **kwargs):
    if settings.RVCU_PAGE_CACHE_SECONDS > 0 and sender._meta.app_label in PUBLIC_CONTENT_APPS:
        transaction.on_commit(renew_content_version)


def connect_invalidation():
    """Renew the content version after every write to the public content (called once, by
    the app's ready())."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_renew_after_commit, dispatch_uid=f"rvcu-page-cache-{signal!r}")


class PublicPageCacheMiddleware:
    """Serves and stores the pages of views marked by `public_page`. It comes before the session and
    authentication middleware, which a cached answer skips; the headers the middleware after it
    add (CSP, frame options, language) are stored with the page, those before it (security)
    are added to every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = version = None
        if self.may_serve_from_cache(request):
            try:
                host = request.get_host()
            except DisallowedHost:
                # Refused below, after the middlewares that add the security headers to the 400.
                return self.get_response(request)
            key = self.cache_key(f"{host}{request.get_full_path()}")
            try:
                # One round trip: the content version and the page, stored with the version it
                # was built under.
                found = cache.get_many([CONTENT_VERSION_KEY, key])
                version = found.get(CONTENT_VERSION_KEY) or content_version()
            except Exception:
                # A cache that does not answer costs the page its cache, never the page.
                logger.warning("Page cache unavailable", exc_info=True)
                return self.get_response(request)
            stored = found.get(key)
            if stored is not None and stored[0] == version:
                return stored[1]
        response = self.get_response(request)
        if key is not None and self.may_store(response):
            try:
                cache.set(key, (version, response), settings.RVCU_PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unavailable", exc_info=True)
        return response

    @staticmethod
    def may_serve_from_cache(request):
        return (
            settings.RVCU_PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and is_public_page(request.path_info)
        )

    @staticmethod
    def cache_key(page):
        """The key of `page` (host, path and query) as it is today."""
        # The day is in the key: pages say which calls for applications are open today.
        digest = hashlib.sha256(page.encode()).hexdigest()
        return f"rvcu:page:{timezone.localdate().isoformat()}:{digest}"

    @staticmethod
    def may_store(response):
        return (
            response.status_code == 200
            and not response.streaming
            # A cookie (CSRF token, message, session) belongs to one visitor.
            and not response.cookies
        )


# What redis-py raises when Redis does not answer (refused, reset, timed out, still loading).
REDIS_UNREACHABLE = (redis_exceptions.ConnectionError, redis_exceptions.TimeoutError)


def _or_miss(miss):
    """The wrapped client command, or `miss(*args)` (what the command gives on a missing key)
    when Redis does not answer."""

    def decorate(command):
        @functools.wraps(command)
        def call(self, *args):
            if self.is_resting():
                return miss(*args)
            try:
                return command(self, *args)
            except REDIS_UNREACHABLE:
                self.unreachable()
                return miss(*args)

        return call

    return decorate


@dataclasses.dataclass
class Outage:
    """What a process knows of a Redis that stopped answering (shared by its threads; a race
    between them costs at most one more try or one more warning)."""

    resting_until: float = 0.0
    warned_at: float | None = None


def _missing_key(key, delta):
    raise ValueError(f"Key {key!r} not found.")


class RedisCacheClient(redis.RedisCacheClient):
    """Django's Redis client, keeping its redis-py clients: Django makes one for every
    command, and making one (its table of response parsers) cost more than the command on a
    cached page. A redis-py client is safe to share between threads (connections come from
    the pool per command).

    Redis is a cache only: a command Redis does not answer is a miss (reads find nothing,
    writes are lost, `add` succeeds), so that allauth's rate limits allow and people can log
    in while it is down. After a failure the process leaves that Redis alone for
    `rest_seconds`, so a Redis that times out costs a request one timeout, not one per command,
    and it logs one warning per `warn_every_seconds` of failures. (Django makes a cache client
    per thread: what is known of a server's state is kept per process, in `_outages`.)
    """

    rest_seconds = 5
    warn_every_seconds = 60
    _outages = {}  # servers -> Outage

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._outage = self._outages.setdefault(tuple(self._servers), Outage())

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]

    def is_resting(self):
        return time.monotonic() < self._outage.resting_until

    def unreachable(self):
        now = time.monotonic()
        outage = self._outage
        outage.resting_until = now + self.rest_seconds
        if outage.warned_at is None or now - outage.warned_at >= self.warn_every_seconds:
            outage.warned_at = now
            logger.warning(
                "Redis does not answer: the cache is off (rate limits allow) and is tried "
                "again every %d s",
                self.rest_seconds,
                exc_info=True,
            )

    add = _or_miss(lambda key, value, timeout: True)(redis.RedisCacheClient.add)
    get = _or_miss(lambda key, default: default)(redis.RedisCacheClient.get)
    set = _or_miss(lambda key, value, timeout: None)(redis.RedisCacheClient.set)
    touch = _or_miss(lambda key, timeout: False)(redis.RedisCacheClient.touch)
    delete = _or_miss(lambda key: False)(redis.RedisCacheClient.delete)
    get_many = _or_miss(lambda keys: {})(redis.RedisCacheClient.get_many)
    has_key = _or_miss(lambda key: False)(redis.RedisCacheClient.has_key)
    incr = _or_miss(_missing_key)(redis.RedisCacheClient.incr)
    set_many = _or_miss(lambda data, timeout: None)(redis.RedisCacheClient.set_many)
    delete_many = _or_miss(lambda keys: None)(redis.RedisCacheClient.delete_many)
    clear = _or_miss(lambda: False)(redis.RedisCacheClient.clear)


class RedisCache(redis.RedisCache):
    """Django's Redis cache with `RedisCacheClient` (the BACKEND when REDIS_URL is set)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

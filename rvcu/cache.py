"""Whole-page cache of the public pages, for visitors without a session.

A public view is wrapped in `public_page`; `PublicPageCacheMiddleware` keeps its response for
`RVCU_PAGE_CACHE_SECONDS` and serves it again, before sessions, authentication or any query, to
visitors who carry no session cookie (anonymous visitors: a logged-in coordinator always gets a
fresh page, with their menu).

Pages are keyed by a *content version*: any write to a city, creative field, practice or
partnership (the models of those apps) replaces the version once the transaction commits, so
every page cached before it is left to expire unused. With Redis (`REDIS_URL`) every app server
sees the new version at once; with the local-memory cache each process has its own, so a
change shows within `RVCU_PAGE_CACHE_SECONDS` (see docs/deployment.md).
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "rvcu:content-version"
# Writes to these apps' models change what public pages show.
PUBLIC_CONTENT_APPS = {"cities", "practices", "partnerships"}


def public_page(view):
    """Marks `view`'s successful answers as the same for every visitor, so they may be cached."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.is_public_page = True
        return response

    wrapper.is_public_page = True
    return wrapper


def is_public_page(path):
    """Whether `path` is answered by a view wrapped in `public_page`."""
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
    """Serves and stores the pages marked by `public_page`. Must come after the middleware
    that adds headers to every response (security, CSP), which then apply to cached pages
    too, and before the session and authentication middleware, which it lets a cached answer
    skip."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        if self.may_serve_from_cache(request):
            page = f"{request.get_host()}{request.get_full_path()}"
            try:
                key = self.cache_key(page)
                response = cache.get(key)
            except Exception:
                # A cache that does not answer costs the page its cache, never the page.
                logger.warning("Page cache unavailable", exc_info=True)
                return self.get_response(request)
            if response is not None:
                return response
        response = self.get_response(request)
        if key is not None and self.may_store(response):
            try:
                cache.set(key, response, settings.RVCU_PAGE_CACHE_SECONDS)
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
        return f"rvcu:page:{content_version()}:{timezone.localdate().isoformat()}:{digest}"

    @staticmethod
    def may_store(response):
        return (
            getattr(response, "is_public_page", False)
            and response.status_code == 200
            and not response.streaming
            # A cookie (CSRF token, message, session) belongs to one visitor.
            and not response.cookies
        )

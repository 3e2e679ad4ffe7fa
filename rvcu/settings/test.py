"""Settings for the test suite: SQLite unless DATABASE_URL says otherwise."""

import tempfile

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
SECRET_KEY = "tests-only-not-a-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in the test, when the transaction's commit callbacks run (tests/core for a worker).
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="rvcu-test-media-")
RVCU_PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="rvcu-test-private-media-")
STORAGES = {
    **STORAGES,
    "private": {**STORAGES["private"], "OPTIONS": {"location": RVCU_PRIVATE_MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Each test starts with an empty cache (tests/conftest.py), whatever REDIS_URL says.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests run inside transactions that never commit, so the page cache would never be renewed:
# it is off, and tests/rvcu/test_cache.py turns it on where it is tested.
RVCU_PAGE_CACHE_SECONDS = 0

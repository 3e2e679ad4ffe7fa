"""Local development: works with no environment at all (SQLite, DEBUG on)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-local-development-only")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Pages change with every template edit here: cache nothing unless asked.
RVCU_PAGE_CACHE_SECONDS = env.int("RVCU_PAGE_CACHE_SECONDS", default=0)

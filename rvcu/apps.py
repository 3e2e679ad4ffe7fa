from django.apps import AppConfig


class RvcuConfig(AppConfig):
    name = "rvcu"
    verbose_name = "RVCU"

    def ready(self):
        from . import storage  # noqa: F401 (registers its system check)
        from .cache import connect_invalidation

        connect_invalidation()

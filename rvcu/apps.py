from django.apps import AppConfig


class RvcuConfig(AppConfig):
    name = "rvcu"
    verbose_name = "RVCU"

    def ready(self):
        from .cache import connect_invalidation

        connect_invalidation()

from django.apps import AppConfig


class RvcuConfig(AppConfig):
    name = "rvcu"
    verbose_name = "RVCU"

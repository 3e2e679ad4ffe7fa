from django.db import models


class WebsiteField(models.URLField):
    """A web address; typed without a scheme ('example.org'), it is taken as https."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

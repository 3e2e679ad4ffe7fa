from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import validate_pdf_upload
from .images import validate_image_upload


class WebAddressValidator(URLValidator):
    """An http or https address. Pages show these as links: a javascript: or data: address
    would run in the page of whoever follows it, and browsers no longer open ftp: ones."""

    scheme_message = _("Give a web address starting with http:// or https://.")

    def __init__(self, **kwargs):
        super().__init__(schemes=["http", "https"], **kwargs)

    def __call__(self, value):
        if isinstance(value, str) and urlsplit(value).scheme.lower() not in self.schemes:
            raise ValidationError(self.scheme_message, code="invalid_scheme")
        super().__call__(value)


class WebsiteFormField(forms.URLField):
    default_validators = [WebAddressValidator()]

    def __init__(self, **kwargs):
        # Typed without a scheme ('example.org'), an address is taken as https.
        super().__init__(**{"assume_scheme": "https", **kwargs})


class WebsiteField(models.URLField):
    """A web address, http or https only; typed without a scheme ('example.org'), it is taken
    as https."""

    default_validators = [WebAddressValidator()]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebsiteFormField, **kwargs})


class PictureFormField(forms.ImageField):
    """Checks the content of a new upload (type, size, pixels, damage) with a clear message,
    before Django's own image check."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image_upload(data)
        return super().to_python(data)


class PictureField(models.ImageField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})


class PdfFormField(forms.FileField):
    def to_python(self, data):
        data = super().to_python(data)
        if data is not None:
            validate_pdf_upload(data)
        return data


class PdfField(models.FileField):
    """A PDF document, recognised by its content whatever its name says."""

    def formfield(self, **kwargs):
        return super().formfield(
            **{
                "form_class": PdfFormField,
                "widget": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
                **kwargs,
            }
        )

from django import forms
from django.db import models

from .documents import validate_pdf_upload
from .images import validate_image_upload


class WebsiteField(models.URLField):
    """A web address; typed without a scheme ('example.org'), it is taken as https."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


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

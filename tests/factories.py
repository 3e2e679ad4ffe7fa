"""factory_boy factories for the portal's models."""

import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from accounts.models import User
from cities.models import City, CreativeField
from cities.text import ascii_slug

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who logs in with an e-mail address (there is no user name)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password(PASSWORD)
    first_name = "Ada"
    last_name = "Lovelace"


def with_permissions(person, *names):
    """`person`, given the permissions named "app_label.codename"."""
    from django.contrib.auth.models import Permission

    for name in names:
        app_label, codename = name.split(".")
        person.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return person


def acting_staff(**kwargs):
    """A member of the secretariat who may act for every city on the coordinator pages."""
    return with_permissions(UserFactory(is_staff=True, **kwargs), "cities.act_for_every_city")


class CityFactory(factory.django.DjangoModelFactory):
    """A member city, in one of the creative fields the data migration seeds.

    Choose the field with `field_slug="film"` (or pass `field=` directly).
    """

    class Meta:
        model = City

    class Params:
        field_slug = "music"

    name = factory.Sequence(lambda n: f"Testville {n}")
    slug = factory.LazyAttribute(lambda city: ascii_slug(city.name))
    country = "FR"
    field = factory.LazyAttribute(lambda city: CreativeField.objects.get(slug=city.field_slug))
    designation_year = 2015
    latitude = Decimal("48.8566")
    longitude = Decimal("2.3522")


def image_bytes(image_format="PNG", size=(16, 12), colour=(200, 40, 40)):
    """A real, tiny picture drawn by Pillow, as the bytes of a file."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(name="city.png", image_format="PNG", **kwargs):
    """A picture as a browser would upload it."""
    content_type = "image/png" if image_format == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, image_bytes(image_format, **kwargs), content_type)


def pdf_bytes(change=None):
    """A real one-page PDF written by pypdf, as the bytes of a file; `change(writer)` may add
    to it before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change is not None:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# What the probe uploaded as probe.html: a page of script with the two markers a PDF has.
PROBE_HTML = (
    b"<!-- %PDF-1.4 -->\n<html><body><script>fetch('/admin/').then(r => r.text())"
    b".then(t => alert(t))</script></body></html>\n<!-- %%EOF -->\n"
)


def pdf_upload(name="report.pdf", content=None, content_type="application/pdf"):
    """A PDF as a browser would upload it."""
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type)

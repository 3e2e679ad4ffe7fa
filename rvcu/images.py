"""The one way the portal accepts and stores pictures (cities, practices, partnerships).

An upload is judged by its content, never by its name or the type the browser claims: it must be
a JPEG, PNG or WebP that Pillow can fully decode, within a byte and a pixel limit. The pixel limit
is read from the header before any pixel is decoded, so a small file that declares a huge picture
(a decompression bomb) is refused without using the memory it asks for.

An accepted picture is never served as uploaded. `process_image` re-encodes it as WebP from the
pixels alone: the camera's orientation is applied, and all metadata (EXIF with GPS position,
camera and author, ICC profiles, XMP) is left behind. What is stored is a master no larger than
2400 pixels a side and the renditions the pages show.
"""

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .uploads import megabytes

ACCEPTED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
MASTER_SIZE = (2400, 2400)
WEBP_QUALITY = 85

# What Pillow raises for a truncated or corrupt file (UnidentifiedImageError is caught first).
_DAMAGED_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError)


@dataclass(frozen=True)
class Rendition:
    """A size pages show: cropped to exactly this size, or fitted inside it."""

    max_width: int
    max_height: int
    crop: bool = False


RENDITIONS = {
    "card": Rendition(640, 480, crop=True),
    "page": Rendition(1200, 900, crop=False),
}


@dataclass(frozen=True)
class ProcessedImage:
    """What is stored of an upload: WebP files without metadata; width/height of "page"."""

    master: ContentFile
    renditions: dict[str, ContentFile]
    width: int
    height: int


@contextmanager
def _bomb_warnings_as_errors():
    """Pillow only warns between its limit and twice its limit: make that an error too."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _too_many_pixels():
    return ValidationError(
        _(
            "This image has too many pixels to be processed. "
            "Please save it at a smaller size (for example 3000 pixels wide) and upload it again."
        ),
        code="image_too_many_pixels",
    )


def validate_image_upload(file):
    """Refuse anything but a complete JPEG, PNG or WebP within the size and pixel limits."""
    if not file:
        return
    limit = settings.RVCU_MAX_IMAGE_BYTES
    if file.size > limit:
        raise ValidationError(
            _(
                "This image is too large (%(size)s MB); the limit is %(limit)s MB. "
                "Please save it at a smaller size or lower quality and upload it again."
            ),
            code="image_too_large",
            params={"size": megabytes(file.size), "limit": megabytes(limit)},
        )
    max_pixels = settings.RVCU_MAX_IMAGE_PIXELS
    file.seek(0)
    try:
        with _bomb_warnings_as_errors(), Image.open(file) as image:
            if image.format not in ACCEPTED_IMAGE_FORMATS:
                raise ValidationError(
                    _(
                        "This type of image cannot be used. "
                        "Please save it as JPEG, PNG or WebP and upload it again."
                    ),
                    code="image_type",
                )
            if image.width * image.height > max_pixels:
                raise _too_many_pixels()
            image.load()
    except UnidentifiedImageError as error:
        raise ValidationError(
            _(
                "This file is not an image. "
                "Please choose a photo or picture saved as JPEG, PNG or WebP."
            ),
            code="not_an_image",
        ) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except _DAMAGED_ERRORS as error:
        raise ValidationError(
            _(
                "This image is damaged or incomplete and cannot be opened. "
                "Please open it on your computer, save it again and upload the new file."
            ),
            code="image_damaged",
        ) from error
    finally:
        file.seek(0)


def _without_metadata(image):
    """The pixels upright, in RGB (or RGBA when there is transparency), with no metadata."""
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    image.info = {}
    return image


def _render(image, rendition):
    size = (rendition.max_width, rendition.max_height)
    if rendition.crop:
        return ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
    fitted = image.copy()
    fitted.thumbnail(size, Image.Resampling.LANCZOS)
    return fitted


def _webp(image, name):
    buffer = BytesIO()
    image.save(buffer, format="WEBP", quality=WEBP_QUALITY)
    return ContentFile(buffer.getvalue(), name=name)


def process_image(file):
    """Re-encode an upload that passed `validate_image_upload` as a master and its renditions."""
    file.seek(0)
    try:
        with _bomb_warnings_as_errors(), Image.open(file) as opened:
            image = _without_metadata(opened)
    finally:
        file.seek(0)
    stem = uuid4().hex
    master = _render(image, Rendition(*MASTER_SIZE))
    rendered = {name: _render(image, rendition) for name, rendition in RENDITIONS.items()}
    return ProcessedImage(
        master=_webp(master, f"{stem}.webp"),
        renditions={
            name: _webp(picture, f"{stem}-{name}.webp") for name, picture in rendered.items()
        },
        width=rendered["page"].width,
        height=rendered["page"].height,
    )

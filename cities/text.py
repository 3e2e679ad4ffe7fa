"""Small text helpers shared by the models, the importer and the search."""

from anyascii import anyascii
from django.utils.text import slugify
from django.utils.translation import get_language


def ascii_slug(text):
    """A readable ASCII slug: 'Kraków' -> 'krakow', 'Łódź' -> 'lodz'."""
    return slugify(anyascii(text))


def search_key(text):
    """Lower-case ASCII text, so that 'krakow' matches 'Kraków'."""
    return " ".join(anyascii(text).lower().split())


def localized(obj, attribute):
    """The value of `<attribute>_<language>` for the active language, English when empty."""
    language = (get_language() or "en").split("-")[0]
    return getattr(obj, f"{attribute}_{language}", "") or getattr(obj, f"{attribute}_en")

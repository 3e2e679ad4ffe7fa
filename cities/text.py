"""Small text helpers shared by the models, the importer and the search."""

from anyascii import anyascii
from django.utils.text import slugify
from django.utils.translation import get_language


def ascii_slug(text):
    """A readable ASCII slug: 'Kraków' -> 'krakow', 'Łódź' -> 'lodz'."""
    return slugify(anyascii(text))


# A search uses the first words typed, this many at most: each word is one more condition, and
# on SQLite a thousand of them make a query it refuses ("Expression tree is too large"). The
# lists say so when words are left out.
MAX_SEARCH_WORDS = 12

# Code point -> ASCII, for the characters met so far.
_TRANSLITERATIONS = {}


def search_key(text):
    """Lower-case ASCII text, so that 'krakow' matches 'Kraków'."""
    # anyascii maps characters one by one: each non-ASCII character of a long text is looked up
    # once, and str.translate does the rest (a practice's texts: about 2 ms down to 0.1 ms).
    for character in set(text):
        if not character.isascii() and ord(character) not in _TRANSLITERATIONS:
            _TRANSLITERATIONS[ord(character)] = anyascii(character)
    return " ".join(text.translate(_TRANSLITERATIONS).lower().split())


def localized(obj, attribute):
    """The value of `<attribute>_<language>` for the active language, English when empty."""
    language = (get_language() or "en").split("-")[0]
    return getattr(obj, f"{attribute}_{language}", "") or getattr(obj, f"{attribute}_en")

"""Every message catalogue is complete: nothing untranslated, nothing fuzzy."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
# Without any catalogue, check the French one, so that the test fails instead of vanishing.
CHECKED_FILES = PO_FILES or [LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"]


def test_translations_catalogue_exists_for_every_other_language():
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            assert LOCALE_DIR / code / "LC_MESSAGES" / "django.po" in PO_FILES


@pytest.mark.parametrize("path", CHECKED_FILES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_translations_catalogue_is_complete(path):
    assert path.is_file(), f"{path} is missing"
    catalogue = polib.pofile(str(path))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert len(catalogue) > 0
    assert untranslated == []
    assert fuzzy == []

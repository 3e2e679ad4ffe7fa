"""Where uploaded files live.

`default` (MediaStorage) is MEDIA_ROOT, served to anyone who knows a file's address (by nginx in
production). `private` is RVCU_PRIVATE_MEDIA_ROOT, outside it and never served as it is: the
uploads kept for a form shown again (rvcu.uploads) and the files of archived revisions that no
other revision uses (rvcu.retired_files, under `retired/`).

A row of an archived revision keeps its file fields, renamed `retired/<old name>`: the default
storage finds such names in the private storage, and gives them the address of the staff-only
view, so the admin shows them as before and the public address is gone.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse

RETIRED_DIR = "retired"
RETIRED_PREFIX = f"{RETIRED_DIR}/"


class MediaStorage(FileSystemStorage):
    def path(self, name):
        if name.startswith(RETIRED_PREFIX):
            return storages["private"].path(name)
        return super().path(name)

    def url(self, name):
        if name and name.startswith(RETIRED_PREFIX):
            return reverse("retired-media", kwargs={"path": name.removeprefix(RETIRED_PREFIX)})
        return super().url(name)


@checks.register(checks.Tags.security)
def check_private_media_not_served(app_configs=None, **kwargs):
    """The web server serves all of MEDIA_ROOT: the private storage must not be inside it."""
    media = Path(settings.MEDIA_ROOT).resolve()
    private = Path(settings.RVCU_PRIVATE_MEDIA_ROOT).resolve()
    if private == media or media in private.parents:
        return [
            checks.Error(
                "RVCU_PRIVATE_MEDIA_ROOT is inside MEDIA_ROOT, which is served to anyone.",
                hint="Set RVCU_PRIVATE_MEDIA_ROOT to a folder outside DJANGO_MEDIA_ROOT.",
                id="rvcu.E010",
            )
        ]
    return []

"""Where uploaded files live.

`default` (MediaStorage) is MEDIA_ROOT, served to anyone who knows a file's address (by nginx in
production). `private` is RVCU_PRIVATE_MEDIA_ROOT, outside it and never served as it is: the
uploads kept for a form shown again (rvcu.uploads) and the files of archived revisions that no
other revision uses (rvcu.retired_files, under `retired/`).

A row of an archived revision keeps its file fields, renamed `retired/<old name>`: the default
storage finds such names in the private storage, and gives them the address of the staff-only
view, so the admin shows them as before and the public address is gone.
"""

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

"""Files of revisions taken off the portal stop being served.

A revision's files (its picture with its renditions, and the files of the rows hanging from it,
such as attached documents) are shared with the revisions copied from it. Once every revision
that names a file is archived, the file leaves the served media for the private storage, as
`retired/<its name>`, and those rows are renamed: its public address answers 404, and staff
still open it from the admin (rvcu.storage gives such names the staff-only address). A new draft
copied from an archived revision gets fresh public copies, under new names.

rvcu.revisions calls `retire_unused_files` after a publication that replaces a revision and
after an archiving, once the transaction is committed.
"""

import logging
import posixpath
import uuid

from django.core.files.storage import default_storage, storages
from django.db import models, transaction

from .review import ReviewState
from .storage import RETIRED_PREFIX

logger = logging.getLogger(__name__)

# The revisions whose files stay where anyone with the address can read them: the published
# one, and those its coordinators work on (their previews show the files).
LIVE_STATES = [
    ReviewState.DRAFT,
    ReviewState.SUBMITTED,
    ReviewState.CHANGES_REQUESTED,
    ReviewState.PUBLISHED,
]


def _file_fields(model):
    return [
        field.name for field in model._meta.concrete_fields if isinstance(field, models.FileField)
    ]


def _file_holders(revision):
    """(model, lookup from it to the revision, rows, file field names) for `revision` itself
    and for each kind of row hanging from it that holds files."""
    model = type(revision)
    yield model, "", [revision], _file_fields(model)
    for name in model.copied_children:
        relation = model._meta.get_field(name)
        fields = _file_fields(relation.related_model)
        if fields:
            rows = list(getattr(revision, name).all())
            yield relation.related_model, f"{relation.field.name}__", rows, fields


def retire_unused_files(revision):
    """Move the files of archived `revision` that no live revision names into the private
    storage; returns how many files moved."""
    model = type(revision)
    document_model = type(revision.document)
    moved = 0
    with transaction.atomic():
        # A new draft copied from this revision at the same time (rvcu.revisions.copy_as_draft
        # takes the same lock) would name files about to move.
        document_model.objects.select_for_update().get(pk=revision.document.pk)
        revision = model.objects.get(pk=revision.pk)
        if revision.state != ReviewState.ARCHIVED:
            return moved
        for holder, to_revision, rows, fields in _file_holders(revision):
            for field in fields:
                names = {getattr(row, field).name for row in rows} - {"", None}
                for name in sorted(names):
                    if name.startswith(RETIRED_PREFIX):
                        continue
                    live = {field: name, f"{to_revision}state__in": LIVE_STATES}
                    if holder.objects.filter(**live).exists():
                        continue
                    if _retire(holder, field, name):
                        moved += 1
    return moved


def _retire(model, field, name):
    if not default_storage.exists(name):
        logger.warning("Cannot retire %s: the file is missing from the media", name)
        return False
    with default_storage.open(name) as stored:
        retired = storages["private"].save(f"{RETIRED_PREFIX}{name}", stored)
    model.objects.filter(**{field: name}).update(**{field: retired})
    transaction.on_commit(lambda: default_storage.delete(name))
    return True


def restore_retired_files(revision):
    """Give `revision` (a new draft) public copies of the retired files it names, under new
    names: the addresses they had before they were retired stay dead."""
    for holder, _to_revision, rows, fields in _file_holders(revision):
        for row in rows:
            changes = {}
            for field in fields:
                name = getattr(row, field).name
                if name and name.startswith(RETIRED_PREFIX):
                    changes[field] = _restored_copy(name)
            changes = {field: value for field, value in changes.items() if value}
            if changes:
                holder.objects.filter(pk=row.pk).update(**changes)
                for field, value in changes.items():
                    setattr(row, field, value)


def _restored_copy(retired_name):
    private = storages["private"]
    if not private.exists(retired_name):
        logger.warning(
            "Cannot restore %s: the file is missing from the private storage", retired_name
        )
        return None
    original = retired_name.removeprefix(RETIRED_PREFIX)
    suffix = posixpath.splitext(original)[1]
    new_name = posixpath.join(posixpath.dirname(original), f"{uuid.uuid4().hex}{suffix}")
    with private.open(retired_name) as stored:
        return default_storage.save(new_name, stored)

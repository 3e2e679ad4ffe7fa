"""Writes of the practices app: creating practices and moving their revisions through review."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cities.permissions import can_act_for_city
from rvcu import revisions
from rvcu.review import ReviewAction

from .models import Practice, PracticeAttachment, PracticeRevision
from .permissions import can_edit_practice


def practice_create(*, city, title, by, documents=(), **content):
    """A new practice of `city` with a first draft revision; many-to-many tags go in `content`
    as lists (fields, objectives, action_areas, sdgs); `documents` are (title, file) pairs."""
    if not can_act_for_city(by, city):
        raise PermissionDenied(_("You do not coordinate this city."))
    with transaction.atomic():
        practice = Practice.objects.create(city=city, created_by=by)
        revision = revisions.save_content(
            PracticeRevision(practice=practice, number=1),
            by=by,
            content={"title": title, "fields": [], **content},
        )
        _add_documents(revision, documents)
    return practice, revision


def practice_update(
    *, practice, by, edited_version="", documents=(), remove_documents=(), **content
):
    """Save `content` as the practice's editable revision (a new draft if the current one is
    published); `remove_documents` are file names of attached documents to drop. Raises
    EditConflict if the content changed since the form showed `edited_version`."""
    with transaction.atomic():
        revision = practice_revision_for_editing(
            practice=practice, by=by, edited_version=edited_version
        )
        revisions.save_content(revision, by=by, content=content)
        if remove_documents:
            revision.attachments.filter(file__in=list(remove_documents)).delete()
        _add_documents(revision, documents)
    return revision


def practice_revision_for_editing(*, practice, by, edited_version=""):
    """The revision `by` may edit now (see rvcu.revisions.revision_for_editing)."""
    if not can_edit_practice(by, practice):
        raise PermissionDenied(_("You cannot edit this practice."))
    return revisions.revision_for_editing(
        practice,
        by=by,
        under_review_message=_("This practice is being reviewed: withdraw it to edit it again."),
        edited_version=edited_version,
    )


def practice_submit(*, revision, by):
    return revisions.author_transition(
        revision, ReviewAction.SUBMIT, by=by, allowed=can_edit_practice(by, revision.practice)
    )


def practice_withdraw(*, revision, by):
    return revisions.author_transition(
        revision, ReviewAction.WITHDRAW, by=by, allowed=can_edit_practice(by, revision.practice)
    )


practice_request_changes = revisions.request_changes
practice_publish = revisions.publish
practice_archive = revisions.archive


def _add_documents(revision, documents):
    for title, file in documents:
        attachment = PracticeAttachment(revision=revision, title=title, file=file)
        attachment.full_clean(exclude=["revision"])
        attachment.save()

"""The review workflow shared by practices and partnerships: one state machine, one history.

A reviewed item (a practice revision, later a partnership revision) has a `state`. People move
it with actions; `review_transition` refuses any move the table below does not allow, records
who moved it, when and why, and returns the event.

    draft --submit--> submitted --publish--> published --archive--> archived
                      submitted --request_changes--> changes_requested --submit--> submitted
                      submitted --withdraw--> draft
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submit for review")
    WITHDRAW = "withdraw", _("Withdraw the submission")
    PUBLISH = "publish", _("Publish")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    ARCHIVE = "archive", _("Archive")


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    secretariat_only: bool
    needs_message: bool = False


TRANSITIONS = {
    ReviewAction.SUBMIT: Transition(
        frozenset({ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED}),
        ReviewState.SUBMITTED,
        secretariat_only=False,
    ),
    ReviewAction.WITHDRAW: Transition(
        frozenset({ReviewState.SUBMITTED}), ReviewState.DRAFT, secretariat_only=False
    ),
    ReviewAction.PUBLISH: Transition(
        frozenset({ReviewState.SUBMITTED}), ReviewState.PUBLISHED, secretariat_only=True
    ),
    ReviewAction.REQUEST_CHANGES: Transition(
        frozenset({ReviewState.SUBMITTED}),
        ReviewState.CHANGES_REQUESTED,
        secretariat_only=True,
        needs_message=True,
    ),
    ReviewAction.ARCHIVE: Transition(
        frozenset({ReviewState.PUBLISHED}), ReviewState.ARCHIVED, secretariat_only=True
    ),
}


def allowed_actions(*, state, by_secretariat):
    """The actions that may be taken on an item in `state` by the secretariat or an author."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if state in transition.sources and (by_secretariat or not transition.secretariat_only)
    ]


class ReviewedItem(models.Model):
    """Abstract base of anything that goes through review."""

    state = models.CharField(
        _("state"), max_length=20, choices=ReviewState, default=ReviewState.DRAFT, db_index=True
    )
    state_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)

    # What a person is told who asks for an action once it is done (a double click, or someone
    # else a moment before), by action: a concrete type names itself, e.g. "This practice was
    # already submitted."
    already_done_messages = {}

    class Meta:
        abstract = True

    def already_done_message(self, action):
        message = self.already_done_messages.get(action)
        if message is None:
            return _("This is already done: the item is “%(state)s”.") % {
                "state": ReviewState(self.state).label
            }
        return str(message)


def review_transition(*, item, action, by, message="", by_secretariat=None):
    """Apply `action` to `item` on behalf of `by`; raise ValidationError if it is not allowed.

    `by_secretariat` defaults to `by.is_staff`. The caller checks that a non-staff person is an
    author of the item (an app rule); this function checks the state machine and the roles.
    The item's row is locked and its state read again inside the lock, so that of two requests
    at once (a double click, two reviewers) only the first applies; the second is refused with
    the item's `already_done_message(action)` when it asked for what is already done.
    """
    from .models import ReviewEvent
    from .notifications import send_review_emails

    action = ReviewAction(action)
    transition = TRANSITIONS[action]
    secretariat = by.is_staff if by_secretariat is None else by_secretariat
    if transition.secretariat_only and not secretariat:
        raise PermissionDenied(_("Only the secretariat can do this."))
    with transaction.atomic():
        item.state = (
            type(item)._base_manager.select_for_update().values_list("state", flat=True)
        ).get(pk=item.pk)
        if item.state not in transition.sources:
            if item.state == transition.target and _last_action(item) == action:
                raise ValidationError(item.already_done_message(action), code="already_done")
            raise ValidationError(
                _("“%(action)s” is not possible for an item that is “%(state)s”."),
                code="invalid_transition",
                params={"action": action.label, "state": ReviewState(item.state).label},
            )
        message = message.strip()
        if transition.needs_message and not message:
            raise ValidationError(
                _("Write a message to say what should change."), code="message_required"
            )
        previous = item.state
        item.state = transition.target
        item.state_changed_at = timezone.now()
        item.save(update_fields=["state", "state_changed_at"])
        event = ReviewEvent.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            action=action,
            from_state=previous,
            to_state=transition.target,
            actor=by,
            message=message,
        )
        send_review_emails(event, item)
    return event


def _last_action(item):
    from .models import ReviewEvent

    return (
        ReviewEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        )
        .order_by("-pk")
        .values_list("action", flat=True)
        .first()
    )


def review_history(model, object_ids):
    """The transitions of the `model` rows with these ids, oldest first, with who made them."""
    from .models import ReviewEvent

    return ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(object_ids)
    ).select_related("actor")

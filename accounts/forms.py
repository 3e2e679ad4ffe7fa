import logging

from allauth.account.forms import ResetPasswordForm
from django.db import transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)


class QueuedResetPasswordForm(ResetPasswordForm):
    """A password reset whose e-mail is made by a background task (accounts/tasks.py): the
    request does the same work for a known and an unknown address (validate, queue one task),
    so neither its answer nor its time tells whether the address has an account."""

    def save(self, request, **kwargs):
        email = self.cleaned_data["email"]
        language = get_language()
        transaction.on_commit(lambda: _queue_password_reset(email, language), robust=True)
        return email


def _queue_password_reset(email, language):
    from .tasks import send_password_reset

    try:
        send_password_reset.delay(email, language)
    except Exception:
        # Nothing was written yet, so nothing for the sweep: the person asks again.
        logger.warning("A password reset could not be queued", exc_info=True)

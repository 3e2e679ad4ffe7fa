from contextlib import nullcontext
from urllib.parse import urlsplit

from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.core import context as allauth_context
from celery import shared_task
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import override

from core.mail import outbox_idempotency

from .forms import QueuedResetPasswordForm


class SiteRequest(HttpRequest):
    """A request for the portal's public address (RVCU_SITE_URL), for allauth's links and
    site name when an e-mail is made outside any request."""

    def __init__(self):
        super().__init__()
        self._site = urlsplit(settings.SITE_URL)
        self.method, self.path = "GET", "/"

    def get_host(self):
        return self._site.netloc

    def _get_scheme(self):
        return self._site.scheme


@shared_task(bind=True, name="accounts.send_password_reset", ignore_result=True)
def send_password_reset(task, email, language):
    """What allauth does after a password reset form is sent, in the background: an e-mail to
    each active account of `email` (none for an unknown address), through the outbox. The same
    task delivered twice (its worker died before acknowledging it) writes its e-mails once."""
    request = SiteRequest()
    task_id = task.request.id  # None when called directly rather than as a task
    once = outbox_idempotency(f"password-reset.{task_id}") if task_id else nullcontext()
    with override(language), allauth_context.request_context(request), once:
        form = QueuedResetPasswordForm(data={"email": email})
        if form.is_valid() and form.users:
            request_password_reset(request, form.cleaned_data["email"], form.users, None)

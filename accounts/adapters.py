from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from core.mail import outbox_add


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: the secretariat invites city coordinators from the admin."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (a password reset...) go through the outbox like every other:
        the request never waits for the mail server, nor fails because of it."""
        message = self.render_mail(template_prefix, email, self._mail_context(email, context))
        for recipient in message.to:
            outbox_add(
                to=recipient,
                subject=message.subject,
                body=message.body,
                template=template_prefix,
                from_email=message.from_email,
            )

    def _mail_context(self, email, context):
        # What allauth's own send_mail gives its templates.
        request = allauth_context.request
        return {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }

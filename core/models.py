from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMessageState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    # Committed before the mail server is contacted: a row left here by a worker that died
    # may have been delivered, so it is never sent again without a person deciding to.
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMessage(models.Model):
    """One e-mail to one person, written in the transaction of the change that causes it and
    sent afterwards by a background task (core/mail.py).

    Subject and body are rendered when the row is written, in the person's language: what is
    sent is what the change said at the time, and what the admin shows is what was sent.
    """

    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    template = models.CharField(
        _("kind of e-mail"), max_length=200, blank=True, help_text=_("The template it was made of.")
    )
    from_email = models.CharField(_("sender"), max_length=254)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    message_id = models.CharField(_("Message-ID"), max_length=254, unique=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=OutgoingMessageState,
        default=OutgoingMessageState.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    give_up_at = models.DateTimeField(_("retried until"))
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="core_outgoing_due"),
            models.Index(fields=["-created_at", "-id"], name="core_outgoing_newest"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"

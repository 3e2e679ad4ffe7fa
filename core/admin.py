from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .mail import outbox_retry
from .models import OutgoingMessage


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    """What the portal sent or tries to send. Read only: a message says what the change said
    when it was made, and nobody rewrites it; a failed one can be tried again."""

    list_display = [
        "created_at",
        "state",
        "recipient",
        "subject",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["state", "template", "language", "created_at"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["retry_now"]
    fields = [
        "state",
        "recipient",
        "language",
        "template",
        "from_email",
        "subject",
        "body",
        "message_id",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "give_up_at",
        "queued_at",
        "sending_since",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        # Retrying changes no content: whoever may see the outbox may ask for another try.
        return self.has_view_permission(request)

    @admin.action(description=_("Retry now (failed or waiting e-mails)"), permissions=["retry"])
    def retry_now(self, request, queryset):
        count = outbox_retry(queryset)
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail will be sent again in a moment.",
                    "%(count)d e-mails will be sent again in a moment.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Nothing to retry: only failed or waiting e-mails are sent again."),
                messages.WARNING,
            )

"""E-mail to people in their language, through an outbox.

Every e-mail is first a row (`OutgoingMessage`) written in the transaction of the change that
causes it; once that commits, a Celery task is given the row's id and sends it. A failed send
is tried again, less and less often, for RVCU_EMAIL_RETRY_HOURS, then the row is marked failed
for the secretariat to see in the admin. A periodic sweep queues what is due and what was never
queued (a broker down at commit time).

At most once per row: the row is marked "sending" (committed) before the mail server is
contacted and "sent" once it accepted the message. A row found "sending" long after is not sent
again: its worker died while talking to the server, perhaps after the server accepted it
(docs/decisions.md).
"""

import logging
import smtplib
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, override

from .models import OutgoingMessage, OutgoingMessageState

logger = logging.getLogger(__name__)

State = OutgoingMessageState

# The wait after a failure is doubled after each one (from RVCU_EMAIL_FIRST_RETRY_SECONDS),
# up to this.
LONGEST_RETRY = timedelta(hours=4)
# A task queued this long ago whose row is still waiting was lost: the sweep queues it again.
QUEUED_TASK_LOST_AFTER = timedelta(minutes=10)
# Far longer than a send can take (EMAIL_TIMEOUT per step): a row "sending" for this long
# belongs to a worker that died.
SENDING_ABANDONED_AFTER = timedelta(minutes=15)

# The mail server answered and did not take the message: trying again cannot send it twice.
REFUSALS = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused, ConnectionRefusedError)


def email_people(people, template, context_for):
    """Write for each person the e-mail `template`, rendered in their own language with the
    context `context_for(person)` gives (links reversed there follow that language); each is
    sent once the transaction commits. Returns how many were written."""
    written = 0
    for person in people:
        with override(person.language or settings.LANGUAGE_CODE):
            templated_email(template, context_for(person), to=person.email)
        written += 1
    return written


def templated_email(template, context, *, to):
    """Write the e-mail made of `<template>_subject.txt` (one line) and `<template>_message.txt`,
    rendered in the active language, to be sent once the transaction commits."""
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}_message.txt", context)
    return outbox_add(to=to, subject=" ".join(subject.split()), body=body, template=template)


_idempotency = ContextVar("outbox_idempotency", default=None)


@contextmanager
def outbox_idempotency(key):
    """Inside, the e-mails written get Message-IDs made of `key` and their order: a task run
    again with the same key (a redelivery) finds them written and writes nothing new."""
    token = _idempotency.set({"key": key, "count": 0})
    try:
        yield
    finally:
        _idempotency.reset(token)


def outbox_add(*, to, subject, body, template="", from_email=None, language=None):
    """Write one e-mail to the outbox; a task sends it once the current transaction commits
    (at once outside a transaction)."""
    idempotency = _idempotency.get()
    if idempotency is None:
        message_id = make_msgid(domain=_message_id_domain())
    else:
        idempotency["count"] += 1
        message_id = f"<{idempotency['key']}.{idempotency['count']}@{_message_id_domain()}>"
        written = OutgoingMessage.objects.filter(message_id=message_id).first()
        if written is not None:
            return written
    now = timezone.now()
    message = OutgoingMessage.objects.create(
        recipient=to,
        language=language if language is not None else (get_language() or ""),
        template=template,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        body=body,
        message_id=message_id,
        created_at=now,
        next_attempt_at=now,
        give_up_at=now + timedelta(hours=settings.RVCU_EMAIL_RETRY_HOURS),
    )
    # Robust: whatever goes wrong while queuing, the request that made the change succeeds.
    transaction.on_commit(lambda: outbox_queue(message.pk), robust=True)
    return message


def _message_id_domain():
    # Not Django's default (the machine's name, found by a DNS query inside the request).
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def outbox_queue(message_pk):
    """Give the row to a task. A broker that cannot be reached is logged and left to the
    sweep: the request that caused the e-mail still succeeds."""
    from .tasks import send_outgoing_message

    OutgoingMessage.objects.filter(pk=message_pk).update(queued_at=timezone.now())
    try:
        send_outgoing_message.delay(message_pk)
    except Exception:
        logger.warning(
            "Outgoing e-mail %s could not be queued; the outbox sweep will send it.",
            message_pk,
            exc_info=True,
        )
        OutgoingMessage.objects.filter(pk=message_pk).update(queued_at=None)


def retry_delay(attempts):
    """The wait after the `attempts`-th failed attempt: 1, 2, 4... minutes, at most 4 hours."""
    first = timedelta(seconds=settings.RVCU_EMAIL_FIRST_RETRY_SECONDS)
    return min(first * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def outgoing_message_send(message_pk):
    """Send the row `message_pk` if it is due and nobody else is sending it; return its state.

    Run it outside a transaction (a task is): the mark "sending" must be committed before the
    mail server is contacted.
    """
    now = timezone.now()
    # A compare-and-set: of two tasks given the same row, one only goes on.
    claimed = OutgoingMessage.objects.filter(
        pk=message_pk, state=State.PENDING, next_attempt_at__lte=now
    ).update(state=State.SENDING, sending_since=now, attempts=F("attempts") + 1)
    message = OutgoingMessage.objects.filter(pk=message_pk).first()
    if not claimed or message is None:
        return message.state if message else None

    email = EmailMessage(
        message.subject,
        message.body,
        message.from_email,
        [message.recipient],
        headers={"Message-ID": message.message_id},
    )
    connection = get_connection()
    try:
        try:
            connection.open()
        except Exception as error:
            # No message was given to the server (connect, TLS or login failed).
            return _attempt_failed(message, error)
        try:
            connection.send_messages([email])
        except REFUSALS as error:
            return _attempt_failed(message, error)
        except Exception as error:
            # The conversation broke half-way: the server may have accepted the message.
            return _delivery_uncertain(message, error)
    finally:
        try:
            connection.close()
        except Exception:
            logger.debug("Closing the mail connection failed", exc_info=True)
    OutgoingMessage.objects.filter(pk=message.pk).update(
        state=State.SENT, sent_at=timezone.now(), last_error=""
    )
    return State.SENT


def _describe(error):
    return f"{type(error).__name__}: {error}"[:2000]


def _attempt_failed(message, error):
    now = timezone.now()
    if now >= message.give_up_at:
        state, next_attempt_at = State.FAILED, message.next_attempt_at
        logger.error("Outgoing e-mail %s failed for good: %s", message.pk, _describe(error))
    else:
        state, next_attempt_at = State.PENDING, now + retry_delay(message.attempts)
        logger.warning("Outgoing e-mail %s not sent, will retry: %s", message.pk, error)
    OutgoingMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=state,
        next_attempt_at=next_attempt_at,
        last_error=_describe(error),
        queued_at=None,
        sending_since=None,
    )
    return state


def _delivery_uncertain(message, error):
    logger.error("Outgoing e-mail %s may or may not have been sent: %s", message.pk, error)
    OutgoingMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.FAILED, last_error=_uncertain_error(_describe(error))
    )
    return State.FAILED


def _uncertain_error(cause):
    return (
        f"The sending stopped half-way ({cause}): the mail server may have accepted it. "
        "Check with the recipient before retrying."
    )


def outbox_sweep():
    """Queue the rows whose next attempt has come and that no task holds; mark failed the rows
    whose worker died while sending them. Returns (queued, abandoned)."""
    now = timezone.now()
    abandoned = OutgoingMessage.objects.filter(
        state=State.SENDING, sending_since__lt=now - SENDING_ABANDONED_AFTER
    ).update(
        state=State.FAILED,
        last_error=_uncertain_error("the worker stopped while sending"),
    )
    due = list(
        OutgoingMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUED_TASK_LOST_AFTER))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in due:
        outbox_queue(pk)
    return len(due), abandoned


def outbox_retry(queryset):
    """Make the failed or waiting rows of `queryset` due now, for one more attempt each (the
    secretariat's "retry now"); returns how many."""
    now = timezone.now()
    pks = list(
        queryset.filter(state__in=[State.FAILED, State.PENDING]).values_list("pk", flat=True)
    )
    OutgoingMessage.objects.filter(pk__in=pks).update(
        state=State.PENDING, next_attempt_at=now, give_up_at=now, queued_at=None
    )
    for pk in pks:
        transaction.on_commit(lambda pk=pk: outbox_queue(pk), robust=True)
    return len(pks)

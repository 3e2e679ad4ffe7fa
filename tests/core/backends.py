"""Mail backends that behave as broken mail servers do, for EMAIL_BACKEND in tests."""

import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: the connection is refused."""

    opened = 0

    def open(self):
        type(self).opened += 1
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        self.open()


class TryLaterBackend(BaseEmailBackend):
    """A mail server that answers and refuses the message for now (451)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")


class BrokenHalfWayBackend(BaseEmailBackend):
    """A connection that breaks after the message was handed over, before the answer."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class WorkerKilled(BaseException):
    """What a SIGKILL of the worker looks like from inside: nothing after it runs."""


class DeliverThenDieBackend(LocmemBackend):
    """The server accepts the message, then the worker dies before it can record it."""

    def send_messages(self, email_messages):
        super().send_messages(email_messages)
        raise WorkerKilled


def delivered_to():
    return [message.to[0] for message in mail.outbox]

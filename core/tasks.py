from celery import shared_task

from .mail import outbox_sweep as sweep
from .mail import outgoing_message_send


@shared_task(name="core.send_outgoing_message", ignore_result=True)
def send_outgoing_message(message_pk):
    return outgoing_message_send(message_pk)


@shared_task(name="core.outbox_sweep", ignore_result=True)
def outbox_sweep():
    return sweep()

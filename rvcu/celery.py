"""The Celery app of the portal: background jobs (the e-mail outbox) and the schedule of the
periodic ones, read by `celery -A rvcu worker` and `celery -A rvcu beat` (docs/deployment.md).

Configured from the Django settings named CELERY_*: with no broker (a local `make run`), tasks
run in the process that queues them, after the commit, as e-mails always did.
"""

import os

from celery import Celery
from celery.schedules import crontab

# As rvcu/wsgi.py: the worker and beat run with the production settings unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rvcu.settings.production")

app = Celery("rvcu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The schedule lives here, in code, so that every deployment runs the same jobs.
app.conf.beat_schedule = {
    # Picks up e-mails whose next attempt has come and those whose task was lost (a broker
    # down when they were queued): the retries of the outbox rest on it.
    "outbox-sweep": {"task": "core.outbox_sweep", "schedule": 60.0},
    "clean-kept-uploads": {
        "task": "rvcu.clean_kept_uploads",
        "schedule": crontab(hour=3, minute=17),
    },
}

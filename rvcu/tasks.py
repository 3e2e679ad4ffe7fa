from celery import shared_task

from .uploads import delete_expired_kept_uploads


@shared_task(name="rvcu.clean_kept_uploads", ignore_result=True)
def clean_kept_uploads():
    """The daily run of `manage.py clean_kept_uploads`, scheduled by rvcu/celery.py."""
    return delete_expired_kept_uploads()

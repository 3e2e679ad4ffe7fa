from django.core.management.base import BaseCommand

from rvcu.uploads import delete_expired_kept_uploads


class Command(BaseCommand):
    help = (
        "Deletes the pictures and documents kept for forms shown again with an error, once "
        "they are older than a day (their links have expired). Run it daily."
    )

    def handle(self, *args, **options):
        deleted = delete_expired_kept_uploads()
        self.stdout.write(f"{deleted} expired kept upload(s) deleted.")

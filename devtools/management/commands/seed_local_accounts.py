from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation

from cities.models import City

SECRETARIAT_EMAIL = "secretariat@example.org"
SECRETARIAT_PASSWORD = "secretariat-local-2026"
COORDINATOR_EMAIL = "coordinator@example.org"
COORDINATOR_PASSWORD = "coordinator-local-2026"
COORDINATOR_CITY_SLUG = "krakow"


class Command(BaseCommand):
    help = (
        "Local development only (DEBUG on): create a secretariat account and a coordinator "
        "account of one city, and print their logins."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no local account is created.")
            return
        city = City.objects.filter(slug=COORDINATOR_CITY_SLUG).first()
        if city is None:
            raise CommandError("Load the network first (manage.py load_network).")
        User = get_user_model()
        if not User.objects.filter(email=SECRETARIAT_EMAIL).exists():
            User.objects.create_superuser(SECRETARIAT_EMAIL, SECRETARIAT_PASSWORD)
        coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
        if coordinator is None:
            coordinator = User.objects.create_user(COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
        city.coordinators.add(coordinator)
        with translation.override("en"):
            login = f"{settings.SITE_URL}{reverse('account_login')}"
        self.stdout.write(
            f"Local accounts (log in at {login}):\n"
            f"  secretariat (admin): {SECRETARIAT_EMAIL} / {SECRETARIAT_PASSWORD}\n"
            f"  coordinator of {city.name}: {COORDINATOR_EMAIL} / {COORDINATOR_PASSWORD}"
        )

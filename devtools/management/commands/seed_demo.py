from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation

from cities.models import City
from devtools.demo import demo_cities, seed_demo

from .seed_local_accounts import COORDINATOR_CITY_SLUG, COORDINATOR_EMAIL, SECRETARIAT_EMAIL


class Command(BaseCommand):
    help = (
        "Local development only (DEBUG on): add demo practices, partnerships and open calls "
        "on top of the real cities, and items in every review state for the local coordinator. "
        "Run it again: it adds only what is missing."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo data is added.")
            return
        User = get_user_model()
        secretariat = User.objects.filter(email=SECRETARIAT_EMAIL).first()
        coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
        home_city = City.objects.filter(slug=COORDINATOR_CITY_SLUG).first()
        if home_city is None or not demo_cities(home_city):
            raise CommandError("Load the network first (manage.py load_network).")
        if secretariat is None or coordinator is None:
            raise CommandError("Create the local accounts first (manage.py seed_local_accounts).")
        try:
            added = seed_demo(secretariat=secretariat, coordinator=coordinator, home_city=home_city)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(f"The demo data could not be added: {error}") from error
        if not added:
            self.stdout.write("Demo data: already in place, nothing added.")
            return
        with translation.override("en"):
            links = {
                "practices": reverse("practices:practice-list"),
                "partnerships": reverse("partnerships:partnership-list"),
                "dashboard": reverse("dashboard"),
            }
        calls = [added[f"calls {when}"] for when in ("open", "soon", "closed")]
        self.stdout.write(
            f"Demo data added: {added['practices']} practices, {added['partnerships']} "
            f"partnerships with {sum(calls)} calls for applications ({calls[0]} open now, "
            f"{calls[1]} opening soon, {calls[2]} closed), {added['invitations']} invitation(s) "
            f"waiting for {home_city.name}, {added['e-mails']} e-mails.\n"
            "E-mails of the demo are kept in the outbox (admin: Outgoing e-mails), sent nowhere.\n"
            f"  practices: {settings.SITE_URL}{links['practices']}\n"
            f"  open calls: {settings.SITE_URL}{links['partnerships']}?open_call=on\n"
            f"  {home_city.name}'s items in every state, for {COORDINATOR_EMAIL}: "
            f"{settings.SITE_URL}{links['dashboard']}"
        )

"""The demo data of a local `make run` (manage.py seed_demo), on top of the real cities.

Everything is made through the portal's own services (create, invite, submit, publish, request
changes), so the demo is what coordinators and the secretariat would have made: revisions,
review history, search columns, picture renditions, e-mails in the outbox. An item is known by
its city and title: one already there is left as it is, so a second run adds nothing.
"""

import logging
import random
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from cities.models import City, CreativeField
from core.models import OutgoingMessage
from partnerships import services as partnership_services
from partnerships.models import PartnershipRevision
from practices import services as practice_services
from practices.models import ActionArea, Objective, PracticeRevision, SustainableDevelopmentGoal
from rvcu.review import ReviewState

from . import demo_content as content

CITIES_PER_FIELD = 3
PICTURE_SIZE = (800, 600)
PICTURE_CREDIT = {
    "en": "Demo picture generated for local development",
    "fr": "Image de démonstration générée pour le développement local",
}

# (English, French for a background, French for circles): the words of the alt text.
COLOURS = [
    ((29, 78, 137), ("blue", "bleu", "bleus")),
    ((214, 104, 31), ("orange", "orange", "orange")),
    ((46, 125, 50), ("green", "vert", "verts")),
    ((176, 42, 55), ("red", "rouge", "rouges")),
    ((240, 196, 25), ("yellow", "jaune", "jaunes")),
    ((106, 27, 154), ("purple", "violet", "violets")),
]


@contextmanager
def emails_delivered_nowhere():
    """The review steps write e-mails to the outbox as they always do; here they are sent, in
    this process, to a back end that delivers nothing, whatever broker or mail server the
    settings name (the demo's addresses are made up, and a worker could have real settings)."""
    from rvcu.celery import app

    eager = app.conf.task_always_eager
    # One "task succeeded" line per e-mail would bury what the command says.
    task_log = logging.getLogger("celery.app.trace")
    task_log_level = task_log.level
    app.conf.task_always_eager = True
    task_log.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        app.conf.task_always_eager = eager
        task_log.setLevel(task_log_level)


def demo_picture(index, language):
    """A picture made with Pillow (a gradient and circles), with its alt text and credit."""
    rng = random.Random(index)
    (top, top_words), (bottom, bottom_words), (circle, circle_words) = rng.sample(COLOURS, 3)
    width, height = PICTURE_SIZE
    mask = Image.linear_gradient("L").resize(PICTURE_SIZE)
    picture = Image.composite(
        Image.new("RGB", PICTURE_SIZE, bottom), Image.new("RGB", PICTURE_SIZE, top), mask
    )
    draw = ImageDraw.Draw(picture)
    count = rng.randint(3, 7)
    for _ in range(count):
        radius = rng.randint(40, 160)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=circle)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    if language == "fr":
        alt = (
            f"Image de démonstration : {count} cercles {circle_words[2]} sur un fond "
            f"{top_words[1]} et {bottom_words[1]}."
        )
    else:
        alt = (
            f"Demo picture: {count} {circle_words[0]} circles on a {top_words[0]} and "
            f"{bottom_words[0]} background."
        )
    return {
        "image": ContentFile(buffer.getvalue(), name=f"demo-{index}.png"),
        "image_alt": alt,
        "image_credit": PICTURE_CREDIT[language],
    }


def demo_cities(home_city):
    """The cities the demo writes for: the first member cities of each creative field."""
    cities = []
    for field in CreativeField.objects.order_by("position", "slug"):
        members = City.objects.filter(field=field, is_member=True).exclude(pk=home_city.pk)
        cities.extend(members.order_by("slug")[:CITIES_PER_FIELD])
    return cities


class DemoBuilder:
    """Adds what is missing of the demo; `added` counts what it added, by kind."""

    def __init__(self, *, secretariat, coordinator, home_city):
        self.secretariat = secretariat
        self.coordinator = coordinator
        self.home_city = home_city
        self.today = timezone.localdate()
        self.added = Counter()
        self.tags = {
            "objectives": list(Objective.objects.order_by("position", "code")),
            "action_areas": list(ActionArea.objects.order_by("position", "code")),
            "sdgs": list(SustainableDevelopmentGoal.objects.order_by("position", "code")),
        }

    def build(self):
        cities = demo_cities(self.home_city)
        count = len(cities)
        partnerships_by_lead = {}
        for index in range(2 * len(content.PARTNERSHIPS)):
            lead, first, second = (cities[(2 * index + step) % count] for step in (0, 1, 5))
            partnership = self.partnership(
                index,
                lead=lead,
                partners=[first, second],
                by=self.secretariat,
                state=ReviewState.PUBLISHED,
            )
            partnerships_by_lead.setdefault(lead.pk, partnership)
        for index, city in enumerate(cities):
            self.practice(
                index,
                city=city,
                by=self.secretariat,
                state=ReviewState.PUBLISHED,
                partnership=partnerships_by_lead.get(city.pk) if index % 3 == 0 else None,
            )
        self.home_city_items(cities)
        return self.added

    def home_city_items(self, cities):
        """What the demo coordinator sees on /my/: items in every state, an invitation."""
        home, by = self.home_city, self.coordinator
        base = len(cities)
        for offset, state in enumerate(
            [
                ReviewState.PUBLISHED,
                ReviewState.PUBLISHED,
                ReviewState.SUBMITTED,
                ReviewState.CHANGES_REQUESTED,
                ReviewState.DRAFT,
            ]
        ):
            self.practice(base + offset, city=home, by=by, state=state)
        self.partnership(
            base,
            lead=home,
            partners=cities[:2],
            by=by,
            state=ReviewState.PUBLISHED,
            open_call="open",
        )
        self.partnership(
            base + 1, lead=home, partners=cities[2:3], by=by, state=ReviewState.SUBMITTED
        )
        # Asked to join a published partnership of another city, not answered yet.
        self.partnership(
            base + 2,
            lead=cities[-1],
            partners=cities[:1],
            invited=[home],
            by=self.secretariat,
            state=ReviewState.PUBLISHED,
        )

    def practice(self, index, *, city, by, state, partnership=None):
        language = "en" if index % 2 == 0 else "fr"
        texts = (content.PRACTICES_EN if language == "en" else content.PRACTICES_FR)[
            (index // 2) % len(content.PRACTICES_EN)
        ]
        title = texts["title"].format(city=city.name)
        if PracticeRevision.objects.filter(practice__city=city, title=title).exists():
            return None
        written = {
            name: value.format(city=city.name)
            for name, value in texts.items()
            if isinstance(value, str)
        }
        written.update(
            title=title,
            reaches_vulnerable_groups=texts["reaches_vulnerable_groups"],
            language=language,
            fields=[city.field],
            year_started=2012 + index % 12,
            is_ongoing=index % 4 != 3,
            links="https://example.org/\nhttps://example.org/report",
            partnership=partnership,
            **self.tagged(index),
            **demo_picture(index, language),
        )
        with transaction.atomic():
            practice, revision = practice_services.practice_create(city=city, by=by, **written)
            self.review(
                revision,
                state,
                submit=practice_services.practice_submit,
                author=by,
                request_changes=practice_services.practice_request_changes,
                publish=practice_services.practice_publish,
            )
        self.added["practices"] += 1
        return practice

    def partnership(self, index, *, lead, partners, by, state, invited=(), open_call=None):
        texts = content.PARTNERSHIPS[index % len(content.PARTNERSHIPS)]
        title = texts["title"].format(city=lead.name)
        if PartnershipRevision.objects.filter(partnership__lead_city=lead, title=title).exists():
            return None
        start = self.today - timedelta(days=400 - 20 * (index % 12))
        completed = texts["progress"] == "completed"
        written = {
            "title": title,
            "kind": texts["kind"],
            "summary": texts["summary"],
            "description": texts["description"],
            "progress": texts["progress"],
            "fields": [lead.field, *{partner.field for partner in partners} - {lead.field}],
            "start_date": start,
            "end_date": self.today - timedelta(days=30) if completed else None,
            "website": "https://example.org/",
            **self.tagged(index),
            **demo_picture(1000 + index, "en"),
        }
        organisations = [
            {
                **content.ORGANISATIONS[(index + step) % len(content.ORGANISATIONS)],
                "website": "https://example.org/",
                "role": role,
            }
            for step, role in ((0, "co-funds the exchanges"), (2, "hosts the artists"))
        ]
        with transaction.atomic():
            partnership, revision = partnership_services.partnership_create(
                lead_city=lead,
                by=by,
                organisations=organisations,
                open_calls=self.open_calls(
                    title, open_call or ["open", "soon", "closed", None][index % 4]
                ),
                **written,
            )
            for city in partners:
                participation = partnership_services.city_invite(
                    partnership=partnership, city=city, by=by
                )
                partnership_services.participation_accept(
                    participation=participation, by=self.secretariat
                )
            for city in invited:
                partnership_services.city_invite(partnership=partnership, city=city, by=by)
                self.added["invitations"] += 1
            self.review(
                revision,
                state,
                submit=partnership_services.partnership_submit,
                author=by,
                request_changes=partnership_services.partnership_request_changes,
                publish=partnership_services.partnership_publish,
            )
        self.added["partnerships"] += 1
        return partnership

    def open_calls(self, title, when):
        dates = {
            "open": (self.today - timedelta(days=14), self.today + timedelta(days=45)),
            "soon": (self.today + timedelta(days=20), self.today + timedelta(days=60)),
            "closed": (self.today - timedelta(days=90), self.today - timedelta(days=30)),
        }
        if when is None:
            return []
        opens_on, closes_on = dates[when]
        self.added[f"calls {when}"] += 1
        return [
            {
                "title": content.CALL_TITLE.format(title=title)[:200],
                "opens_on": opens_on,
                "closes_on": closes_on,
                "eligibility": content.CALL_ELIGIBILITY,
                "link": "https://example.org/apply",
                "contact_email": "calls@example.org",
            }
        ]

    def tagged(self, index):
        return {
            name: [tags[(index + step) % len(tags)] for step in (0, 3)] if tags else []
            for name, tags in self.tags.items()
        }

    def review(self, revision, state, *, submit, author, request_changes, publish):
        if state == ReviewState.DRAFT:
            return
        submit(revision=revision, by=author)
        if state == ReviewState.PUBLISHED:
            publish(revision=revision, by=self.secretariat)
        elif state == ReviewState.CHANGES_REQUESTED:
            request_changes(
                revision=revision, by=self.secretariat, message=content.CHANGES_REQUESTED_MESSAGE
            )


def seed_demo(*, secretariat, coordinator, home_city):
    """Add what is missing of the demo; returns what was added, by kind, with "e-mails"."""
    with emails_delivered_nowhere():
        emails_before = OutgoingMessage.objects.count()
        added = DemoBuilder(
            secretariat=secretariat, coordinator=coordinator, home_city=home_city
        ).build()
        emails = OutgoingMessage.objects.count() - emails_before
    if emails:
        added["e-mails"] = emails
    return added

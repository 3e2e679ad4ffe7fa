"""Reads of the partnerships app: what the public and the coordinators see."""

from itertools import groupby

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.utils import timezone

from practices.models import PracticeRevision
from rvcu.review import ReviewState, review_history

from .models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    Partnership,
    PartnershipRevision,
    Sector,
)

TAG_RELATIONS = ("fields", "objectives", "action_areas", "sdgs", "open_calls")

# On a coordinator's list, what needs their action comes first.
STATE_PRIORITY = [
    ReviewState.CHANGES_REQUESTED,
    ReviewState.DRAFT,
    ReviewState.SUBMITTED,
    ReviewState.PUBLISHED,
    ReviewState.ARCHIVED,
]


def published_partnership_list(day=None):
    """Published revisions with what a card shows: the lead city, the fields, the number of
    cities taking part (`city_count`) and the closing date of a call open on `day`
    (`open_call_closes`, today by default)."""
    day = day or timezone.localdate()
    city_count = (
        Participation.objects.taking_part()
        .filter(partnership=OuterRef("partnership"))
        .order_by()
        .values("partnership")
        .annotate(count=Count("pk"))
        .values("count")
    )
    open_call = OpenCall.objects.open_on(day).filter(revision=OuterRef("pk")).order_by("closes_on")
    return (
        PartnershipRevision.objects.published()
        .with_card_data()
        .annotate(
            city_count=Subquery(city_count, output_field=IntegerField()),
            open_call_closes=Subquery(open_call.values("closes_on")[:1]),
        )
    )


def published_revision_get(slug):
    """The published revision of the partnership `slug`, with everything its page shows."""
    return (
        PartnershipRevision.objects.published()
        .select_related("partnership__lead_city__field")
        .prefetch_related(*TAG_RELATIONS)
        .get(partnership__slug=slug)
    )


def working_revision_get(partnership):
    """The latest revision of `partnership` (the one its coordinators work on), fully loaded."""
    return (
        partnership.revisions.select_related("partnership__lead_city__field")
        .prefetch_related(*TAG_RELATIONS)
        .order_by("-number")
        .first()
    )


def page_data(revision):
    """What the page of `revision` shows beside the revision itself: used by its public page,
    the coordinators' page and the secretariat's preview."""
    partnership = revision.partnership
    return {
        "partnership": partnership,
        "cities": cities_taking_part(partnership),
        "sectors": organisations_by_sector(revision),
        "practices": practices_from(partnership),
        "today": timezone.localdate(),
    }


def cities_taking_part(partnership):
    return list(
        partnership.participations.taking_part()
        .select_related("city__field")
        .order_by("role", "city__name")
    )


def participations_for_coordinators(partnership):
    """Every city invited to `partnership`, whatever the answer, for the people who run it."""
    return list(
        partnership.participations.select_related("city", "answered_by").order_by(
            "role", "status", "city__name"
        )
    )


def organisations_by_sector(revision):
    """[(Sector, [OrganisationRole, ...]), ...] in the order of the sectors."""
    order = {sector: position for position, sector in enumerate(Sector.values)}
    roles = sorted(
        revision.organisation_roles.select_related("organisation"),
        key=lambda role: (order[role.sector], role.organisation.name.lower()),
    )
    return [
        (Sector(sector), list(group))
        for sector, group in groupby(roles, key=lambda role: role.sector)
    ]


def practices_from(partnership):
    """Published practices that say they came from `partnership`."""
    return list(
        PracticeRevision.objects.published()
        .with_card_data()
        .filter(partnership=partnership)
        .order_by("-state_changed_at")
    )


def published_partnerships_of_city(city, *, limit):
    taking_part = Participation.objects.taking_part().filter(city=city).values("partnership")
    return list(
        published_partnership_list()
        .filter(partnership__in=taking_part)
        .order_by("-state_changed_at")[:limit]
    )


def partnerships_of_coordinator(user):
    """Partnerships the cities of `user` lead or take part in, each annotated with its latest
    revision (`latest_title`, `latest_state`, `latest_changed_at`), what needs action first."""
    latest = PartnershipRevision.objects.filter(partnership=OuterRef("pk")).order_by("-number")
    priority = Case(
        *[When(latest_state=state, then=Value(rank)) for rank, state in enumerate(STATE_PRIORITY)],
        output_field=IntegerField(),
    )
    taking_part = Participation.objects.taking_part().filter(city__coordinators=user)
    return (
        Partnership.objects.filter(pk__in=taking_part.values("partnership"))
        .select_related("lead_city")
        .annotate(
            latest_title=Subquery(latest.values("title")[:1]),
            latest_state=Subquery(latest.values("state")[:1]),
            latest_changed_at=Subquery(latest.values("state_changed_at")[:1]),
        )
        .annotate(priority=priority)
        .order_by("priority", "-latest_changed_at", "pk")
    )


def invitations_for(user):
    """Invitations waiting for an answer from a city `user` coordinates, with the title of the
    partnership's latest revision (`title`)."""
    latest = PartnershipRevision.objects.filter(partnership=OuterRef("partnership")).order_by(
        "-number"
    )
    return (
        Participation.objects.pending()
        .filter(city__coordinators=user)
        .select_related("city", "partnership__lead_city")
        .annotate(title=Subquery(latest.values("title")[:1]))
        .order_by("-created_at")
    )


def partnership_history(partnership):
    return review_history(PartnershipRevision, partnership.revisions.values_list("pk", flat=True))


def organisation_suggestions(limit=1000):
    """Names of the organisations that published partnerships name, for the form's
    suggestions: a draft's organisations are nobody else's business until it is published."""
    published = OrganisationRole.objects.filter(
        revision__in=PartnershipRevision.objects.published()
    )
    return list(
        Organisation.objects.filter(pk__in=published.values("organisation"))
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()[:limit]
    )


def partnership_choices_for(cities):
    """Partnerships a practice of one of `cities` can say it came from: those they take part
    in, with the title of their latest revision (`title`)."""
    taking_part = Participation.objects.taking_part().filter(city__in=cities)
    latest = PartnershipRevision.objects.filter(partnership=OuterRef("pk")).order_by("-number")
    return (
        Partnership.objects.filter(pk__in=taking_part.values("partnership"))
        .annotate(title=Subquery(latest.values("title")[:1]))
        .order_by("title")
    )


def takes_part(city, partnership):
    return Participation.objects.taking_part().filter(city=city, partnership=partnership).exists()

"""Reads of the practices app: what the public and the coordinators see."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When

from rvcu.review import ReviewState, review_history

from .models import Practice, PracticeRevision

TAG_RELATIONS = ("fields", "objectives", "action_areas", "sdgs", "attachments")

# On a coordinator's list, what needs their action comes first.
STATE_PRIORITY = [
    ReviewState.CHANGES_REQUESTED,
    ReviewState.DRAFT,
    ReviewState.SUBMITTED,
    ReviewState.PUBLISHED,
    ReviewState.ARCHIVED,
]


def published_practice_list():
    return PracticeRevision.objects.published().with_card_data()


def published_revision_get(slug):
    """The published revision of the practice `slug`, with everything its page shows."""
    return (
        PracticeRevision.objects.published()
        .select_related("practice__city__field", "partnership__published_revision")
        .prefetch_related(*TAG_RELATIONS)
        .get(practice__slug=slug)
    )


def related_practices(revision, *, limit):
    """Other published practices that share a creative field with `revision`."""
    field_ids = [field.pk for field in revision.fields.all()]
    # EXISTS rather than a join and DISTINCT: the newest published practices are read in order
    # until `limit` of them share a field, instead of sorting every practice of those fields.
    shares_a_field = PracticeRevision.fields.through.objects.filter(
        practicerevision=OuterRef("pk"), creativefield__in=field_ids
    )
    related = (
        published_practice_list()
        .filter(Exists(shares_a_field))
        .exclude(practice_id=revision.practice_id)
        .order_by("-state_changed_at", "pk")
    )
    return list(related[:limit])


def published_practices_of_city(city, *, limit):
    return list(
        published_practice_list().filter(practice__city=city).order_by("-state_changed_at")[:limit]
    )


def published_practices_of_field(field, *, limit):
    return list(
        published_practice_list().filter(fields=field).order_by("-state_changed_at")[:limit]
    )


def practices_of_coordinator(user):
    """Practices of the cities `user` coordinates, each annotated with its latest revision
    (`latest_id`, `latest_title`, `latest_state`, `latest_changed_at`), what needs action
    first."""
    latest = PracticeRevision.objects.filter(practice=OuterRef("pk")).order_by("-number")
    priority = Case(
        *[When(latest_state=state, then=Value(rank)) for rank, state in enumerate(STATE_PRIORITY)],
        output_field=IntegerField(),
    )
    return (
        Practice.objects.filter(city__coordinators=user)
        .select_related("city")
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_title=Subquery(latest.values("title")[:1]),
            latest_state=Subquery(latest.values("state")[:1]),
            latest_changed_at=Subquery(latest.values("state_changed_at")[:1]),
        )
        .annotate(priority=priority)
        .order_by("priority", "-latest_changed_at", "pk")
    )


def working_revision_get(practice):
    """The latest revision of `practice` (the one its coordinators work on), fully loaded."""
    return (
        practice.revisions.select_related(
            "practice__city__field", "partnership__published_revision"
        )
        .prefetch_related(*TAG_RELATIONS)
        .order_by("-number")
        .first()
    )


def practice_history(practice):
    return review_history(PracticeRevision, practice.revisions.values_list("pk", flat=True))

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cities.regions import Region
from rvcu.admin import DocumentAdminMixin, ReviewAdminMixin
from rvcu.review import ReviewAction

from . import services
from .models import (
    ActionArea,
    Objective,
    Practice,
    PracticeAttachment,
    PracticeRevision,
    SustainableDevelopmentGoal,
)
from .selectors import TAG_RELATIONS


@admin.register(Objective, ActionArea, SustainableDevelopmentGoal)
class MissionTagAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "code", "position"]
    list_editable = ["position"]
    search_fields = ["name_en", "name_fr", "code"]
    prepopulated_fields = {"code": ["name_en"]}


class RegionFilter(admin.SimpleListFilter):
    title = _("UNESCO region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return Region.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(practice__city__region=self.value())
        return queryset


class PracticeAttachmentInline(admin.TabularInline):
    model = PracticeAttachment
    extra = 0


@admin.register(PracticeRevision)
class PracticeRevisionAdmin(ReviewAdminMixin, admin.ModelAdmin):
    """The review queue: what is submitted comes first, the oldest first."""

    review_services = {
        ReviewAction.PUBLISH: services.practice_publish,
        ReviewAction.REQUEST_CHANGES: services.practice_request_changes,
        ReviewAction.ARCHIVE: services.practice_archive,
    }
    preview_template = "practices/admin_preview.html"
    list_display = [
        "title",
        "city",
        "state",
        "state_changed_at",
        "number",
        "author",
        "review_links",
    ]
    list_filter = [
        "state",
        "fields",
        RegionFilter,
        ("practice__city", admin.RelatedOnlyFieldListFilter),
        "reaches_vulnerable_groups",
    ]
    list_select_related = ["practice__city", "author"]
    search_fields = ["title", "practice__slug", "practice__city__name"]
    list_per_page = 50
    readonly_fields = [
        "practice",
        "number",
        "state",
        "state_changed_at",
        "author",
        "review_links",
        "history_table",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["fields", "objectives", "action_areas", "sdgs"]
    inlines = [PracticeAttachmentInline]
    fieldsets = [
        (
            _("Review"),
            {"fields": ["practice", "number", "state", "state_changed_at", "review_links"]},
        ),
        (
            _("The practice"),
            {"fields": ["title", "fields", "language", "summary", "year_started", "is_ongoing"]},
        ),
        (
            _("What happened"),
            {"fields": ["challenge", "actions", "results", "transferability"]},
        ),
        (
            _("People and means"),
            {
                "fields": [
                    "partners",
                    "target_groups",
                    "reaches_vulnerable_groups",
                    "budget_range",
                    "contact_role",
                    "links",
                ]
            },
        ),
        (_("The network's mission"), {"fields": ["objectives", "action_areas", "sdgs"]}),
        (_("Picture"), {"fields": ["image", "image_alt", "image_credit"]}),
        (_("History"), {"fields": ["history_table", "author", "created_at", "updated_at"]}),
    ]

    def has_add_permission(self, request):
        # Practices are created by their city's coordinators, on the portal.
        return False

    @admin.display(description=_("city"), ordering="practice__city__name")
    def city(self, revision):
        return revision.practice.city.name

    def get_preview_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("practice__city__field")
            .prefetch_related(*TAG_RELATIONS)
        )


@admin.register(Practice)
class PracticeAdmin(DocumentAdminMixin, admin.ModelAdmin):
    list_display = ["slug", "city", "published_revision", "created_by", "created_at"]
    list_filter = [("city", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["city", "published_revision", "created_by"]
    search_fields = ["slug", "city__name", "revisions__title"]
    readonly_fields = ["published_revision", "created_by", "created_at"]
    autocomplete_fields = ["city"]

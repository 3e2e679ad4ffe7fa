from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cities.regions import Region
from rvcu.admin import DocumentAdminMixin, ReviewAdminMixin
from rvcu.review import ReviewAction

from . import selectors, services
from .models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    Partnership,
    PartnershipRevision,
)


class LeadRegionFilter(admin.SimpleListFilter):
    title = _("UNESCO region of the lead city")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return Region.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(partnership__lead_city__region=self.value())
        return queryset


class OrganisationRoleInline(admin.TabularInline):
    model = OrganisationRole
    extra = 0
    autocomplete_fields = ["organisation"]


class OpenCallInline(admin.StackedInline):
    model = OpenCall
    extra = 0


@admin.register(PartnershipRevision)
class PartnershipRevisionAdmin(ReviewAdminMixin, admin.ModelAdmin):
    """The review queue of partnerships: what is submitted comes first, the oldest first."""

    review_services = {
        ReviewAction.PUBLISH: services.partnership_publish,
        ReviewAction.REQUEST_CHANGES: services.partnership_request_changes,
        ReviewAction.ARCHIVE: services.partnership_archive,
    }
    preview_template = "partnerships/admin_preview.html"
    list_display = [
        "title",
        "lead_city",
        "kind",
        "state",
        "state_changed_at",
        "number",
        "author",
        "review_links",
    ]
    list_filter = [
        "state",
        "kind",
        "progress",
        "fields",
        LeadRegionFilter,
        ("partnership__lead_city", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["partnership__lead_city", "author"]
    search_fields = ["title", "partnership__slug", "partnership__lead_city__name"]
    list_per_page = 50
    readonly_fields = [
        "partnership",
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
    inlines = [OrganisationRoleInline, OpenCallInline]
    fieldsets = [
        (
            _("Review"),
            {"fields": ["partnership", "number", "state", "state_changed_at", "review_links"]},
        ),
        (
            _("The partnership"),
            {
                "fields": [
                    "title",
                    "kind",
                    "fields",
                    "summary",
                    "description",
                    "start_date",
                    "end_date",
                    "progress",
                    "website",
                ]
            },
        ),
        (_("The network's mission"), {"fields": ["objectives", "action_areas", "sdgs"]}),
        (_("Picture"), {"fields": ["image", "image_alt", "image_credit"]}),
        (_("History"), {"fields": ["history_table", "author", "created_at", "updated_at"]}),
    ]

    def has_add_permission(self, request):
        # Partnerships are created by the lead city's coordinators, on the portal.
        return False

    @admin.display(description=_("lead city"), ordering="partnership__lead_city__name")
    def lead_city(self, revision):
        return revision.partnership.lead_city.name

    def get_preview_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("partnership__lead_city__field")
            .prefetch_related(*selectors.TAG_RELATIONS)
        )

    def get_preview_context(self, item):
        return selectors.page_data(item)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["city"]
    readonly_fields = ["invited_by", "answered_by", "answered_at", "created_at"]


@admin.register(Partnership)
class PartnershipAdmin(DocumentAdminMixin, admin.ModelAdmin):
    list_display = ["slug", "lead_city", "published_revision", "created_by", "created_at"]
    list_filter = [("lead_city", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["lead_city", "published_revision", "created_by"]
    search_fields = ["slug", "lead_city__name", "revisions__title"]
    readonly_fields = ["published_revision", "created_by", "created_at"]
    autocomplete_fields = ["lead_city"]
    inlines = [ParticipationInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    # The sector and website are those each partnership gives, on its revisions' roles.
    list_display = ["name", "country", "partnership_count"]
    list_filter = [("roles__sector", admin.ChoicesFieldListFilter), "country"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(partnership_count=Count("roles__revision__partnership", distinct=True))
        )

    @admin.display(description=_("partnerships"), ordering="partnership_count")
    def partnership_count(self, organisation):
        return organisation.partnership_count

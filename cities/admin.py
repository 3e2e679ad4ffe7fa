from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import City, CreativeField


@admin.register(CreativeField)
class CreativeFieldAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "slug", "colour", "icon", "position", "city_count"]
    list_editable = ["position"]
    search_fields = ["name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("cities"))

    @admin.display(description=_("cities"), ordering="city_count")
    def city_count(self, field):
        return field.city_count


class DesignationYearFilter(admin.SimpleListFilter):
    title = _("year of designation")
    parameter_name = "designation_year"

    def lookups(self, request, model_admin):
        years = (
            City.objects.order_by("-designation_year")
            .values_list("designation_year", flat=True)
            .distinct()
        )
        return [(year, year) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(designation_year=self.value())
        return queryset


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "region", "field", "designation_year", "is_member"]
    list_filter = ["field", "region", DesignationYearFilter, "is_member", "country"]
    list_select_related = ["field"]
    search_fields = ["name", "slug", "search_text"]
    ordering = ["name"]
    list_per_page = 50
    readonly_fields = ["region", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_member"]}),
        (
            _("Designation"),
            {"fields": ["field", "designation_year", "country", "region", "region_override"]},
        ),
        (_("Position"), {"fields": ["latitude", "longitude"]}),
        (_("Presentation"), {"fields": ["description", "website", "image", "image_alt"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}

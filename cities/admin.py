from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import CoordinatorInvitationForm
from .models import City, CreativeField
from .services import coordinator_invite


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
        if not self.value():
            return queryset
        try:
            year = int(self.value())
        except ValueError:
            # What the admin does for any unreadable filter: the list again, flagged ?e=1.
            raise IncorrectLookupParameters(f"Not a year: {self.value()!r}") from None
        return queryset.filter(designation_year=year)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "region", "field", "designation_year", "is_member"]
    list_filter = ["field", "region", DesignationYearFilter, "is_member", "country"]
    list_select_related = ["field"]
    search_fields = ["name", "slug", "search_text"]
    ordering = ["name"]
    list_per_page = 50
    readonly_fields = ["region", "invitation_link", "created_at", "updated_at"]
    autocomplete_fields = ["coordinators"]
    actions = ["invite_coordinator"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_member"]}),
        (
            _("Designation"),
            {"fields": ["field", "designation_year", "country", "region", "region_override"]},
        ),
        (_("Position"), {"fields": ["latitude", "longitude"]}),
        (
            _("Presentation"),
            {"fields": ["description", "website", "image", "image_alt", "image_credit"]},
        ),
        (_("Coordinators"), {"fields": ["coordinators", "invitation_link"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}

    def get_urls(self):
        invite = self.admin_site.admin_view(self.invite_coordinator_view)
        return [
            path("<int:city_id>/invite/", invite, name="cities_city_invite"),
            *super().get_urls(),
        ]

    @admin.display(description=_("invitation"))
    def invitation_link(self, city):
        if not city.pk:
            return gettext("Save the city first.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:cities_city_invite", args=[city.pk]),
            gettext("Invite a coordinator"),
        )

    @admin.action(description=_("Invite a coordinator for the selected city"))
    def invite_coordinator(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Select exactly one city to invite a coordinator."), messages.ERROR
            )
            return None
        return redirect("admin:cities_city_invite", queryset.get().pk)

    def invite_coordinator_view(self, request, city_id):
        city = get_object_or_404(City, pk=city_id)
        if not self.has_change_permission(request, city):
            raise PermissionDenied
        form = CoordinatorInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user, created = coordinator_invite(city=city, **form.cleaned_data)
            if created:
                message = gettext("Invitation sent: %(email)s is now a coordinator of %(city)s.")
            else:
                message = gettext(
                    "Existing account: %(email)s now coordinates %(city)s too; an e-mail says so."
                )
            self.message_user(request, message % {"email": user.email, "city": city.name})
            return redirect("admin:cities_city_change", city.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invite a coordinator for %(city)s") % {"city": city.name},
            "form": form,
            "city": city,
            "opts": self.model._meta,
            "coordinators": city.coordinators.order_by("email"),
        }
        return TemplateResponse(request, "admin/cities/city/invite_coordinator.html", context)

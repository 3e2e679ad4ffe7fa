from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from cities import selectors
from practices.selectors import practices_of_coordinator


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fields"] = selectors.field_list_with_city_counts()
        context["figures"] = selectors.network_figures()
        return context


class AccessibilityView(TemplateView):
    """The accessibility statement: what we aim at, how we check it, how to tell us."""

    template_name = "accessibility.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "contact_email": settings.RVCU_CONTACT_EMAIL}


class DashboardView(LoginRequiredMixin, TemplateView):
    """A coordinator's home: their cities, and their practices by state, what needs their
    action first."""

    template_name = "dashboard.html"
    practices_per_page = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        paginator = Paginator(practices_of_coordinator(user), self.practices_per_page)
        page_obj = paginator.get_page(self.request.GET.get("page"))
        context.update(
            cities=selectors.cities_coordinated_by(user),
            paginator=paginator,
            page_obj=page_obj,
            practices=page_obj.object_list,
        )
        return context

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from cities import selectors


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fields"] = selectors.field_list_with_city_counts()
        context["figures"] = selectors.network_figures()
        return context


class DashboardView(LoginRequiredMixin, TemplateView):
    """A coordinator's home: their cities, and what they can do for each."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cities"] = selectors.cities_coordinated_by(self.request.user)
        return context

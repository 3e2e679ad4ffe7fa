from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext
from django.views.generic import DetailView, UpdateView
from django_filters.views import FilterView

from partnerships.selectors import published_partnerships_of_city
from practices.selectors import published_practices_of_city, published_practices_of_field
from rvcu.filtering import filters_in_use

from . import selectors
from .filters import CityFilter
from .forms import CityPresentationForm
from .maps import NetworkMap
from .models import CreativeField
from .permissions import can_edit_city
from .text import MAX_SEARCH_WORDS

NEIGHBOURS_SHOWN = 12
PRACTICES_SHOWN = 6


class CityListView(FilterView):
    filterset_class = CityFilter
    template_name = "cities/city_list.html"
    context_object_name = "cities"
    paginate_by = 24

    def get_queryset(self):
        return selectors.city_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        context["fields"] = CreativeField.objects.all()
        context["is_filtered"] = filters_in_use(filterset)
        context["words_left_out"] = filterset.words_left_out()
        context["max_words"] = MAX_SEARCH_WORDS
        context["network_map"] = NetworkMap(
            selectors.map_cities(filterset.qs), page_path=self.request.path
        )
        return context


class FieldDetailView(DetailView):
    model = CreativeField
    template_name = "cities/field_detail.html"
    context_object_name = "field"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(self.object.cities.members().order_by("name"), self.paginate_by)
        page_obj = paginator.get_page(self.request.GET.get("page"))
        context.update(
            paginator=paginator,
            page_obj=page_obj,
            cities=page_obj.object_list,
            practices=published_practices_of_field(self.object, limit=PRACTICES_SHOWN),
        )
        return context


class CityDetailView(DetailView):
    template_name = "cities/city_detail.html"
    context_object_name = "city"

    def get_object(self, queryset=None):
        try:
            return selectors.city_get(self.kwargs["slug"])
        except selectors.City.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        city = self.object
        same_field, same_country = selectors.city_neighbours(city, limit=NEIGHBOURS_SHOWN)
        context.update(
            same_field=same_field,
            same_country=same_country,
            city_map=NetworkMap([city], focus=city),
            practices=published_practices_of_city(city, limit=PRACTICES_SHOWN),
            partnerships=published_partnerships_of_city(city, limit=PRACTICES_SHOWN),
        )
        return context


class CityPresentationUpdateView(LoginRequiredMixin, UpdateView):
    """A coordinator edits their city's description, website and picture."""

    form_class = CityPresentationForm
    template_name = "cities/city_presentation_form.html"
    context_object_name = "city"

    def get_object(self, queryset=None):
        try:
            city = selectors.city_get(self.kwargs["slug"])
        except selectors.City.DoesNotExist as error:
            raise Http404 from error
        if not can_edit_city(self.request.user, city):
            raise Http404
        return city

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner_id": self.request.user.pk}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            gettext("The presentation of %(city)s is saved.") % {"city": self.object.name},
        )
        return response

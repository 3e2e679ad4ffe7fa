from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from cities import selectors
from partnerships.selectors import invitations_for, partnerships_of_coordinator
from practices.selectors import practices_of_coordinator

from .revisions import current_address


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
    """A coordinator's home: their cities, the invitations to answer, and their practices and
    partnerships by state, what needs their action first."""

    template_name = "dashboard.html"
    per_page = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        practices_page = Paginator(practices_of_coordinator(user), self.per_page).get_page(
            self.request.GET.get("page")
        )
        partnerships_page = Paginator(partnerships_of_coordinator(user), self.per_page).get_page(
            self.request.GET.get("partnerships_page")
        )
        context.update(
            cities=selectors.cities_coordinated_by(user),
            invitations=list(invitations_for(user)),
            page_obj=practices_page,
            practices=practices_page.object_list,
            partnerships_page=partnerships_page,
            partnerships=partnerships_page.object_list,
        )
        return context


class FormerAddressRedirectMixin:
    """The public page of a published document (`document_model`), found by the `slug` of the
    URL: an address the secretariat renamed answers with a permanent redirect to the current
    one, so that links and bookmarks keep working."""

    document_model = None

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            address = current_address(self.document_model, kwargs["slug"])
            if address is None:
                raise
            return HttpResponsePermanentRedirect(address)


class AuthorTransitionView(View):
    """Base of the POST-only views by which a document's authors submit its latest revision
    for review or withdraw it. Subclasses give `get_document()` (checking who may), `actions`
    (ReviewAction -> (service, success message)) and `redirect_url_name` (takes the pk)."""

    http_method_names = ["post"]
    actions = {}
    redirect_url_name = None

    def get_document(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        document = self.get_document()
        if self.kwargs["action"] not in self.actions:
            raise Http404
        service, message = self.actions[self.kwargs["action"]]
        try:
            service(revision=document.latest_revision(), by=request.user)
        except ValidationError as error:
            # A double click is no failure: the first click did it.
            level = messages.INFO if error.code == "already_done" else messages.ERROR
            messages.add_message(request, level, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect(self.redirect_url_name, pk=document.pk)

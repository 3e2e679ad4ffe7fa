from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from cities.models import City
from cities.permissions import can_act_for_every_city
from rvcu.filtering import search_context
from rvcu.review import ReviewAction, ReviewState, allowed_actions
from rvcu.revisions import EditConflict
from rvcu.views import AuthorTransitionView, FormerAddressRedirectMixin

from . import selectors, services
from .filters import PracticeFilter
from .forms import PracticeForm
from .models import Practice, PracticeRevision
from .permissions import can_edit_practice

RELATED_SHOWN = 4


class PracticeListView(FilterView):
    filterset_class = PracticeFilter
    template_name = "practices/practice_list.html"
    context_object_name = "revisions"
    paginate_by = 20

    def get_queryset(self):
        # The order of "Newest first", also when the page is opened with no parameter.
        return selectors.published_practice_list().order_by("-state_changed_at", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **search_context(context["filter"], context["paginator"])}


class PracticeDetailView(FormerAddressRedirectMixin, DetailView):
    document_model = Practice
    template_name = "practices/practice_detail.html"
    context_object_name = "revision"

    def get_object(self, queryset=None):
        try:
            return selectors.published_revision_get(self.kwargs["slug"])
        except PracticeRevision.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = selectors.related_practices(self.object, limit=RELATED_SHOWN)
        return context


class CoordinatedPracticeMixin(LoginRequiredMixin):
    """A practice the person may work on; any other practice answers 404, so that nobody
    learns of another city's drafts."""

    def get_practice(self):
        if not hasattr(self, "_practice"):
            practice = get_object_or_404(
                Practice.objects.select_related("city"), pk=self.kwargs["pk"]
            )
            if not can_edit_practice(self.request.user, practice):
                raise Http404
            self._practice = practice
        return self._practice


class MyPracticeDetailView(CoordinatedPracticeMixin, DetailView):
    """The coordinator's view of a practice: the version they work on, as the public would
    see it, its state, its history and what they can do next."""

    template_name = "practices/my_practice_detail.html"
    context_object_name = "revision"

    def get_object(self, queryset=None):
        return selectors.working_revision_get(self.get_practice())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.get_practice()
        revision = self.object
        history = list(selectors.practice_history(practice))
        context.update(
            practice=practice,
            history=history,
            last_event=history[-1] if history else None,
            actions=allowed_actions(state=revision.state, by_secretariat=False),
            can_edit=revision.state != ReviewState.SUBMITTED,
            is_preview=True,
        )
        return context


class PracticeFormMixin:
    form_class = PracticeForm
    template_name = "practices/practice_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner_id": self.request.user.pk}

    def form_invalid(self, form):
        form.keep_uploads()  # also after an error raised when saving
        messages.error(self.request, gettext("The practice is not saved yet: see the errors."))
        return super().form_invalid(form)

    def saved(self, practice, message):
        messages.success(self.request, message)
        return redirect("practices:my-practice", pk=practice.pk)


class PracticeCreateView(LoginRequiredMixin, PracticeFormMixin, FormView):
    def get_cities(self):
        user = self.request.user
        cities = (
            City.objects.members()
            if can_act_for_every_city(user)
            else user.coordinated_cities.all()
        )
        return cities.order_by("name")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.get_cities().exists():
            raise PermissionDenied(gettext("You do not coordinate any city."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cities": self.get_cities()}

    def get_initial(self):
        initial = super().get_initial()
        city = self.get_cities().filter(slug=self.request.GET.get("city", "")).first()
        if city:
            initial["city"] = city
        return initial

    def form_valid(self, form):
        content = form.content()
        content.pop("remove_documents", None)
        city = form.cleaned_data["city"]
        practice, _revision = services.practice_create(city=city, by=self.request.user, **content)
        return self.saved(
            practice,
            gettext("Your draft is saved. Submit it for review when it is ready."),
        )


class PracticeUpdateView(CoordinatedPracticeMixin, PracticeFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.revision = selectors.working_revision_get(self.get_practice())
            if self.revision.state == ReviewState.SUBMITTED:
                messages.warning(
                    request,
                    gettext("This practice is being reviewed: withdraw it to edit it again."),
                )
                return redirect("practices:my-practice", pk=self.get_practice().pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.revision}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practice"] = self.get_practice()
        context["revision"] = self.revision
        return context

    def form_valid(self, form):
        practice = self.get_practice()
        try:
            services.practice_update(
                practice=practice,
                by=self.request.user,
                edited_version=form.seen_version,
                **form.content(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if self.revision.state == ReviewState.PUBLISHED:
            message = gettext(
                "Your changes are saved as a new draft; the published version stays online "
                "until the secretariat publishes the new one."
            )
        else:
            message = gettext("Your changes are saved.")
        return self.saved(practice, message)


class PracticeTransitionView(CoordinatedPracticeMixin, AuthorTransitionView):
    """A coordinator submits a practice for review or withdraws it (POST only)."""

    redirect_url_name = "practices:my-practice"
    actions = {
        ReviewAction.SUBMIT: (
            services.practice_submit,
            _("Submitted. The secretariat will review it; you will get an e-mail."),
        ),
        ReviewAction.WITHDRAW: (
            services.practice_withdraw,
            _("Withdrawn. The practice is a draft again: you can edit it."),
        ),
    }

    def get_document(self):
        return self.get_practice()

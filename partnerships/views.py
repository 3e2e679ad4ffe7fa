from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from cities.models import City
from cities.permissions import can_act_for_every_city
from rvcu.filtering import search_context
from rvcu.review import ReviewAction, ReviewState, allowed_actions
from rvcu.views import AuthorTransitionView, FormerAddressRedirectMixin

from . import network, selectors, services
from .filters import PartnershipFilter
from .forms import InviteCityForm, PartnershipForms
from .models import Participation, Partnership, PartnershipRevision
from .permissions import can_edit_partnership, can_follow_partnership, involved_participations


class PartnershipListView(FilterView):
    filterset_class = PartnershipFilter
    template_name = "partnerships/partnership_list.html"
    context_object_name = "revisions"
    paginate_by = 20

    def get_queryset(self):
        return selectors.published_partnership_list().order_by("-state_changed_at", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **search_context(context["filter"], context["paginator"])}


class PartnershipDetailView(FormerAddressRedirectMixin, DetailView):
    document_model = Partnership
    template_name = "partnerships/partnership_detail.html"
    context_object_name = "revision"

    def get_object(self, queryset=None):
        try:
            return selectors.published_revision_get(self.kwargs["slug"])
        except PartnershipRevision.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **selectors.page_data(self.object)}


class CoordinatedPartnershipMixin(LoginRequiredMixin):
    """A partnership the person may follow (see `can_follow_partnership`); any other answers
    404, so that nobody learns of another city's drafts or invitations."""

    def get_partnership(self):
        if not hasattr(self, "_partnership"):
            partnership = get_object_or_404(
                Partnership.objects.select_related("lead_city"), pk=self.kwargs["pk"]
            )
            user = self.request.user
            # can_follow_partnership, with the editing right kept for the view.
            self.can_edit = can_edit_partnership(user, partnership)
            if not self.can_edit and not involved_participations(user, partnership).exists():
                raise Http404
            self._partnership = partnership
        return self._partnership


class EditablePartnershipMixin(CoordinatedPartnershipMixin):
    """Only the lead city's coordinators (and who may act for every city) write; a partner
    city's coordinator who follows the partnership is refused with 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.get_partnership()
            if not self.can_edit:
                raise PermissionDenied(gettext("Only the lead city's coordinators can do this."))
        return super().dispatch(request, *args, **kwargs)


class MyPartnershipDetailView(CoordinatedPartnershipMixin, DetailView):
    """The coordinators' view of a partnership: the version being worked on, as the public
    would see it, its state, history, the cities invited and what each person can do next."""

    template_name = "partnerships/my_partnership_detail.html"
    context_object_name = "revision"

    def get_object(self, queryset=None):
        return selectors.working_revision_get(self.get_partnership())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.get_partnership()
        revision = self.object
        user = self.request.user
        can_edit = self.can_edit
        history = list(selectors.partnership_history(partnership))
        my_participations = list(involved_participations(user, partnership))
        context.update(selectors.page_data(revision))
        context.update(
            history=history,
            last_event=history[-1] if history else None,
            can_edit=can_edit,
            can_change=can_edit and revision.state != ReviewState.SUBMITTED,
            actions=allowed_actions(state=revision.state, by_secretariat=False) if can_edit else [],
            participations=selectors.participations_for_coordinators(partnership),
            my_participations=my_participations,
            my_participation_ids={participation.pk for participation in my_participations},
            invite_form=InviteCityForm(partnership=partnership) if can_edit else None,
            is_preview=True,
        )
        return context


class PartnershipFormView(LoginRequiredMixin, TemplateView):
    """The partnership form with its partner organisations and open calls (one page, one
    submit); shared by the create and the edit views."""

    template_name = "partnerships/partnership_form.html"
    revision = None

    def get_form_set(self, data=None, files=None):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(forms=self.get_form_set()))

    def post(self, request, *args, **kwargs):
        forms = self.get_form_set(request.POST, request.FILES)
        if forms.is_valid():
            try:
                return self.save(forms)
            except ValidationError as error:
                forms.add_error(error)
        messages.error(request, gettext("The partnership is not saved yet: see the errors."))
        return self.render_to_response(self.get_context_data(forms=forms))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=context["forms"].form,
            organisation_names=selectors.organisation_suggestions(),
            revision=self.revision,
        )
        return context

    def saved(self, partnership, message):
        messages.success(self.request, message)
        return redirect("partnerships:my-partnership", pk=partnership.pk)


class PartnershipCreateView(PartnershipFormView):
    def get_cities(self):
        user = self.request.user
        cities = (
            City.objects.members()
            if can_act_for_every_city(user)
            else user.coordinated_cities.members()
        )
        return cities.order_by("name")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.get_cities().exists():
            raise PermissionDenied(gettext("You do not coordinate any member city."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_set(self, data=None, files=None):
        cities = self.get_cities()
        initial = {}
        city = cities.filter(slug=self.request.GET.get("city", "")).first()
        if city:
            initial["lead_city"] = city
        return PartnershipForms(
            data, files, owner_id=self.request.user.pk, cities=cities, initial=initial
        )

    def save(self, forms):
        content = forms.content()
        lead_city = content.pop("lead_city")
        partnership, _revision = services.partnership_create(
            lead_city=lead_city, by=self.request.user, **content
        )
        return self.saved(
            partnership,
            gettext(
                "Your draft is saved. Invite the partner cities, then submit it for review "
                "when it is ready."
            ),
        )


class PartnershipUpdateView(EditablePartnershipMixin, PartnershipFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            partnership = self.get_partnership()
            if self.can_edit:
                self.revision = selectors.working_revision_get(partnership)
                if self.revision.state == ReviewState.SUBMITTED:
                    messages.warning(
                        request,
                        gettext(
                            "This partnership is being reviewed: withdraw it to edit it again."
                        ),
                    )
                    return redirect("partnerships:my-partnership", pk=partnership.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_set(self, data=None, files=None):
        return PartnershipForms(data, files, owner_id=self.request.user.pk, instance=self.revision)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "partnership": self.get_partnership()}

    def save(self, forms):
        partnership = self.get_partnership()
        services.partnership_update(
            partnership=partnership,
            by=self.request.user,
            edited_version=forms.form.seen_version,
            **forms.content(),
        )
        if self.revision.state == ReviewState.PUBLISHED:
            message = gettext(
                "Your changes are saved as a new draft; the published version stays online "
                "until the secretariat publishes the new one."
            )
        else:
            message = gettext("Your changes are saved.")
        return self.saved(partnership, message)


class PartnershipTransitionView(EditablePartnershipMixin, AuthorTransitionView):
    """The lead city's coordinators submit a partnership for review or withdraw it."""

    redirect_url_name = "partnerships:my-partnership"
    actions = {
        ReviewAction.SUBMIT: (
            services.partnership_submit,
            _("Submitted. The secretariat will review it; you will get an e-mail."),
        ),
        ReviewAction.WITHDRAW: (
            services.partnership_withdraw,
            _("Withdrawn. The partnership is a draft again: you can edit it."),
        ),
    }

    def get_document(self):
        return self.get_partnership()


class CityInviteView(EditablePartnershipMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        partnership = self.get_partnership()
        form = InviteCityForm(request.POST, partnership=partnership)
        if form.is_valid():
            city = form.cleaned_data["city"]
            try:
                services.city_invite(partnership=partnership, city=city, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    gettext(
                        "%(city)s is invited. It will appear as a partner once one of its "
                        "coordinators accepts."
                    )
                    % {"city": city.name},
                )
        else:
            messages.error(request, " ".join(form.errors.get("city", [])))
        return redirect("partnerships:my-partnership", pk=partnership.pk)


class ParticipationAnswerView(LoginRequiredMixin, View):
    """A coordinator of an invited city accepts or declines; of a partner city, leaves."""

    http_method_names = ["post"]
    answers = {
        "accept": (services.participation_accept, _("You accepted: %(city)s takes part.")),
        "decline": (services.participation_decline, _("You declined the invitation.")),
        "leave": (
            services.participation_leave,
            _("%(city)s no longer takes part in the partnership."),
        ),
    }

    def post(self, request, *args, **kwargs):
        if self.kwargs["answer"] not in self.answers:
            raise Http404
        participation = get_object_or_404(
            Participation.objects.select_related("city", "partnership"),
            pk=self.kwargs["participation"],
            partnership__pk=self.kwargs["pk"],
        )
        if not involved_participations(request.user, participation.partnership).filter(
            pk=participation.pk
        ).exists() and not can_act_for_every_city(request.user):
            raise Http404
        service, message = self.answers[self.kwargs["answer"]]
        try:
            service(participation=participation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("partnerships:my-partnership", pk=participation.partnership.pk)
        messages.success(request, message % {"city": participation.city.name})
        if can_follow_partnership(request.user, participation.partnership):
            return redirect("partnerships:my-partnership", pk=participation.partnership.pk)
        return redirect("dashboard")


class NetworkView(TemplateView):
    """How the member cities cooperate, from the published partnerships."""

    template_name = "partnerships/network.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "network": network.network_figures()}

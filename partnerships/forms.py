from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from cities.models import City
from rvcu.conflicts import Difference, EditedVersionFormMixin, shown_value
from rvcu.fields import WebsiteFormField
from rvcu.revisions import EditConflict
from rvcu.uploads import KeptUploadsFormMixin

from .models import OpenCall, Organisation, ParticipationStatus, PartnershipRevision, Sector

DESCRIPTION_HELP = _(
    "You may use simple formatting: **bold**, *italics*, lists starting with “- ”, and links "
    "written [text](https://address)."
)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberCityChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose a member city of the network from the list."),
    }


class PartnershipForm(EditedVersionFormMixin, KeptUploadsFormMixin, forms.ModelForm):
    """What the lead city's coordinators write about a partnership. Give `cities` (those the
    person may lead for) when creating one; an existing partnership keeps its lead city."""

    kept_upload_fields = ("image",)
    field_order = ["lead_city"]

    lead_city = MemberCityChoiceField(
        label=_("Lead city"),
        queryset=City.objects.none(),
        help_text=_("Your city; you invite the other member cities once the draft is saved."),
    )

    class Meta:
        model = PartnershipRevision
        fields = [
            "title",
            "kind",
            "fields",
            "summary",
            "description",
            "start_date",
            "end_date",
            "progress",
            "website",
            "objectives",
            "action_areas",
            "sdgs",
            "image",
            "image_alt",
            "image_credit",
        ]
        widgets = {
            "fields": forms.CheckboxSelectMultiple,
            "objectives": forms.CheckboxSelectMultiple,
            "action_areas": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 400}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
        }
        help_texts = {"description": DESCRIPTION_HELP}

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cities is None:
            del self.fields["lead_city"]
        else:
            self.fields["lead_city"].queryset = cities
            if len(cities) == 1:
                self.fields["lead_city"].initial = cities[0]

    def content(self):
        data = self.cleaned_data
        content = {name: data[name] for name in self._meta.fields if name != "image"}
        if data.get("image") is not None:
            content["image"] = data["image"] or ""
        if "lead_city" in self.fields:
            content["lead_city"] = data["lead_city"]
        return content


class OrganisationForm(forms.Form):
    """A partner organisation and its role; the name is suggested from the organisations the
    portal knows (an existing one is reused, not duplicated)."""

    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "organisation-names", "autocomplete": "off"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("Choose a sector")), *Sector.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a sector from the list.")},
    )
    country = LazyTypedChoiceField(
        label=_("Country"),
        choices=[("", _("Choose a country")), *countries],
        required=False,
        error_messages={"invalid_choice": _("Choose a country from the list.")},
    )
    website = WebsiteFormField(label=_("Website"), required=False)
    role = forms.CharField(
        label=_("Role in the partnership"),
        max_length=200,
        required=False,
        help_text=_("e.g. 'co-funds the residencies', 'hosts the exhibition'."),
    )

    def clean(self):
        data = super().clean()
        if self.errors or not any(data.get(name) for name in self.fields):
            return data
        for name, message in (
            ("name", _("Give the name of the organisation.")),
            ("sector", _("Choose the sector of the organisation.")),
            ("country", _("Choose the country of the organisation.")),
        ):
            if not data.get(name):
                self.add_error(name, message)
        return data


class BaseOrganisationFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if not data.get("name"):
                continue
            key = (Organisation.key_of(data["name"]), data.get("country"))
            if key in seen:
                form.add_error(
                    "name",
                    _("%(name)s is already listed above.") % {"name": data["name"]},
                )
            seen.add(key)


OrganisationFormSet = forms.formset_factory(
    OrganisationForm, formset=BaseOrganisationFormSet, extra=2, can_delete=True, max_num=50
)


class OpenCallForm(forms.ModelForm):
    class Meta:
        model = OpenCall
        fields = ["title", "opens_on", "closes_on", "eligibility", "link", "contact_email"]
        widgets = {
            "opens_on": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
            "eligibility": forms.Textarea(attrs={"rows": 3}),
        }


OpenCallFormSet = forms.formset_factory(OpenCallForm, extra=1, can_delete=True, max_num=20)


def saved_rows(revision):
    """The partner organisations and open calls `revision` holds, as the formsets' rows."""
    organisations = [
        {
            "name": role.organisation.name,
            "sector": role.sector,
            "country": role.organisation.country.code,
            "website": role.website,
            "role": role.role,
        }
        for role in revision.organisation_roles.select_related("organisation")
    ]
    calls = [
        {name: getattr(call, name) for name in OpenCallForm._meta.fields}
        for call in revision.open_calls.all()
    ]
    return organisations, calls


class PartnershipForms:
    """The partnership form with its organisations and open calls, checked and saved as one."""

    def __init__(
        self, data=None, files=None, *, owner_id, instance=None, cities=None, initial=None
    ):
        self.form = PartnershipForm(
            data,
            files,
            owner_id=owner_id,
            instance=instance,
            cities=cities,
            initial=initial,
        )
        organisations, calls = [], []
        if instance is not None and data is None:
            organisations, calls = saved_rows(instance)
        self.organisations = OrganisationFormSet(
            data, prefix="organisations", initial=organisations
        )
        self.open_calls = OpenCallFormSet(data, prefix="calls", initial=calls)
        self.formsets = [self.organisations, self.open_calls]

    def is_valid(self):
        valid = all([self.form.is_valid(), *(formset.is_valid() for formset in self.formsets)])
        if not valid:
            self.form.keep_uploads()
        return valid

    @property
    def has_errors(self):
        return bool(
            self.form.errors or any(formset.total_error_count() for formset in self.formsets)
        )

    def add_error(self, error):
        """Show a ValidationError raised when saving on the field it names, if any."""
        if isinstance(error, EditConflict):
            self.form.show_conflict(error, more=self._row_differences(error.current))
        elif hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.form.add_error(
                    name if name in self.form.fields else None,
                    messages,
                )
        else:
            self.form.add_error(None, error)
        self.form.keep_uploads()

    def content(self):
        content = self.form.content()
        content["organisations"] = self._entries(self.organisations)
        content["open_calls"] = self._entries(self.open_calls)
        return content

    def _row_differences(self, current):
        """The partner organisations and open calls, where they differ from `current`'s."""
        organisations, calls = saved_rows(current)
        found = []
        for label, theirs, yours, fields in (
            (
                _("Partner organisations"),
                organisations,
                self._entries(self.organisations),
                ["name", "sector", "country", "website", "role"],
            ),
            (_("Open calls"), calls, self._entries(self.open_calls), OpenCallForm._meta.fields),
        ):
            theirs = [_row_text(entry, fields) for entry in theirs]
            yours = [_row_text(entry, fields) for entry in yours]
            if theirs != yours:
                found.append(
                    Difference(
                        label=str(label),
                        theirs="\n".join(theirs) or shown_value(""),
                        yours="\n".join(yours) or shown_value(""),
                    )
                )
        return found

    @staticmethod
    def _entries(formset):
        return [
            {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            for form in formset.forms
            if form.has_changed() and form.cleaned_data and not formset._should_delete_form(form)
        ]


def _row_text(entry, fields):
    """One organisation or open call on a line, as a person reads it."""
    values = []
    for name in fields:
        value = entry.get(name)
        if name == "sector" and value:
            value = Sector(value).label
        elif name == "country" and value:
            value = countries.name(value)
        if value:
            values.append(shown_value(value))
    return " · ".join(values)


class InviteCityForm(forms.Form):
    city = MemberCityChoiceField(label=_("Member city to invite"), queryset=City.objects.none())

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        involved = partnership.participations.filter(
            status__in=[ParticipationStatus.INVITED, ParticipationStatus.ACCEPTED]
        ).values("city")
        self.fields["city"].queryset = (
            City.objects.members().exclude(pk__in=involved).order_by("name")
        )
        self.fields["city"].empty_label = _("Choose a city")
        self.fields["city"].label_from_instance = lambda city: f"{city.name} ({city.country.name})"

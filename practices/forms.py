from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import City
from partnerships.selectors import partnership_choices_for, takes_part
from rvcu.conflicts import EditedVersionFormMixin
from rvcu.fields import PdfFormField
from rvcu.uploads import KeptUploadsFormMixin

from .models import PracticeAttachment, PracticeRevision

LONG_TEXT_HELP = _(
    "You may use simple formatting: **bold**, *italics*, lists starting with “- ”, and links "
    "written [text](https://address)."
)


class PracticeForm(EditedVersionFormMixin, KeptUploadsFormMixin, forms.ModelForm):
    """What a coordinator writes about a practice. Give `cities` (those the person may write
    for) when creating a practice; an existing practice keeps its city."""

    kept_upload_fields = ("image", "new_document")
    field_order = ["city"]

    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none())
    new_document = PdfFormField(
        label=_("Attach a PDF document"),
        required=False,
        help_text=_("A report, an evaluation or a brochure; a PDF of 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    new_document_title = forms.CharField(
        label=_("Title of the document"), max_length=200, required=False
    )
    remove_documents = forms.ModelMultipleChoiceField(
        label=_("Remove attached documents"),
        queryset=PracticeAttachment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PracticeRevision
        fields = [
            "title",
            "fields",
            "language",
            "summary",
            "challenge",
            "actions",
            "results",
            "transferability",
            "year_started",
            "is_ongoing",
            "partners",
            "target_groups",
            "reaches_vulnerable_groups",
            "budget_range",
            "contact_role",
            "links",
            "partnership",
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
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 600}),
            "challenge": forms.Textarea(attrs={"rows": 6}),
            "actions": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "transferability": forms.Textarea(attrs={"rows": 6}),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "target_groups": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            name: LONG_TEXT_HELP for name in ("challenge", "actions", "results", "transferability")
        }

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cities is None:
            del self.fields["city"]
        else:
            self.fields["city"].queryset = cities
            if len(cities) == 1:
                self.fields["city"].initial = cities[0]
        if self.instance.pk:
            self.fields["remove_documents"].queryset = self.instance.attachments.all()
        else:
            del self.fields["remove_documents"]
        self.fields["year_started"].widget.attrs.update(min=1900)
        self.cities = list(cities) if cities is not None else [self.instance.practice.city]
        partnership = self.fields["partnership"]
        partnership.queryset = partnership_choices_for(self.cities)
        partnership.label_from_instance = lambda choice: choice.title
        partnership.empty_label = _("None")
        partnership.error_messages["invalid_choice"] = _(
            "Choose a partnership your city takes part in."
        )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("new_document") and not cleaned_data.get("new_document_title"):
            self.add_error("new_document_title", _("Give the document a title."))
        city = cleaned_data.get("city") or self.cities[0]
        partnership = cleaned_data.get("partnership")
        if partnership and not takes_part(city, partnership):
            self.add_error(
                "partnership",
                _("%(city)s does not take part in this partnership.") % {"city": city.name},
            )
        return cleaned_data

    def content(self):
        """The cleaned values as the practice services take them."""
        data = self.cleaned_data
        content = {name: data[name] for name in self._meta.fields if name != "image"}
        if data.get("image") is not None:
            content["image"] = data["image"] or ""
        content["documents"] = (
            [(data["new_document_title"], data["new_document"])] if data.get("new_document") else []
        )
        if "remove_documents" in self.fields:
            content["remove_documents"] = [item.file.name for item in data["remove_documents"]]
        return content

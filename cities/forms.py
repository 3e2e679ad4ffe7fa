from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from rvcu.uploads import KeptUploadsFormMixin

from .models import City


class CoordinatorInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language of the e-mails"), choices=settings.LANGUAGES, initial="en"
    )


class CityPresentationForm(KeptUploadsFormMixin, forms.ModelForm):
    """What a coordinator may change about their city; the designation data stays with the
    secretariat."""

    kept_upload_fields = ("image",)

    class Meta:
        model = City
        fields = ["description", "website", "image", "image_alt", "image_credit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

"""Edit forms that know which version of the content they were shown (optimistic locking).

A form with `EditedVersionFormMixin` carries its revision's `edit_version` in a hidden field,
and the service refuses to save over content saved since (rvcu.revisions.EditConflict). The
form is then shown again with everything the person wrote, the other person's version of each
field that differs beside it, and the version now saved in the hidden field: saving again is
a choice, made knowing what it replaces.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.translation import gettext

EMPTY = "—"


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str  # as saved meanwhile
    yours: str  # as the person wrote it, not saved


@dataclass
class Conflict:
    saved_at: object
    differences: list = field(default_factory=list)


class EditedVersionFormMixin:
    """A ModelForm of a revision that carries the revision's `edit_version` when editing one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["edited_version"] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=self.instance.edit_version
            )

    @property
    def seen_version(self):
        """The version the form was shown with ("" from a page that did not say)."""
        return self.cleaned_data.get("edited_version", "")

    def show_conflict(self, error, *, more=()):
        """Show the form again after `error` (an EditConflict): what differs from the revision
        saved meanwhile (with `more` Differences the form cannot see, such as its formsets),
        and that revision's version, so that the next save replaces it knowingly."""
        current = error.current
        self.conflict = Conflict(
            saved_at=current.updated_at,
            differences=[*differences(self, current), *more],
        )
        data = self.data.copy()
        data[self.add_prefix("edited_version")] = current.edit_version
        self.data = data
        self.add_error(None, error)


def differences(form, current):
    """A Difference for each field of the ModelForm `form` whose cleaned value is not what the
    revision `current` holds. A file counts only when the person chose a new one or removed it:
    otherwise the form holds the file it was shown with, not a choice."""
    found = []
    for name in form._meta.fields:
        if name not in form.fields or name not in form.cleaned_data:
            continue
        form_field = form.fields[name]
        yours = form.cleaned_data[name]
        theirs = _model_value(current, name)
        if isinstance(form_field, forms.FileField):
            if not isinstance(yours, UploadedFile) and yours is not False:
                continue
            if _file_name(yours) == _file_name(theirs):
                continue
        elif _comparable(yours) == _comparable(theirs):
            continue
        found.append(
            Difference(
                label=str(form_field.label),
                theirs=shown(form_field, theirs),
                yours=shown(form_field, yours),
            )
        )
    return found


def _model_value(instance, name):
    if instance._meta.get_field(name).many_to_many:
        return list(getattr(instance, name).all())
    return getattr(instance, name)


def _comparable(value):
    if value is None:
        return ""
    if hasattr(value, "_meta"):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "model"):
        return sorted(item.pk for item in value)
    return value


def _file_name(value):
    return PurePosixPath(value.name).name if value else ""


def shown(form_field, value):
    """`value` of `form_field` as a person reads it."""
    if isinstance(form_field, forms.FileField):
        return _file_name(value) or EMPTY
    if isinstance(form_field, forms.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return ", ".join(form_field.label_from_instance(item) for item in value)
    if isinstance(form_field, forms.ModelChoiceField):
        return form_field.label_from_instance(value)
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))
    return shown_value(value)


def shown_value(value):
    if value is None or value == "":
        return EMPTY
    if isinstance(value, date):
        return formats.date_format(value)
    return str(value)

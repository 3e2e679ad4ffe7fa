"""The secretariat's review tools in the admin, shared by practices and partnerships.

A ModelAdmin of a reviewed model mixes in `ReviewAdminMixin` and names, in `review_services`,
the service that applies each secretariat action (publish, request changes, archive); the model
declares a `review_<model name>` permission, which those actions need. The mixin
gives the review queue order (submitted first, oldest first), bulk actions, a review page for
one item with the secretariat's message, a preview as the public will see it, and the history.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import revisions
from .models import FormerAddress
from .review import ReviewAction, ReviewState, allowed_actions, review_history

EDIT_CONFLICT_IN_ADMIN = _(
    "Someone else saved this content while you were editing it, here or on the portal: your "
    "changes are not saved yet. Open the item in another tab to see their version, or save "
    "again to replace it with yours."
)

SECRETARIAT_ACTIONS = (ReviewAction.PUBLISH, ReviewAction.REQUEST_CHANGES, ReviewAction.ARCHIVE)

QUEUE_ORDER = (
    Case(
        When(state=ReviewState.SUBMITTED, then=Value(0)),
        When(state=ReviewState.CHANGES_REQUESTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    ).asc(),
    "state_changed_at",
)


class ReviewMessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the city's coordinators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Required to request changes: say what should change and why."),
    )


class ReviewDecisionForm(ReviewMessageForm):
    action = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    field_order = ["action", "message"]

    def __init__(self, *args, actions, accepted=(), **kwargs):
        """Offers `actions`, and takes any of `accepted` too: a decision sent from a page shown
        before another reviewer's is refused by the service with a clear message, not by the
        form as an unknown choice."""
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        field.choices = [(action, action.label) for action in {*actions, *accepted}]
        field.widget.choices = [(action, action.label) for action in actions]
        if len(actions) == 1:
            field.initial = actions[0]


class EditedVersionAdminForm(forms.ModelForm):
    """The admin's form of a revision's content, refused like the coordinators' edit form when
    the content was saved since it was shown (see rvcu.conflicts); the version it then carries
    is the saved one, so that saving again replaces it on purpose."""

    edited_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edited_version"].initial = self.instance.edit_version

    def clean(self):
        cleaned_data = super().clean()
        seen = cleaned_data.get("edited_version")
        if seen and self.instance.pk:
            saved = type(self.instance)._base_manager.get(pk=self.instance.pk).edit_version
            if saved != seen:
                data = self.data.copy()
                data[self.add_prefix("edited_version")] = saved
                self.data = data
                raise ValidationError(EDIT_CONFLICT_IN_ADMIN, code="edit_conflict")
        return cleaned_data


class DocumentAddressForm(forms.ModelForm):
    """The admin form of a document: the address of a published one may be changed (its old
    address then leads to the new one); a document never published has none."""

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if not slug:
            raise ValidationError(_("A published item needs an address."), code="address_required")
        taken = revisions.former_addresses(type(self.instance)).filter(slug=slug)
        if taken.exclude(object_id=self.instance.pk).exists():
            raise ValidationError(
                _(
                    "This address used to be another item's, and still leads to it: choose "
                    "another one."
                ),
                code="former_address",
            )
        return slug


class FormerAddressInline(GenericTabularInline):
    """The addresses that lead to the document; deleting one frees it for another item."""

    model = FormerAddress
    extra = 0
    fields = readonly_fields = ["slug", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


class DocumentAdminMixin:
    """The admin of a practice or a partnership: its address is made at its first
    publication, and changing it afterwards keeps the old one as a redirect."""

    form = DocumentAddressForm

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), FormerAddressInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None or obj.slug is None:
            readonly.append("slug")
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            revisions.rename(obj, old_slug=form.initial.get("slug"))

    def view_on_site(self, obj):
        return obj.get_absolute_url()


class ReviewAdminMixin:
    review_services = {}  # ReviewAction -> service(revision=, by=, message=)
    preview_template = None
    form = EditedVersionAdminForm
    ordering = QUEUE_ORDER
    actions = ["publish_selected", "request_changes_selected", "archive_selected"]

    def view_on_site(self, item):
        # A revision of a document never published has no public page.
        return item.get_absolute_url()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="{}_{}_review".format(*info),
            ),
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        codename = f"review_{self.opts.model_name}"
        if codename not in dict(self.opts.permissions):
            errors.append(
                checks.Error(
                    f"{self.opts.label} has no “{codename}” permission: nobody could review it.",
                    hint=f"Add (“{codename}”, “Can publish …”) to its Meta.permissions.",
                    obj=self.__class__,
                    id="rvcu.E001",
                )
            )
        return errors

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *others = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "edited_version"]}), *others]

    def has_review_permission(self, request, obj=None):
        """The model's own "review" permission (say `practices.review_practicerevision`), not
        "change": a reviewer publishes what the city wrote and may not edit it."""
        codename = f"review_{self.opts.model_name}"
        return request.user.is_staff and request.user.has_perm(f"{self.opts.app_label}.{codename}")

    # Bulk actions

    def apply_review(self, request, items, action, message=""):
        """Apply `action` to each item; report what was done and what was refused, and why."""
        done, refused = 0, []
        for item in items:
            try:
                self.review_services[action](revision=item, by=request.user, message=message)
            except ValidationError as error:
                refused.append(f"{item}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(action)s: done for %(count)d item.",
                    "%(action)s: done for %(count)d items.",
                    done,
                )
                % {"action": action.label, "count": done},
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)
        return done

    @admin.action(description=_("Publish the selected items"), permissions=["review"])
    def publish_selected(self, request, queryset):
        self.apply_review(request, queryset, ReviewAction.PUBLISH)

    @admin.action(description=_("Archive the selected items"), permissions=["review"])
    def archive_selected(self, request, queryset):
        self.apply_review(request, queryset, ReviewAction.ARCHIVE)

    @admin.action(
        description=_("Request changes to the selected items (with a message)"),
        permissions=["review"],
    )
    def request_changes_selected(self, request, queryset):
        form = ReviewMessageForm(request.POST if "message" in request.POST else None)
        if form.is_bound and form.is_valid():
            message = form.cleaned_data["message"].strip()
            if message:
                self.apply_review(request, queryset, ReviewAction.REQUEST_CHANGES, message)
                return None
            form.add_error("message", gettext("Write a message to say what should change."))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Request changes"),
            "opts": self.opts,
            "form": form,
            "items": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/review/request_changes.html", context)

    # One item

    def review_view(self, request, object_id):
        item = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_review_permission(request, item):
            raise PermissionDenied
        actions = [
            action
            for action in allowed_actions(state=item.state, by_secretariat=True)
            if action in self.review_services
        ]
        form = ReviewDecisionForm(
            request.POST or None, actions=actions, accepted=list(self.review_services)
        )
        if request.method == "POST" and form.is_valid():
            action = ReviewAction(form.cleaned_data["action"])
            try:
                self.review_services[action](
                    revision=item, by=request.user, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                if error.code in ("already_done", "invalid_transition"):
                    # Decided meanwhile (a double click, another reviewer): the page again,
                    # with the item's state and history as they are now.
                    self.message_user(request, " ".join(error.messages), messages.WARNING)
                    return redirect(request.path)
                form.add_error("message" if error.code == "message_required" else None, error)
            else:
                self.message_user(
                    request,
                    gettext("%(action)s: done for “%(item)s”.")
                    % {"action": action.label, "item": item},
                    messages.SUCCESS,
                )
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review “%(item)s”") % {"item": item},
            "opts": self.opts,
            "original": item,
            "form": form,
            "actions": actions,
            "history": review_history(self.model, [item.pk]),
            "preview_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_preview", args=[item.pk]
            ),
        }
        return TemplateResponse(request, "admin/review/review.html", context)

    def preview_view(self, request, object_id):
        item = get_object_or_404(self.get_preview_queryset(request), pk=object_id)
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        return TemplateResponse(
            request,
            self.preview_template,
            {"revision": item, "is_preview": True, **self.get_preview_context(item)},
        )

    def get_preview_queryset(self, request):
        return self.get_queryset(request)

    def get_preview_context(self, item):
        """More of what the public page of `item` shows, for the preview."""
        return {}

    # Columns and read-only fields

    @admin.display(description=_("review"))
    def review_links(self, item):
        if not item.pk:
            return "—"
        info = self.opts.app_label, self.opts.model_name
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:{}_{}_review".format(*info), args=[item.pk]),
            gettext("Review"),
            reverse("admin:{}_{}_preview".format(*info), args=[item.pk]),
            gettext("Preview"),
        )

    @admin.display(description=_("review history"))
    def history_table(self, item):
        if not item.pk:
            return "—"
        return render_to_string(
            "admin/review/history.html", {"history": review_history(self.model, [item.pk])}
        )

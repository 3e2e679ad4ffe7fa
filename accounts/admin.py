from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import User

# What makes an account powerful, and the address a password reset is sent to: a member of
# the secretariat who could change them could take over any account.
SUPERUSER_ONLY_FIELDS = ["email", "is_staff", "is_superuser", "groups", "user_permissions"]


def may_manage_account(request, account):
    """Superusers manage every account; other staff, with the model permissions, only accounts
    without staff status (the cities' coordinators)."""
    return (
        account is None
        or request.user.is_superuser
        or not (account.is_staff or account.is_superuser)
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_manage_account(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Also asked for each selected account by the "delete selected" action.
        return super().has_delete_permission(request, obj) and may_manage_account(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None or request.user.is_superuser:
            return readonly
        return [*readonly, *SUPERUSER_ONLY_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # Without the password field and its link to a form only superusers may use.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def user_change_password(self, request, id, form_url=""):
        # Setting someone's password is logging in as them: coordinators set theirs from
        # their invitation or a reset link.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """A group's permissions are its members': only superusers write them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

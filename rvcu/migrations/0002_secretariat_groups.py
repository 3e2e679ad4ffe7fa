"""The secretariat's roles as groups: staff status opens the admin, a group says what in it.

Neither group may change an account's staff status, groups or permissions (superusers only,
see accounts/admin.py), nor act for every city on the coordinator pages
(`cities.act_for_every_city`: no group has it).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view"]
MANAGE = ["add", "change", "delete", "view"]

GROUPS = {
    # Reads everything the review needs; publishes, archives, sends back. No accounts.
    "Secretariat reviewer": {
        "practices": {
            "practice": VIEW,
            "practicerevision": [*VIEW, "review"],
            "practiceattachment": VIEW,
            "objective": VIEW,
            "actionarea": VIEW,
            "sustainabledevelopmentgoal": VIEW,
        },
        "partnerships": {
            "partnership": VIEW,
            "partnershiprevision": [*VIEW, "review"],
            "participation": VIEW,
            "organisation": VIEW,
            "organisationrole": VIEW,
            "opencall": VIEW,
        },
        "cities": {"city": VIEW, "creativefield": VIEW},
        # The outbox: e-mails that failed are theirs to look at and send again.
        "core": {"outgoingmessage": VIEW},
    },
    # The network's members and the accounts of their coordinators (invited, renamed,
    # deactivated: never deleted, their history names them).
    "Network manager": {
        "cities": {"city": MANAGE, "creativefield": MANAGE},
        "partnerships": {"organisation": MANAGE},
        "accounts": {"user": ["add", "change", "view"]},
    },
}


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are made after every migration has run (post_migrate): on a new database
    # they do not exist yet.
    for label in ("accounts", "cities", "core", "practices", "partnerships"):
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    for name, models in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        codenames = {
            (app_label, f"{action}_{model}")
            for app_label, actions_by_model in models.items()
            for model, actions in actions_by_model.items()
            for action in actions
        }
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in sorted(codenames)
        ]
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rvcu", "0001_review_event"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("accounts", "0002_user_language"),
        ("cities", "0006_city_act_for_every_city_permission"),
        ("practices", "0010_practicerevision_review_permission"),
        ("partnerships", "0006_partnershiprevision_review_permission"),
        ("core", "0001_outgoing_message"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]

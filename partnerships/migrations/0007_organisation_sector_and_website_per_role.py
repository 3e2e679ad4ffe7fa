"""An organisation's sector and website move to its roles in partnership revisions: a draft
set them for every partnership naming the same organisation, published ones included."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

import rvcu.fields

SECTORS = [
    ("public", "Public body"),
    ("private", "Private company"),
    ("civil-society", "Civil society organisation"),
    ("research", "University or research body"),
    ("international", "International organisation"),
]


def copy_to_roles(apps, schema_editor):
    Organisation = apps.get_model("partnerships", "Organisation")
    OrganisationRole = apps.get_model("partnerships", "OrganisationRole")
    organisation = Organisation.objects.filter(pk=OuterRef("organisation_id"))
    OrganisationRole.objects.update(
        sector=Subquery(organisation.values("sector")[:1]),
        website=Subquery(organisation.values("website")[:1]),
    )


def copy_to_organisations(apps, schema_editor):
    """Each organisation takes the sector and website of a published role if it has one, else
    of its latest role."""
    Organisation = apps.get_model("partnerships", "Organisation")
    OrganisationRole = apps.get_model("partnerships", "OrganisationRole")
    roles = OrganisationRole.objects.annotate(
        published=models.Case(
            models.When(revision__state="published", then=1),
            default=0,
            output_field=models.IntegerField(),
        )
    ).order_by("organisation_id", "published", "pk")
    chosen = {}
    for organisation_id, sector, website in roles.values_list(
        "organisation_id", "sector", "website"
    ):
        chosen[organisation_id] = (sector, website)
    changed = []
    for organisation in Organisation.objects.filter(pk__in=chosen):
        organisation.sector, organisation.website = chosen[organisation.pk]
        changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["sector", "website"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("partnerships", "0006_partnershiprevision_review_permission"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisationrole",
            name="sector",
            field=models.CharField(
                choices=SECTORS,
                default="",
                max_length=20,
                verbose_name="sector",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="organisationrole",
            name="website",
            field=rvcu.fields.WebsiteField(blank=True, verbose_name="website"),
        ),
        migrations.RunPython(copy_to_roles, copy_to_organisations),
        # A default, so that undoing the removal can add the column back to existing rows.
        migrations.AlterField(
            model_name="organisation",
            name="sector",
            field=models.CharField(
                choices=SECTORS, default="", max_length=20, verbose_name="sector"
            ),
        ),
        migrations.RemoveField(model_name="organisation", name="sector"),
        migrations.RemoveField(model_name="organisation", name="website"),
    ]

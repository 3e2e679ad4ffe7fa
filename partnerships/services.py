"""Writes of the partnerships app: partnerships and their revisions, the cities invited to
them, and the partner organisations they share."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.permissions import can_act_for_city
from core.mail import email_people
from rvcu import revisions
from rvcu.review import ReviewAction

from .models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Partnership,
    PartnershipRevision,
)
from .permissions import can_answer_for, can_edit_partnership


def partnership_create(*, lead_city, title, by, organisations=(), open_calls=(), **content):
    """A new partnership led by `lead_city`, with a first draft revision.

    Many-to-many tags go in `content` as lists (fields, objectives, action_areas, sdgs);
    `organisations` are dicts (name, country, and the sector, website and role the partnership
    gives it), `open_calls` dicts of OpenCall fields.
    """
    if not can_act_for_city(by, lead_city):
        raise PermissionDenied(_("You do not coordinate this city."))
    if not lead_city.is_member:
        raise ValidationError(
            {
                "lead_city": _("%(city)s is not a member city of the network.")
                % {"city": lead_city.name}
            }
        )
    with transaction.atomic():
        partnership = Partnership.objects.create(lead_city=lead_city, created_by=by)
        Participation.objects.create(
            partnership=partnership,
            city=lead_city,
            role=ParticipationRole.LEAD,
            status=ParticipationStatus.ACCEPTED,
            invited_by=by,
            answered_by=by,
            answered_at=timezone.now(),
        )
        revision = revisions.save_content(
            PartnershipRevision(partnership=partnership, number=1),
            by=by,
            content={"title": title, "fields": [], **content},
        )
        _set_organisations(revision, organisations)
        _set_open_calls(revision, open_calls)
    return partnership, revision


def partnership_update(
    *, partnership, by, edited_version="", organisations=None, open_calls=None, **content
):
    """Save `content` as the partnership's editable revision (a new draft if the current one
    is published). Given `organisations` or `open_calls` replace the revision's own. Raises
    EditConflict if the content changed since the form showed `edited_version`."""
    with transaction.atomic():
        revision = partnership_revision_for_editing(
            partnership=partnership, by=by, edited_version=edited_version
        )
        revisions.save_content(revision, by=by, content=content)
        if organisations is not None:
            revision.organisation_roles.all().delete()
            _set_organisations(revision, organisations)
        if open_calls is not None:
            revision.open_calls.all().delete()
            _set_open_calls(revision, open_calls)
    return revision


def partnership_revision_for_editing(*, partnership, by, edited_version=""):
    if not can_edit_partnership(by, partnership):
        raise PermissionDenied(_("You cannot edit this partnership."))
    return revisions.revision_for_editing(
        partnership,
        by=by,
        under_review_message=_("This partnership is being reviewed: withdraw it to edit it again."),
        edited_version=edited_version,
    )


def partnership_submit(*, revision, by):
    return revisions.author_transition(
        revision,
        ReviewAction.SUBMIT,
        by=by,
        allowed=can_edit_partnership(by, revision.partnership),
    )


def partnership_withdraw(*, revision, by):
    return revisions.author_transition(
        revision,
        ReviewAction.WITHDRAW,
        by=by,
        allowed=can_edit_partnership(by, revision.partnership),
    )


partnership_request_changes = revisions.request_changes
partnership_publish = revisions.publish
partnership_archive = revisions.archive


def organisation_for(*, name, country):
    """The organisation of this name (whatever its case and accents) in `country`, created if
    the portal does not know it yet."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(
        name_key=Organisation.key_of(name), country=country
    ).first()
    if existing is not None:
        return existing
    organisation = Organisation(name=name, country=country)
    organisation.full_clean()
    organisation.save()
    return organisation


def _set_organisations(revision, organisations):
    seen = set()
    for entry in organisations:
        organisation = organisation_for(name=entry["name"], country=entry["country"])
        if organisation.pk in seen:
            raise ValidationError(
                _("%(organisation)s is listed twice.") % {"organisation": organisation.name},
                code="duplicate_organisation",
            )
        seen.add(organisation.pk)
        role = OrganisationRole(
            revision=revision,
            organisation=organisation,
            sector=entry["sector"],
            website=entry.get("website", ""),
            role=entry.get("role", ""),
        )
        role.full_clean(exclude=["revision"])
        role.save()


def _set_open_calls(revision, open_calls):
    for entry in open_calls:
        call = OpenCall(revision=revision, **entry)
        call.full_clean(exclude=["revision"])
        call.save()


# Cities taking part


def city_invite(*, partnership, city, by):
    """Invite the member `city` to take part; its coordinators are told by e-mail. A city that
    declined or left may be invited again."""
    if not can_edit_partnership(by, partnership):
        raise PermissionDenied(_("Only the lead city's coordinators can invite cities."))
    if not city.is_member:
        raise ValidationError(
            _("%(city)s is not a member city of the network.") % {"city": city.name},
            code="not_a_member",
        )
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update()
            .filter(partnership=partnership, city=city)
            .first()
        )
        if participation is None:
            participation = Participation(partnership=partnership, city=city)
        elif participation.status in (ParticipationStatus.INVITED, ParticipationStatus.ACCEPTED):
            raise ValidationError(
                _("%(city)s is already invited to this partnership.") % {"city": city.name},
                code="already_invited",
            )
        participation.status = ParticipationStatus.INVITED
        participation.invited_by = by
        participation.answered_by = None
        participation.answered_at = None
        participation.created_at = timezone.now()
        participation.save()
        _send_invitation_emails(participation)
    return participation


def participation_accept(*, participation, by):
    return _answer(participation, by, ParticipationStatus.INVITED, ParticipationStatus.ACCEPTED)


def participation_decline(*, participation, by):
    return _answer(participation, by, ParticipationStatus.INVITED, ParticipationStatus.DECLINED)


def participation_leave(*, participation, by):
    """A partner city stops taking part. The lead city cannot leave its own partnership."""
    if participation.role == ParticipationRole.LEAD:
        raise ValidationError(
            _("The lead city cannot leave its own partnership."), code="lead_cannot_leave"
        )
    return _answer(participation, by, ParticipationStatus.ACCEPTED, ParticipationStatus.LEFT)


def _answer(participation, by, expected, new_status):
    if not can_answer_for(by, participation):
        raise PermissionDenied(_("You do not coordinate this city."))
    with transaction.atomic():
        current = Participation.objects.select_for_update().get(pk=participation.pk)
        if current.status != expected:
            raise ValidationError(
                _("This is not possible: %(city)s is “%(status)s”.")
                % {"city": participation.city.name, "status": current.get_status_display()},
                code="invalid_answer",
            )
        participation.status = new_status
        participation.answered_by = by
        participation.answered_at = timezone.now()
        participation.save(update_fields=["status", "answered_by", "answered_at"])
    return participation


def _send_invitation_emails(participation):
    partnership = participation.partnership
    title = partnership.latest_revision().title
    people = participation.city.coordinators.filter(is_active=True).exclude(email="")

    def context_for(person):
        link = reverse("partnerships:my-partnership", kwargs={"pk": partnership.pk})
        return {
            "person": person,
            "title": title,
            "city": participation.city,
            "lead_city": partnership.lead_city,
            "link": f"{settings.SITE_URL}{link}",
        }

    return email_people(people.order_by("pk"), "partnerships/email/invitation", context_for)

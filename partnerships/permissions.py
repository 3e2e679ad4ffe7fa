from cities.permissions import can_act_for_city

from .models import ParticipationStatus


def can_edit_partnership(user, partnership):
    """The coordinators of the lead city, and who may act for every city, write the
    partnership and submit it."""
    return can_act_for_city(user, partnership.lead_city)


def can_answer_for(user, participation):
    """The coordinators of the participating city, and who may act for every city, accept,
    decline or leave."""
    return can_act_for_city(user, participation.city)


def involved_participations(user, partnership):
    """The participations of `partnership` whose city `user` coordinates and that still concern
    it (invited or taking part)."""
    if not user.is_authenticated or not user.is_active:
        return partnership.participations.none()
    return partnership.participations.filter(
        city__coordinators=user,
        status__in=[ParticipationStatus.INVITED, ParticipationStatus.ACCEPTED],
    ).select_related("city")


def can_follow_partnership(user, partnership):
    """Who sees the partnership before it is public: its editors, and the coordinators of a
    city invited to it or taking part in it."""
    return (
        can_edit_partnership(user, partnership)
        or involved_participations(user, partnership).exists()
    )

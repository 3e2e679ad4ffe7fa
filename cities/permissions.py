ACT_FOR_EVERY_CITY = "cities.act_for_every_city"


def can_act_for_every_city(user):
    """Who writes for any city on the coordinator pages (drafts, invitations, answers): the
    members of the secretariat (staff) who are superusers or given the permission. Staff status
    alone is not enough: the secretariat's work is in the admin, under its own permissions.
    (Coordinators are not staff: asking them costs no query.)"""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(ACT_FOR_EVERY_CITY)
    )


def can_act_for_city(user, city):
    """The city's own coordinators, and those who may act for every city, write for the city
    on the portal."""
    if not user.is_authenticated or not user.is_active:
        return False
    return can_act_for_every_city(user) or city.coordinators.filter(pk=user.pk).exists()


def can_edit_city(user, city):
    return can_act_for_city(user, city)

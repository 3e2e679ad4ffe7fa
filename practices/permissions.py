from cities.permissions import can_act_for_city


def can_edit_practice(user, practice):
    """The coordinators of the practice's city, and who may act for every city."""
    return can_act_for_city(user, practice.city)

from cities.permissions import can_act_for_city


def can_edit_practice(user, practice):
    """Staff, and the coordinators of the practice's city."""
    return can_act_for_city(user, practice.city)

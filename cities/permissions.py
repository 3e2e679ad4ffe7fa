def can_act_for_city(user, city):
    """Staff, and the city's own coordinators, may write for the city on the portal."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or city.coordinators.filter(pk=user.pk).exists()


def can_edit_city(user, city):
    return can_act_for_city(user, city)

def can_edit_city(user, city):
    """Staff, and the city's own coordinators, may edit its presentation."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    return city.coordinators.filter(pk=user.pk).exists()

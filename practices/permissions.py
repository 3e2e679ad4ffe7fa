def can_edit_practice(user, practice):
    """Staff, and the coordinators of the practice's city."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or practice.city.coordinators.filter(pk=user.pk).exists()

def filters_in_use(filterset):
    """Whether the person narrowed a list: a filter other than the sort order has a value, or
    the filters could not be read (so the page says "no match", not "nothing yet")."""
    if not filterset.is_valid():
        return filterset.is_bound
    return any(
        value not in (None, "", False)
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort"
    )

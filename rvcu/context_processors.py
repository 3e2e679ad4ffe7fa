from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_info, override


def _same_page(match):
    """The address of the page `match` resolved to, in the active language, or None."""
    if match is None or not match.url_name:
        return None
    try:
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return None


def language_links(request):
    """A link to the current page in each language, keeping the query string.

    Built from the view the address resolved to, never from the address as sent (which
    `translate_url` would keep): `//other.host/en/` must not become a link to another host. An
    address that resolved to nothing (a 404 page) links to each language's home page.
    """
    match = request.resolver_match
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            url = _same_page(match) or reverse("home")
        if query:
            url = f"{url}?{query}"
        links.append({"code": code, "url": url, "name": get_language_info(code)["name_local"]})
    return {"language_links": links}

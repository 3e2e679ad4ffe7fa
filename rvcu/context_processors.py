from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def language_links(request):
    """A link to the current page in each language, keeping the query string."""
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        if query:
            url = f"{url}?{query}"
        links.append({"code": code, "url": url, "name": get_language_info(code)["name_local"]})
    return {"language_links": links}

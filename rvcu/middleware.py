"""Input refused before any view reads it."""

import codecs

from django.core.exceptions import BadRequest

FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# Our pages are UTF-8, and so is every form a browser sends from them (Django itself refuses
# any other for a url-encoded form).
ACCEPTED_CHARSET = "utf-8"


class UnreadableInputMiddleware:
    """Answers 400 Bad Request, with the portal's error page, to a form in another character
    set than UTF-8 (a form read as UTF-7 or EBCDIC is not what the person typed; an unknown
    one cannot be read at all) and to a NUL character in any parameter or form value (every
    view would have to refuse it: PostgreSQL rejects it in a query, so an admin filter or a
    search given one failed with a server error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type in FORM_CONTENT_TYPES:
            _check_charset(request.content_params.get("charset"))
        _check_no_nul(request.GET)
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            _check_no_nul(request.POST)
            for upload in request.FILES.values():
                if "\x00" in (upload.name or ""):
                    raise BadRequest("NUL character in a file name")
        return self.get_response(request)


def _check_charset(charset):
    if charset is None:
        return
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        raise BadRequest(f"Unknown character set {charset[:40]!r}") from None
    if name != ACCEPTED_CHARSET:
        raise BadRequest(f"Form sent in the character set {name!r}, not UTF-8")


def _check_no_nul(parameters):
    for key, values in parameters.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise BadRequest("NUL character in the request's parameters")

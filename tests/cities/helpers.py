"""Reading the directory's HTML in tests."""

import html
import re

CARD_TITLE = re.compile(r'<h3 class="city-card__title"><a href="[^"]*">([^<]*)</a></h3>')
MAP_DOT = re.compile(r'<a href="([^"]*)" tabindex="-1"><title>[^<]*</title><circle ')


def listed_names(response):
    """Names of the city cards on the page, in order."""
    return [html.unescape(name) for name in CARD_TITLE.findall(response.content.decode())]


def map_dot_links(response):
    """The city page each dot of the map links to, in order."""
    return MAP_DOT.findall(response.content.decode())

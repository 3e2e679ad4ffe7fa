"""The language links (switcher and hreflang alternates) point to this site's own pages only, on
the production-like 404 page too (DEBUG off in the test settings)."""

import re

import pytest

pytestmark = pytest.mark.django_db

HOSTILE_PATHS = [
    "//xss.invalid/en/",
    "///xss.invalid/en/",
    "/\\xss.invalid/en/",
    "/\\/xss.invalid/en/",
    "//xss.invalid/fr/cities/",
    "/%2F%2Fxss.invalid/en/",
    "/%5Cxss.invalid/en/",
    "//xss.invalid",
]


def language_hrefs(content):
    """The href of every language link: the switcher's and the <link rel="alternate">s."""
    switcher = content.split('class="language-switcher"')[1].split("</nav>")[0]
    alternates = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]*)"', content)
    return re.findall(r'href="([^"]*)"', switcher) + alternates


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_not_found_page_links_only_to_this_site(client, path):
    # PATH_INFO as a server hands it over (decoded, slashes kept): the test client would read a
    # leading "//" as a host name.
    response = client.get("/", PATH_INFO=path)

    assert response.status_code == 404
    hrefs = language_hrefs(response.content.decode())
    assert len(hrefs) == 4
    assert sorted(hrefs) == ["/en/", "/en/", "/fr/", "/fr/"]


def test_not_found_page_with_encoded_slashes_links_only_to_this_site(client):
    response = client.get("/%2F%2Fxss.invalid/en/")

    assert response.status_code == 404
    assert sorted(language_hrefs(response.content.decode())) == ["/en/", "/en/", "/fr/", "/fr/"]


def test_not_found_page_keeps_the_query_on_this_site(client):
    response = client.get("/", {"q": "//xss.invalid"}, PATH_INFO="//xss.invalid/en/")

    hrefs = language_hrefs(response.content.decode())
    assert len(hrefs) == 4
    assert all(href.startswith(("/en/?", "/fr/?")) for href in hrefs)


def test_not_found_inside_a_known_page_links_to_that_page_in_each_language(client):
    response = client.get("/en/cities/no-such-city/")

    assert response.status_code == 404
    hrefs = language_hrefs(response.content.decode())
    assert sorted(hrefs) == ["/en/cities/no-such-city/"] * 2 + ["/fr/cities/no-such-city/"] * 2

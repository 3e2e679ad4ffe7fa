"""A search of thousands of words, on every public list: the first MAX_SEARCH_WORDS are used
(SQLite refused the query of a thousand), and the page says so."""

import pytest

from cities.text import MAX_SEARCH_WORDS
from tests.partnerships.factories import published_partnership
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db

LEFT_OUT = f"Only the first {MAX_SEARCH_WORDS} words you typed are searched."
LISTS = {
    "cities": ("/en/cities/", "Kraków"),
    "practices": ("/en/practices/", "Music in the libraries"),
    "partnerships": ("/en/partnerships/", "Literary residencies"),
}


@pytest.fixture
def content(krakow, dakar):
    published_practice(krakow, "Music in the libraries")
    published_partnership(krakow, "Literary residencies")


def words_for(page):
    """What finds the one entry of the list, then words that match nothing."""
    first = {"cities": "krakow", "practices": "music", "partnerships": "literary"}[page]
    return [first, *(f"word{number}" for number in range(2000))]


@pytest.mark.parametrize("page", LISTS)
def test_a_two_thousand_word_search_uses_the_first_words_and_says_so(client, content, page):
    url, title = LISTS[page]
    words = words_for(page)

    # Within the cap the other words narrow the search to nothing...
    narrowed = client.get(url, {"q": " ".join(words[:MAX_SEARCH_WORDS])})
    # ...beyond it they are left out, whatever they are.
    response = client.get(url, {"q": " ".join([words[0], *[title.split()[0]] * 2000])})
    everything = client.get(url, {"q": " ".join(words)})

    assert narrowed.status_code == 200
    assert title not in narrowed.content.decode()
    assert LEFT_OUT not in narrowed.content.decode()
    for long_search in (response, everything):
        assert long_search.status_code == 200
        assert LEFT_OUT in long_search.content.decode()
    assert title in response.content.decode()


@pytest.mark.parametrize("page", LISTS)
def test_a_search_within_the_cap_says_nothing_of_it(client, content, page):
    url, title = LISTS[page]

    response = client.get(url, {"q": words_for(page)[0]})

    content = response.content.decode()
    assert response.status_code == 200
    assert title in content
    assert LEFT_OUT not in content

"""Reading the practices' HTML in tests."""

import html
import re
from html.parser import HTMLParser

LIST = "/en/practices/"
NOTHING_PUBLISHED = "No practice has been published yet."
NO_MATCH = "No published practice matches these filters."
CARD_TITLE = re.compile(
    r'<h3 class="practice-card__title"(?: lang="[a-z]+")?><a href="([^"]*)">([^<]*)</a></h3>'
)
RESULTS_COUNT = re.compile(r'<h2 id="results-title"[^>]*>(.*?)</h2>', re.DOTALL)


def card_titles(response):
    """Titles of the practice cards on the page, in order."""
    return [html.unescape(title) for _url, title in CARD_TITLE.findall(response.content.decode())]


def card_links(response):
    return [url for url, _title in CARD_TITLE.findall(response.content.decode())]


def results_count(response):
    """The "N practices, page x of y" heading of the list, as plain text."""
    match = RESULTS_COUNT.search(response.content.decode())
    assert match, "no results count"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _LanguageReader(HTMLParser):
    """Each run of text of a page with the language it is in: the `lang` of the nearest element
    around it that has one."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, lang or None)
        self.texts = []  # (text, innermost tag, lang)

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if data.strip():
            lang = next((lang for _tag, lang in reversed(self.stack) if lang), None)
            tag = self.stack[-1][0] if self.stack else None
            self.texts.append((" ".join(data.split()), tag, lang))


def language_of(response, text, *, tag=None):
    """The language the page says `text` is written in: the `lang` of the nearest element around
    the first run of text containing it (in a `tag` element, if given)."""
    reader = _LanguageReader()
    reader.feed(response.content.decode())
    for run, run_tag, lang in reader.texts:
        if text in run and tag in (None, run_tag):
            return lang
    raise AssertionError(f"{text!r} is not on the page")

"""Reading the partnerships' pages and posting their forms in tests."""

import html
import re
from datetime import date
from html.parser import HTMLParser

from cities.models import CreativeField
from partnerships.models import Sector
from tests.factories import UserFactory

LIST = "/en/partnerships/"
NOTHING_PUBLISHED = "No partnership has been published yet."
NO_MATCH = "No published partnership matches these filters."
TITLE = "Literary residencies"
SLUG = "literary-residencies"
PUBLIC = f"/en/partnerships/{SLUG}/"
# The coordinators' pages name a partnership by its pk (see at()), never by a title.
MY_PAGE = "/en/my/partnerships/{pk}/"
EDIT = "/en/my/partnerships/{pk}/edit/"
SUBMIT = "/en/my/partnerships/{pk}/submit/"
WITHDRAW = "/en/my/partnerships/{pk}/withdraw/"
INVITE = "/en/my/partnerships/{pk}/invite/"
NEW = "/en/my/partnerships/new/"
DASHBOARD = "/en/my/"
LOGIN = "/en/accounts/login/"


def first_partnership():
    from partnerships.models import Partnership

    return Partnership.objects.order_by("pk").first()


def at(url, partnership=None):
    """The coordinators' page `url` of `partnership`, by default the first one created."""
    return url.format(pk=(partnership or first_partnership()).pk)


CARD_TITLE = re.compile(
    r'<h3 class="practice-card__title"(?: lang="[a-z]+")?><a href="([^"]*)">([^<]*)</a></h3>'
)

CALL = {
    "title": "Residencies 2025",
    "opens_on": date(2025, 1, 10),
    "closes_on": date(2025, 2, 10),
    "eligibility": "Writers living in a member city",
    "link": "https://apply.example.org",
}
THEATRE = {"name": "Teatr Stary", "sector": Sector.PUBLIC, "country": "PL", "role": "Stages it"}
PUBLISHER = {
    "name": "Éditions du Sahel",
    "sector": Sector.PRIVATE,
    "country": "SN",
    "website": "",
    "role": "Prints the anthology",
}


def _cards(response):
    return CARD_TITLE.findall(response.content.decode())


def partnership_titles(response):
    """Titles of the partnership cards on the page, in order."""
    return [
        html.unescape(title)
        for url, title in _cards(response)
        if re.match(r"^/[a-z]{2}/partnerships/", url)
    ]


def practice_titles(response):
    """Titles of the practice cards on the page, in order."""
    return [
        html.unescape(title)
        for url, title in _cards(response)
        if re.match(r"^/[a-z]{2}/practices/", url)
    ]


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def coordinator_of(city, **kwargs):
    person = UserFactory(**kwargs)
    city.coordinators.add(person)
    return person


def call(title, opens_on, closes_on, **extra):
    """An open call, as the services take it."""
    return {
        "title": title,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "eligibility": "Artists of member cities",
        "link": "https://apply.example.org",
        **extra,
    }


def organisation(name, sector=Sector.PUBLIC, country="PL", **extra):
    """A partner organisation, as the services take it."""
    return {"name": name, "sector": sector, "country": country, "role": "", **extra}


def _formset(prefix, rows, *, extra, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    for index in range(len(rows), len(rows) + extra):
        for name in (
            ("name", "sector", "country", "website", "role")
            if prefix == "organisations"
            else ("title", "opens_on", "closes_on", "eligibility", "link", "contact_email")
        ):
            data[f"{prefix}-{index}-{name}"] = ""
    return data


FORM_ORGANISATIONS = [
    {
        "name": "Kraków Public Library",
        "sector": "public",
        "country": "PL",
        "website": "https://library.example.org",
        "role": "Hosts the writers",
    },
    {
        "name": "Université Cheikh Anta Diop",
        "sector": "research",
        "country": "SN",
        "website": "",
        "role": "Studies the exchanges",
    },
]
FORM_CALLS = [
    {
        "title": "Residencies 2026",
        "opens_on": "2026-01-10",
        "closes_on": "2026-02-10",
        "eligibility": "Writers living in a member city",
        "link": "https://apply.example.org",
        "contact_email": "",
    }
]


def form_data(lead_city=None, *, organisations=None, calls=None, **overrides):
    """Everything the partnership form asks for, as a browser posts it: the main form
    (unprefixed), the organisations (prefix `organisations`, one empty row more) and the open
    calls (prefix `calls`, one empty row more)."""
    data = {
        "title": TITLE,
        "kind": "exchange",
        "fields": [CreativeField.objects.get(slug="literature").pk],
        "summary": "Writers of member cities spend a month in each other's city.",
        "description": "Each year, **four writers** travel between the cities.",
        "start_date": "2024-03-01",
        "end_date": "2026-12-31",
        "progress": "ongoing",
        "website": "https://residencies.example.org",
        "image_alt": "",
        "image_credit": "",
    }
    if lead_city is not None:
        data["lead_city"] = lead_city.pk
    data.update(
        _formset(
            "organisations",
            FORM_ORGANISATIONS if organisations is None else organisations,
            extra=1,
        )
    )
    data.update(_formset("calls", FORM_CALLS if calls is None else calls, extra=1))
    data.update(overrides)
    return data


def practice_form_data(city=None, **overrides):
    """What the practice form needs, as a browser posts it."""
    data = {
        "title": "Reading circles in prisons",
        "fields": [CreativeField.objects.get(slug="literature").pk],
        "language": "en",
        "summary": "Reading circles meet every week in the prisons of the city.",
        "challenge": "Inmates had no access to books.",
        "actions": "Writers lead weekly reading circles.",
        "results": "Three hundred inmates took part.",
        "transferability": "Any city with a prison and a library can start.",
        "year_started": "2018",
        "image_alt": "",
        "image_credit": "",
        "new_document_title": "",
    }
    if city is not None:
        data["city"] = city.pk
    data.update(overrides)
    return data


class _FormReader(HTMLParser):
    """The values a browser would post from the page's <form method="post" class="form">."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.values = {}
        self.select = None
        self.textarea = None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "form" in (attrs.get("class") or "").split():
            self.in_form = True
        if not self.in_form or "name" not in attrs and tag in ("input", "select", "textarea"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(attrs["name"], attrs.get("value", "on"))
            elif kind not in ("file", "submit", "button"):
                self._add(attrs["name"], attrs.get("value", ""))
        elif tag == "select":
            self.select = attrs["name"]
            self.values.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self._add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self._add(self.textarea, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][-1] += data


def form_values(response):
    """What the page's form would post as it is: {name: value or [values]}; a textarea's first
    newline is dropped, as browsers do."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    values = {}
    for name, items in reader.values.items():
        items = [item.removeprefix("\n") for item in items]
        values[name] = items if len(items) != 1 else items[0]
    return values

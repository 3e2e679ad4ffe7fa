"""axe-core (from the PyPI package axe-playwright-python, injected with page.evaluate so that a
Content-Security-Policy does not block it) on every page type, in English and in French: zero
violations of the WCAG 2.0 and 2.1 A and AA rules. A screenshot of each page type is written
to test-screenshots/ (1280 and 375 px wide)."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from partnerships import services as partnership_services
from practices import services as practice_services
from practices.models import Practice
from tests.factories import CityFactory, UserFactory
from tests.partnerships.factories import LIBRARY, draft_partnership, join, published_partnership
from tests.practices.factories import draft_practice, published_practice, secretariat

from .test_journeys import log_in

WCAG_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def portal(krakow):
    """A little network with one of everything a page can show."""
    durban = CityFactory(name="Durban", country="ZA", field_slug="literature")
    CityFactory(name="Seoul", country="KR", field_slug="music")
    practice = published_practice(krakow, "Poetry on the trams", fields=["literature"])
    today = timezone.localdate()
    partnership = published_partnership(
        krakow,
        "Literary residencies",
        organisations=[LIBRARY],
        open_calls=[
            {
                "title": "Residencies 2027",
                "opens_on": today - timedelta(days=3),
                "closes_on": today + timedelta(days=30),
                "eligibility": "Writers living in a member city.",
                "link": "https://example.org/apply",
                "contact_email": "",
            }
        ],
    )
    join(partnership.partnership, durban)
    coordinator = UserFactory(email="coordinator@krakow.example")
    krakow.coordinators.add(coordinator)
    draft = draft_practice(krakow, "Reading circles", by=coordinator)
    draft_partnership(krakow, "Translators' network", by=coordinator)
    invited = draft_partnership(durban, "Stories of the sea", by=secretariat())
    partnership_services.city_invite(partnership=invited.partnership, city=krakow, by=secretariat())
    return {
        "coordinator": coordinator,
        "practice": practice.practice.slug,
        "partnership": partnership.partnership.slug,
        "my_partnership": partnership.partnership.pk,
        "draft": draft.practice.pk,
        "invited": invited.partnership.pk,
    }


PUBLIC_PAGES = [
    ("home", "/{lang}/"),
    ("field", "/{lang}/fields/literature/"),
    ("directory", "/{lang}/cities/"),
    ("directory-no-result", "/{lang}/cities/?q=zzzzzz"),
    ("directory-words-left-out", "/{lang}/cities/?q=" + "+".join(["krakow"] * 13)),
    ("bad-request", "/{lang}/cities/?q=%00"),
    ("city", "/{lang}/cities/krakow/"),
    ("practice-list", "/{lang}/practices/"),
    ("practice", "/{lang}/practices/{practice}/"),
    ("partnership-list", "/{lang}/partnerships/"),
    ("partnership", "/{lang}/partnerships/{partnership}/"),
    ("network", "/{lang}/network/"),
    ("accessibility", "/{lang}/accessibility/"),
    ("login", "/{lang}/accounts/login/"),
    ("password-reset", "/{lang}/accounts/password/reset/"),
]
COORDINATOR_PAGES = [
    ("dashboard", "/{lang}/my/"),
    ("practice-form", "/{lang}/my/practices/new/"),
    ("my-practice", "/{lang}/my/practices/{draft}/"),
    ("partnership-form", "/{lang}/my/partnerships/new/"),
    ("my-partnership", "/{lang}/my/partnerships/{my_partnership}/"),
    ("invitation", "/{lang}/my/partnerships/{invited}/"),
]
# Forms sent empty, so that every error is shown.
FORMS_WITH_ERRORS = [
    ("practice-form-errors", "/{lang}/my/practices/new/"),
    ("partnership-form-errors", "/{lang}/my/partnerships/new/"),
    ("login-errors", "/{lang}/accounts/login/"),
]


def violations_of(page):
    results = Axe().run(page, options=WCAG_RULES)
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {' '.join(node['target'])}" for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_type_has_no_wcag_violation(page, live_server, portal, lang, screenshot):
    found = []

    def check(name, path):
        page.goto(live_server.url + path.format(lang=lang, **portal))
        assert page.locator("main").count() == 1, f"{name}: the page did not render"
        found.extend(violations_of(page))
        if lang == "en":
            screenshot(page, name)

    for name, path in PUBLIC_PAGES:
        check(name, path)
    page.goto(live_server.url + f"/{lang}/accounts/login/")
    page.locator('form [type="submit"]').last.click()  # the login form, empty
    found.extend(violations_of(page))
    if lang == "en":
        screenshot(page, "login-errors")

    log_in(page, live_server.url, portal["coordinator"])
    for name, path in COORDINATOR_PAGES:
        check(name, path)
    for name, path in FORMS_WITH_ERRORS[:2]:
        page.goto(live_server.url + path.format(lang=lang))
        page.locator('form.form [type="submit"]').click()
        assert page.locator(".error-summary").count() == 1, f"{name}: no error shown"
        found.extend(violations_of(page))
        if lang == "en":
            screenshot(page, name)
    # A save refused because someone else saved the draft meanwhile: both versions shown.
    page.goto(live_server.url + f"/{lang}/my/practices/{portal['draft']}/edit/")
    practice_services.practice_update(
        practice=Practice.objects.get(pk=portal["draft"]),
        by=portal["coordinator"],
        title=f"Reading circles ({lang})",
    )
    page.locator('form.form [type="submit"]').click()
    assert page.locator(".edit-conflict tbody tr").count() == 1, "edit conflict: not shown"
    found.extend(violations_of(page))
    if lang == "en":
        screenshot(page, "practice-form-edit-conflict")

    assert not found, "WCAG violations found by axe-core:\n" + "\n".join(found)

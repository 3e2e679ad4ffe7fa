"""Journeys through the portal in Chromium: a visitor (in English and in French), a coordinator
who shares a practice, a keyboard-only visitor, and a browser without JavaScript."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cities.models import CreativeField
from tests.factories import PASSWORD, CityFactory, UserFactory, image_bytes
from tests.practices.factories import published_practice, submitted_practice

PRACTICE_TITLE = "Poetry on the trams"
NEW_TITLE = "Reading circles in prisons"
NEW_SLUG = "reading-circles-in-prisons"
# A coordinator's page names the practice by its number: a draft has no address yet.
MY_NEW_PRACTICE = re.compile(r"/en/my/practices/\d+/$")
KEPT_MESSAGE = "Your picture “circles.png” is kept: you do not need to choose it again."
FOCUS_STYLE = """element => {
    const style = getComputedStyle(element);
    return {outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow};
}"""


@pytest.fixture
def literature_cities(krakow):
    """Kraków (Europe and North America) and Durban (Africa) in literature, Seoul in music;
    Kraków has one published practice."""
    CityFactory(name="Durban", country="ZA", field_slug="literature")
    CityFactory(name="Seoul", country="KR", field_slug="music")
    return published_practice(krakow, PRACTICE_TITLE, fields=["literature"])


@pytest.fixture
def coordinator(krakow):
    person = UserFactory(email="coordinator@krakow.example")
    krakow.coordinators.add(person)
    return person


def log_in(page, base_url, person):
    page.goto(f"{base_url}/en/accounts/login/")
    page.locator('[name="login"]').fill(person.email)
    page.locator('[name="password"]').fill(PASSWORD)
    page.locator('form [type="submit"]').last.click()
    expect(page).to_have_url(f"{base_url}/en/my/")


def fill_practice(page, *, year_started):
    """The practice form, with the required answers; the creative field is literature."""
    literature = CreativeField.objects.get(slug="literature")
    page.locator('[name="title"]').fill(NEW_TITLE)
    page.locator(f'input[name="fields"][value="{literature.pk}"]').check()
    page.locator('[name="summary"]').fill("Reading circles meet every week in the prisons.")
    page.locator('[name="challenge"]').fill("Inmates had no access to books.")
    page.locator('[name="actions"]').fill("Volunteers and writers lead weekly reading circles.")
    page.locator('[name="results"]').fill("Three hundred inmates took part in five years.")
    page.locator('[name="transferability"]').fill("Any city with a prison and a library.")
    page.locator('[name="year_started"]').fill(str(year_started))


def results_heading(page):
    return page.locator("#results-title").inner_text()


# a. A visitor finds a city's practice through the creative fields and the directory


@pytest.mark.parametrize("language", ["en", "fr"])
def test_visitor_goes_from_a_field_to_a_practice(
    page, live_server, literature_cities, screenshot, language
):
    base = live_server.url
    slug = literature_cities.practice.slug
    shoot = screenshot if language == "en" else (lambda page, page_type: None)

    page.goto(f"{base}/{language}/")
    shoot(page, "home")
    page.locator(f'a[href="/{language}/fields/literature/"]').first.click()

    expect(page).to_have_url(f"{base}/{language}/fields/literature/")
    shoot(page, "field")
    page.locator(f'a[href="/{language}/cities/?field=literature"]').click()

    expect(page).to_have_url(f"{base}/{language}/cities/?field=literature")
    expect(page.locator('a[href$="/cities/durban/"]').first).to_be_visible()
    expect(page.locator('a[href$="/cities/seoul/"]')).to_have_count(0)
    page.locator('select[name="region"]').select_option("europe-north-america")
    page.locator('form[role="search"] [type="submit"]').click()

    expect(page).to_have_url(re.compile(r"region=europe-north-america"))
    assert "field=literature" in page.url
    expect(page.locator('a[href$="/cities/durban/"]')).to_have_count(0)
    shoot(page, "directory")
    page.locator(f'a[href="/{language}/cities/krakow/"]').first.click()

    expect(page).to_have_url(f"{base}/{language}/cities/krakow/")
    shoot(page, "city")
    page.locator(f'a[href="/{language}/practices/{slug}/"]').first.click()

    expect(page).to_have_url(f"{base}/{language}/practices/{slug}/")
    expect(page.locator("h1")).to_have_text(PRACTICE_TITLE)
    expect(page.locator("html")).to_have_attribute("lang", language)
    shoot(page, "practice")


# b. A coordinator shares a practice, corrects a mistake, and submits it for review


def test_coordinator_shares_a_practice(
    page, browser, live_server, coordinator, media_files, screenshot
):
    base = live_server.url
    log_in(page, base, coordinator)
    page.goto(f"{base}/en/my/practices/new/")

    fill_practice(page, year_started=timezone.localdate().year + 1)
    page.locator('input[name="image"]').set_input_files(
        files=[{"name": "circles.png", "mimeType": "image/png", "buffer": image_bytes()}]
    )
    page.locator('[name="image_alt"]').fill("Inmates reading in a circle")
    page.locator('[name="image_credit"]').fill("City of Kraków")
    screenshot(page, "practice-form")
    page.get_by_role("button", name="Save the draft").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("year")
    expect(page.get_by_text(KEPT_MESSAGE)).to_be_visible()
    expect(page.locator('[name="title"]')).to_have_value(NEW_TITLE)
    expect(page.locator('[name="image_alt"]')).to_have_value("Inmates reading in a circle")
    expect(page.locator('[name="image_credit"]')).to_have_value("City of Kraków")
    screenshot(page, "practice-form-errors")
    page.locator('[name="year_started"]').fill("2018")
    page.get_by_role("button", name="Save the draft").click()

    expect(page).to_have_url(MY_NEW_PRACTICE)
    expect(page.locator(".state")).to_have_text("Draft")
    expect(page.locator("img")).not_to_have_count(0)
    screenshot(page, "my-practice")
    page.get_by_role("button", name="Submit for review").click()

    expect(page).to_have_url(MY_NEW_PRACTICE)
    expect(page.locator(".state")).to_have_text("Submitted for review")

    anonymous = browser.new_context()
    try:
        response = anonymous.new_page().goto(f"{base}/en/practices/{NEW_SLUG}/")
        assert response.status == 404
    finally:
        anonymous.close()


# c. The directory with the keyboard only


def test_directory_with_the_keyboard_only(page, live_server, literature_cities):
    page.goto(f"{live_server.url}/en/cities/")
    before = results_heading(page)

    page.keyboard.press("Tab")

    skip_link = page.locator(":focus")
    expect(skip_link).to_have_class(re.compile(r"\bskip-link\b"))
    box = skip_link.bounding_box()
    viewport = page.viewport_size
    assert box and box["width"] > 0 and box["height"] > 0
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"]
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"]
    page.keyboard.press("Enter")

    expect(page.locator(":focus")).to_have_id("main")
    region = page.locator('select[name="region"]')
    tab_until(page, region)
    assert_focus_is_visible(region)
    page.keyboard.press("ArrowDown")  # "All regions" → "Africa"
    expect(region).to_have_value("africa")
    submit = page.locator('form[role="search"] [type="submit"]')
    tab_until(page, submit)
    assert_focus_is_visible(submit)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"region=africa"))
    expect(page.locator("#results-title")).not_to_have_text(before)
    expect(page.locator('a[href="/en/cities/durban/"]').first).to_be_visible()
    expect(page.locator('a[href="/en/cities/krakow/"]')).to_have_count(0)


def tab_until(page, locator, presses=40):
    """Press Tab until `locator` has the focus."""
    for _ in range(presses):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} never got the focus in {presses} presses of Tab")


def assert_focus_is_visible(locator):
    style = locator.evaluate(FOCUS_STYLE)
    has_outline = style["outline"] != "none" and style["width"] not in ("0px", "")
    assert has_outline or style["shadow"] != "none", style


# d. Without JavaScript, everything still works


@pytest.fixture
def no_javascript(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_directory_and_language_switch_without_javascript(no_javascript, live_server, krakow):
    page = no_javascript
    base = live_server.url
    CityFactory.create_batch(30, country="FR", field_slug="music")
    CityFactory(name="Durban", country="ZA", field_slug="literature")

    page.goto(f"{base}/en/cities/")
    expect(page.locator("#results-title")).to_contain_text("32 cities")
    page.locator('a[rel="next"]').first.click()

    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    expect(page.locator("#results-title")).to_contain_text("page 2 of 2")
    page.locator('select[name="region"]').select_option("africa")
    page.locator('form[role="search"] [type="submit"]').click()

    expect(page).to_have_url(re.compile(r"region=africa"))
    expect(page.locator("#results-title")).to_contain_text("1 city")
    page.goto(f"{base}/en/cities/krakow/")
    page.locator('a[hreflang="fr"]').first.click()

    expect(page).to_have_url(f"{base}/fr/cities/krakow/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator('a[hreflang="en"]').first.click()

    expect(page).to_have_url(f"{base}/en/cities/krakow/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_coordinator_form_without_javascript(no_javascript, live_server, coordinator):
    page = no_javascript
    base = live_server.url
    log_in(page, base, coordinator)
    page.goto(f"{base}/en/my/practices/new/")

    fill_practice(page, year_started=2018)
    page.get_by_role("button", name="Save the draft").click()

    expect(page).to_have_url(MY_NEW_PRACTICE)
    expect(page.locator(".state")).to_have_text("Draft")


# f. The secretariat sends a practice back; the coordinator (in French) corrects it and submits
#    it again; the secretariat publishes it; a visitor finds it by full-text search.


def admin_log_in(page, base_url, person):
    """The admin sends to the portal's login page (and its rate limits), then back."""
    page.goto(f"{base_url}/admin/")
    expect(page).to_have_url(re.compile(r"/en/accounts/login/\?next="))
    page.locator('[name="login"]').fill(person.email)
    page.locator('[name="password"]').fill(PASSWORD)
    page.locator('form [type="submit"]').last.click()
    expect(page).to_have_url(f"{base_url}/admin/")


def decide(page, base_url, title, decision, message=""):
    """In the admin: open the review queue, the review page of `title`, take `decision`."""
    page.goto(f"{base_url}/admin/")
    page.get_by_role("link", name="Practice revisions").first.click()
    row = page.locator("#result_list tr", has_text=title)
    expect(row.locator("td.field-state")).to_have_text("Submitted for review")
    row.get_by_role("link", name="Review", exact=True).click()
    page.get_by_label(decision, exact=True).check()
    if message:
        page.locator('[name="message"]').fill(message)
    page.get_by_role("button", name="Apply the decision").click()
    expect(page.locator(".messagelist")).to_contain_text(f"{decision}: done")


def test_secretariat_sends_back_then_publishes_a_practice(
    page, browser, live_server, krakow, coordinator, screenshot
):
    base = live_server.url
    revision = submitted_practice(
        krakow, "Puppet theatre in hospitals", by=coordinator, results="Children laughed."
    )
    number = revision.practice.pk
    staff = UserFactory(email="secretariat@unesco.example", is_staff=True, is_superuser=True)

    admin_log_in(page, base, staff)
    decide(page, base, "Puppet theatre in hospitals", "Request changes", "Give figures, please.")

    coordinator_context = browser.new_context(locale="fr-FR")
    try:
        own = coordinator_context.new_page()
        log_in(own, base, coordinator)
        own.goto(f"{base}/fr/my/")
        own.locator(f'a[href="/fr/my/practices/{number}/"]').click()
        expect(own.locator(".state")).to_have_text("Modifications demandées")
        expect(own.locator(".review-panel__message")).to_contain_text("Give figures, please.")
        screenshot(own, "my-practice-changes-requested")
        own.locator(f'a[href="/fr/my/practices/{number}/edit/"]').click()
        expect(own.locator('[name="title"]')).to_have_value("Puppet theatre in hospitals")
        own.locator('[name="results"]').fill(
            "Marionettes visited 1,400 children in three hospitals in 2024."
        )
        own.locator('form.form [type="submit"]').click()
        expect(own).to_have_url(f"{base}/fr/my/practices/{number}/")
        own.locator(f'form[action="/fr/my/practices/{number}/submit/"] button').click()
        expect(own.locator(".state")).to_have_text("Soumise à l'examen")
    finally:
        coordinator_context.close()

    decide(page, base, "Puppet theatre in hospitals", "Publish")

    visitor = browser.new_context()
    try:
        public = visitor.new_page()
        public.goto(f"{base}/en/practices/")
        public.locator('[name="q"]').fill("marionettes hospitals")
        public.locator('form[role="search"] [type="submit"]').click()
        expect(public.locator("#results-title")).to_contain_text("1 practice")
        public.get_by_role("link", name="Puppet theatre in hospitals").click()
        # The address is made from the title at the publication.
        expect(public).to_have_url(f"{base}/en/practices/puppet-theatre-in-hospitals/")
        expect(public.locator(".prose").nth(2)).to_contain_text("1,400 children")
    finally:
        visitor.close()


# g. A coordinator starts a partnership with a partner organisation and a call, corrects a
#    date, invites a city whose coordinator accepts; once published, visitors find the call.


def test_partnership_from_draft_to_open_call(
    page, browser, live_server, krakow, dakar, coordinator, screenshot
):
    base = live_server.url
    today = timezone.localdate()
    dakar_coordinator = UserFactory(email="coordinator@dakar.example")
    dakar.coordinators.add(dakar_coordinator)
    staff = UserFactory(email="secretariat@unesco.example", is_staff=True, is_superuser=True)

    log_in(page, base, coordinator)
    page.locator('a[href="/en/my/partnerships/new/?city=krakow"]').click()
    page.locator('[name="title"]').fill("Comics across continents")
    page.locator('[name="kind"]').select_option("exchange")
    page.get_by_label("Literature", exact=True).check()
    page.locator('[name="summary"]').fill("Comic artists of Kraków and Dakar swap studios.")
    page.locator('textarea[name="description"]').fill("Two artists a year, **three months** each.")
    page.locator('[name="start_date"]').fill("2026-01-15")
    page.locator('[name="progress"]').select_option("ongoing")
    page.locator('[name="organisations-0-name"]').fill("Dakar Comics Centre")
    page.locator('[name="organisations-0-sector"]').select_option("civil-society")
    page.locator('[name="organisations-0-country"]').select_option("SN")
    page.locator('[name="organisations-0-role"]').fill("Hosts the artists")
    page.locator('[name="calls-0-title"]').fill("Studio swap 2027")
    page.locator('[name="calls-0-opens_on"]').fill(today.isoformat())
    page.locator('[name="calls-0-closes_on"]').fill("2020-01-01")
    page.locator('[name="calls-0-eligibility"]').fill("Comic artists of a member city.")
    page.locator('[name="calls-0-link"]').fill("https://example.org/apply")
    page.get_by_role("button", name="Save the draft").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("The closing date cannot be before the opening date.")
    expect(page.locator('[name="organisations-0-name"]')).to_have_value("Dakar Comics Centre")
    expect(page.locator('[name="calls-0-title"]')).to_have_value("Studio swap 2027")
    summary.get_by_role("link").first.click()
    expect(page.locator('[name="calls-0-closes_on"]')).to_be_focused()
    page.locator('[name="calls-0-closes_on"]').fill((today + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Save the draft").click()

    # The address keeps the #fragment of the error summary's link, as browsers do on redirects.
    expect(page).to_have_url(re.compile(r"/en/my/partnerships/\d+/(#.*)?$"))
    page.locator('[name="city"]').select_option(label="Dakar (Senegal)")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Dakar is invited")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".state").first).to_have_text("Submitted for review")
    screenshot(page, "my-partnership-submitted")

    invited = browser.new_context()
    try:
        other = invited.new_page()
        log_in(other, base, dakar_coordinator)
        other.get_by_role("button", name="Accept “Comics across continents”").click()
        expect(other.locator(".messages")).to_contain_text("Dakar takes part")
    finally:
        invited.close()

    staff_context = browser.new_context()
    try:
        admin = staff_context.new_page()
        admin_log_in(admin, base, staff)
        admin.goto(f"{base}/admin/partnerships/partnershiprevision/")
        row = admin.locator("#result_list tr", has_text="Comics across continents")
        row.get_by_role("link", name="Review", exact=True).click()
        admin.get_by_label("Publish", exact=True).check()
        admin.get_by_role("button", name="Apply the decision").click()
        expect(admin.locator(".messagelist")).to_contain_text("Publish: done")
    finally:
        staff_context.close()

    visitor = browser.new_context()
    try:
        public = visitor.new_page()
        public.goto(f"{base}/en/partnerships/")
        public.get_by_role("link", name="Calls for applications open today").click()
        expect(public.locator("#results-title")).to_contain_text("1 partnership")
        public.get_by_role("link", name="Comics across continents").click()
        expect(public.locator("main")).to_contain_text("Open now")
        expect(public.locator("main")).to_contain_text("Dakar Comics Centre")
        expect(public.get_by_role("heading", name="Civil society organisation")).to_be_visible()
        expect(public.locator("main").get_by_role("link", name="Dakar", exact=True)).to_be_visible()
    finally:
        visitor.close()

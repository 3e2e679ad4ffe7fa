"""The Content-Security-Policy in Chromium: the public pages, the login page and the Django
admin load their styles and scripts, and the browser reports no violation of the policy."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.practices.factories import published_practice, submitted_practice

from .test_journeys import admin_log_in

# Added to every page before its own scripts run: the browser fires `securitypolicyviolation`
# for each thing the policy blocks, inline style attributes included.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
    window.cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
        + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`
    );
});
"""


@pytest.fixture
def watched(context):
    """Every page of the context records the violations and the console's CSP errors."""
    context.add_init_script(WATCH_VIOLATIONS)
    console_errors = []
    context.on(
        "console",
        lambda message: (
            console_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return console_errors


def visit(page, url, console_errors):
    """Open `url`; return what the policy blocked there (an empty list when nothing)."""
    console_errors.clear()
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("load")
    stylesheet_rules = page.evaluate(
        "Array.from(document.styleSheets).reduce((n, sheet) => n + sheet.cssRules.length, 0)"
    )
    assert stylesheet_rules > 0, f"{url}: no stylesheet was applied"
    return page.evaluate("window.cspViolations") + console_errors


@pytest.fixture
def portal(krakow):
    practice = published_practice(krakow, "Poetry on the trams", fields=["literature"])
    staff = UserFactory(email="admin@unesco.example", is_staff=True, is_superuser=True)
    submitted = submitted_practice(krakow, "Puppet theatre in hospitals")
    return {"practice": practice.practice.slug, "staff": staff, "submitted": submitted}


PUBLIC_PAGES = [
    "/en/",
    "/en/cities/",
    "/en/cities/krakow/",
    "/en/practices/",
    "/en/practices/{practice}/",
    "/en/accounts/login/",
]


def test_public_pages_break_no_rule_of_the_policy(page, live_server, portal, watched):
    blocked = {
        path: found
        for path in PUBLIC_PAGES
        if (found := visit(page, live_server.url + path.format(**portal), watched))
    }

    assert blocked == {}


def test_admin_works_under_the_policy(page, live_server, krakow, portal, watched, screenshot):
    admin_log_in(page, live_server.url, portal["staff"])
    blocked = {}

    for path in (
        "/admin/",
        "/admin/cities/city/",
        f"/admin/cities/city/{krakow.pk}/change/",
        "/admin/practices/practicerevision/",
        reverse("admin:practices_practicerevision_review", args=[portal["submitted"].pk]),
    ):
        if found := visit(page, live_server.url + path, watched):
            blocked[path] = found
    # The admin's own scripts run: "select all" ticks every row and counts them.
    page.goto(f"{live_server.url}/admin/cities/city/")
    page.locator("#action-toggle").check()
    assert page.locator(".action-counter").inner_text() == "1 of 1 selected"
    screenshot(page, "admin-city-list")
    blocked.update({"select all": page.evaluate("window.cspViolations")})

    assert blocked == {"select all": []}


def test_a_violation_would_be_seen(page, live_server, portal, watched):
    """The watch above is not blind: a style attribute added to a page is caught."""
    visit(page, live_server.url + "/en/", watched)

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.cspViolations.length > 0")

    assert page.evaluate("window.cspViolations")[0].startswith("style-src-attr blocked inline")

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "title", "footer_link"),
    [
        ("/en/accessibility/", "Accessibility statement", "Accessibility: aimed at WCAG 2.1 AA"),
        (
            "/fr/accessibility/",
            "Déclaration d'accessibilité",
            "Accessibilité\u00a0: objectif WCAG 2.1 AA",
        ),
    ],
)
def test_statement_is_served_and_linked_from_every_footer(client, url, title, footer_link):
    response = client.get(url)
    home = client.get(url.replace("accessibility/", ""))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="page-header__title">{title}</h1>' in content.replace("&#x27;", "'")
    assert "WCAG" in content
    assert f'href="{url}"' in home.content.decode()
    assert footer_link in home.content.decode().replace("&#x27;", "'")


def test_statement_gives_the_configured_address_to_report_a_barrier(client, settings):
    settings.RVCU_CONTACT_EMAIL = "access@network.example"

    content = client.get("/en/accessibility/").content.decode()

    assert '<a href="mailto:access@network.example">access@network.example</a>' in content


def test_statement_needs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/en/accessibility/")

    assert response.status_code == 200

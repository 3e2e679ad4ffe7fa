"""A coordinator's practice pages: /my/practices/new/, /my/practices/<pk>/ (with /edit/,
/submit/ and /withdraw/), and the practices on the dashboard /my/."""

import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from PIL import Image
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from cities.models import CreativeField
from core.models import OutgoingMessage
from practices import services
from practices.models import (
    ActionArea,
    Objective,
    Practice,
    PracticeAttachment,
    PracticeRevision,
    SustainableDevelopmentGoal,
)
from rvcu.models import ReviewEvent
from rvcu.review import ReviewState
from tests.factories import PROBE_HTML, UserFactory, acting_staff, image_upload, pdf_bytes
from tests.practices.factories import (
    SECRETARIAT_EMAIL,
    draft_practice,
    published_practice,
    secretariat,
    sent_back_practice,
    submitted_practice,
)

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
NEW = "/en/my/practices/new/"
DASHBOARD = "/en/my/"
TITLE = "Reading circles in prisons"
SLUG = "reading-circles-in-prisons"
# The coordinator's pages name a practice by its pk (see at()), never by a title.
MY_PAGE = "/en/my/practices/{pk}/"
EDIT = "/en/my/practices/{pk}/edit/"
SUBMIT = "/en/my/practices/{pk}/submit/"
WITHDRAW = "/en/my/practices/{pk}/withdraw/"
PUBLIC = f"/en/practices/{SLUG}/"
KEPT_TOKEN = re.compile(r'<input type="hidden" name="image_kept" value="([^"]*)"')
KEPT_MESSAGE = "Your picture “{name}” is kept: you do not need to choose it again."
NOT_SAVED = "The practice is not saved yet: see the errors."
NOT_AN_IMAGE = "This file is not an image."
DAMAGED = "This image is damaged or incomplete and cannot be opened."
NOT_A_PDF = "This file is not a complete PDF document."
SCRIPT_IN_PDF = "This PDF contains scripts (JavaScript), which are not accepted."
UNDER_REVIEW = "This practice is being reviewed: withdraw it to edit it again."
PDF = pdf_bytes()


@pytest.fixture
def draft(krakow, coordinator):
    """A draft of Kraków, written by its coordinator."""
    return draft_practice(krakow, TITLE, by=coordinator)


@pytest.fixture
def submitted(krakow, coordinator):
    return submitted_practice(krakow, TITLE, by=coordinator)


def form_data(city=None, **overrides):
    """Everything the practice form asks for, as a browser posts it."""
    data = {
        "title": TITLE,
        "fields": [CreativeField.objects.get(slug="literature").pk],
        "language": "en",
        "summary": "Reading circles meet every week in the prisons of the city.",
        "challenge": "Inmates had no access to books or to cultural life.",
        "actions": "Volunteers and writers lead **weekly** reading circles.",
        "results": "Three hundred inmates took part in five years.",
        "transferability": "Any city with a prison and a library can start with one circle.",
        "year_started": "2018",
        "is_ongoing": "on",
        "partners": "The prison service",
        "target_groups": "Inmates and their families",
        "reaches_vulnerable_groups": "on",
        "budget_range": "10k-100k",
        "contact_role": "Head of the literature office",
        "links": "https://example.org/circles\nhttps://example.org/report",
        "objectives": [Objective.objects.get(code="access-to-cultural-life").pk],
        "action_areas": [ActionArea.objects.get(code="sharing-good-practices").pk],
        "sdgs": [SustainableDevelopmentGoal.objects.get(code="quality-education").pk],
        "image_alt": "",
        "image_credit": "",
        "new_document_title": "",
    }
    if city is not None:
        data["city"] = city.pk
    data.update(overrides)
    return data


def kept_token(response):
    match = KEPT_TOKEN.search(response.content.decode())
    assert match, "no image_kept hidden input with a value"
    return match.group(1)


def javascript_on_open(writer):
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1);"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def kept_files(media_root):
    """The kept uploads: in the private storage beside the test's media, never in the media."""
    assert not (media_root / "kept-uploads").exists()
    folder = Path(settings.RVCU_PRIVATE_MEDIA_ROOT) / "kept-uploads"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def first_practice():
    return Practice.objects.order_by("pk").first()


def at(url, practice=None):
    """The coordinator's page `url` of `practice`, by default the first one created."""
    return url.format(pk=(practice or first_practice()).pk)


def latest(practice=None):
    return (practice or first_practice()).revisions.order_by("-number")[0]


def events(revision):
    return list(
        ReviewEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(PracticeRevision),
            object_id=revision.pk,
        ).values_list("action", flat=True)
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def truncated_png():
    buffer = io.BytesIO()
    Image.effect_noise((200, 150), 64).convert("RGB").save(buffer, format="PNG")
    content = buffer.getvalue()
    return content[: len(content) // 2]


# The permission ladder: pages


@pytest.mark.parametrize("url", [NEW, MY_PAGE, EDIT])
def test_pages_anonymous_redirects_to_login(client, draft, url):
    response = client.get(at(url))

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote(at(url))}"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("staff", 200),
        ("other-coordinator", 404),
        ("user", 404),
        ("plain-staff", 404),
    ],
)
@pytest.mark.parametrize("url", [MY_PAGE, EDIT])
def test_practice_pages_by_role(log_in_as, client, draft, role, status, url):
    log_in_as(role)

    response = client.get(at(url))

    assert response.status_code == status
    assert (TITLE in response.content.decode()) is (status == 200)


def test_my_practice_page_shows_state_and_actions(client, coordinator, draft):
    client.force_login(coordinator)

    content = client.get(at(MY_PAGE)).content.decode()

    assert '<span class="state state--draft">Draft</span>' in content
    assert f'action="{at(SUBMIT)}"' in content
    assert f'href="{at(EDIT)}"' in content
    assert f'action="{at(WITHDRAW)}"' not in content
    assert draft.results in content


@pytest.mark.parametrize(
    ("role", "offered", "not_offered"),
    [
        ("coordinator", ["Kraków (PL)"], ["Dakar (SN)"]),
        ("other-coordinator", ["Dakar (SN)"], ["Kraków (PL)"]),
        ("staff", ["Dakar (SN)", "Kraków (PL)"], []),
    ],
)
def test_new_page_offers_the_cities_the_person_may_write_for(
    log_in_as, client, role, offered, not_offered
):
    log_in_as(role)

    response = client.get(NEW)

    content = response.content.decode()
    assert response.status_code == 200
    select = re.search(r'<select name="city".*?</select>', content, re.DOTALL).group(0)
    for name in offered:
        assert f">{name}</option>" in select
    for name in not_offered:
        assert f">{name}</option>" not in select


def test_plain_staff_may_not_act_for_a_city(log_in_as, client, draft, krakow):
    """Staff status opens the admin, not the coordinator pages of every city."""
    log_in_as("plain-staff")

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(krakow)).status_code == 403
    assert client.post(at(EDIT), form_data(krakow, title="Taken over")).status_code == 404
    assert client.post(at(SUBMIT)).status_code == 404
    assert latest().title == TITLE
    assert latest().state == ReviewState.DRAFT
    assert Practice.objects.count() == 1


def test_superuser_acts_for_every_city(client, draft, staff_user):
    client.force_login(staff_user)

    assert client.get(at(MY_PAGE)).status_code == 200
    assert client.post(at(SUBMIT)).status_code == 302
    assert latest().state == ReviewState.SUBMITTED


def test_new_page_is_refused_to_a_person_without_a_city(log_in_as, client):
    log_in_as("user")

    assert client.get(NEW).status_code == 403


def test_new_page_preselects_the_city_of_the_link(log_in_as, client, dakar):
    log_in_as("staff")

    content = client.get(f"{NEW}?city=dakar").content.decode()

    assert f'<option value="{dakar.pk}" selected>Dakar (SN)</option>' in content


def test_unknown_practice_is_404_even_for_staff(log_in_as, client):
    log_in_as("staff")

    assert client.get("/en/my/practices/999999/").status_code == 404
    assert client.get("/en/my/practices/999999/edit/").status_code == 404
    assert client.post("/en/my/practices/999999/submit/").status_code == 404


def test_edit_post_by_another_city_changes_nothing(log_in_as, client, draft):
    log_in_as("other-coordinator")

    response = client.post(at(EDIT), form_data(title="Hijacked"))

    assert response.status_code == 404
    assert latest().title == TITLE
    assert PracticeRevision.objects.count() == 1


# The permission ladder: submit and withdraw


@pytest.mark.parametrize("url", [SUBMIT, WITHDRAW])
def test_transitions_anonymous_redirects_and_changes_nothing(client, submitted, url):
    response = client.post(at(url))

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote(at(url))}"
    assert latest().state == ReviewState.SUBMITTED


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("coordinator", True), ("staff", True), ("other-coordinator", False), ("user", False)],
)
def test_submit_by_role(log_in_as, client, draft, role, allowed):
    log_in_as(role)

    response = client.post(at(SUBMIT))

    if allowed:
        assert response.status_code == 302
        assert response["Location"] == at(MY_PAGE)
        assert latest().state == ReviewState.SUBMITTED
        assert events(draft) == ["submit"]
    else:
        assert response.status_code == 404
        assert latest().state == ReviewState.DRAFT
        assert events(draft) == []


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("coordinator", True), ("staff", True), ("other-coordinator", False), ("user", False)],
)
def test_withdraw_by_role(log_in_as, client, submitted, role, allowed):
    log_in_as(role)

    response = client.post(at(WITHDRAW))

    if allowed:
        assert response.status_code == 302
        assert response["Location"] == at(MY_PAGE)
        assert latest().state == ReviewState.DRAFT
        assert events(submitted) == ["submit", "withdraw"]
    else:
        assert response.status_code == 404
        assert latest().state == ReviewState.SUBMITTED
        assert events(submitted) == ["submit"]


@pytest.mark.parametrize("action", ["publish", "request_changes", "archive", "delete"])
def test_coordinator_cannot_take_other_actions_through_the_url(
    client, coordinator, submitted, action
):
    client.force_login(coordinator)

    response = client.post(f"/en/my/practices/{first_practice().pk}/{action}/")

    assert response.status_code == 404
    assert latest().state == ReviewState.SUBMITTED
    assert Practice.objects.published().count() == 0


@pytest.mark.parametrize("url", [SUBMIT, WITHDRAW])
def test_transitions_refuse_get(client, coordinator, draft, url):
    client.force_login(coordinator)

    assert client.get(at(url)).status_code == 405
    assert latest().state == ReviewState.DRAFT


def test_submitting_twice_is_refused_with_a_message(client, coordinator, submitted):
    client.force_login(coordinator)

    response = client.post(at(SUBMIT), follow=True)

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == ["This practice was already submitted."]
    assert latest().state == ReviewState.SUBMITTED
    assert events(submitted) == ["submit"]


def test_withdrawing_a_draft_is_refused_with_a_message(client, coordinator, draft):
    client.force_login(coordinator)

    response = client.post(at(WITHDRAW), follow=True)

    assert messages_of(response) == [
        "“Withdraw the submission” is not possible for an item that is “Draft”."
    ]
    assert latest().state == ReviewState.DRAFT


# Creating a practice through the form


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_create_practice_through_the_form(log_in_as, client, krakow, media_root, role):
    person = log_in_as(role)

    response = client.post(
        NEW,
        form_data(
            krakow,
            image=image_upload("circle.png"),
            image_alt="Inmates reading in a circle",
            image_credit="Photo: City of Kraków",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == ["Your draft is saved. Submit it for review when it is ready."]
    practice = Practice.objects.get()
    revision = practice.revisions.get()
    assert (practice.slug, practice.city, practice.created_by) == (None, krakow, person)
    assert practice.published_revision is None
    assert (revision.number, revision.state, revision.author) == (1, ReviewState.DRAFT, person)
    assert revision.title == TITLE
    assert revision.year_started == 2018
    assert revision.is_ongoing is True
    assert revision.reaches_vulnerable_groups is True
    assert revision.budget_range == "10k-100k"
    assert revision.link_list == ["https://example.org/circles", "https://example.org/report"]
    assert [field.slug for field in revision.fields.all()] == ["literature"]
    assert [tag.code for tag in revision.objectives.all()] == ["access-to-cultural-life"]
    assert [tag.code for tag in revision.action_areas.all()] == ["sharing-good-practices"]
    assert [tag.code for tag in revision.sdgs.all()] == ["quality-education"]
    assert (revision.image_alt, revision.image_credit) == (
        "Inmates reading in a circle",
        "Photo: City of Kraków",
    )
    assert revision.image.name.startswith("pictures/practicerevision/")
    with Image.open(media_root / revision.image.name) as picture:
        assert (picture.format, picture.size) == ("WEBP", (16, 12))
    assert (media_root / revision.image_card.name).is_file()
    assert (media_root / revision.image_page.name).is_file()
    assert client.get(PUBLIC).status_code == 404


def test_created_practice_preview_shows_markdown_and_picture(client, krakow, coordinator):
    client.force_login(coordinator)
    client.post(
        NEW,
        form_data(
            krakow,
            image=image_upload("circle.png"),
            image_alt="Inmates reading in a circle",
            image_credit="Photo: City of Kraków",
        ),
    )

    content = client.get(at(MY_PAGE)).content.decode()

    assert "<strong>weekly</strong>" in content
    assert 'alt="Inmates reading in a circle"' in content
    assert "Photo: City of Kraków" in content


def test_create_for_a_city_the_person_does_not_coordinate_is_refused(log_in_as, client, krakow):
    log_in_as("other-coordinator")

    response = client.post(NEW, form_data(krakow))

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Practice.objects.exists()


def test_create_by_a_person_without_a_city_is_refused(log_in_as, client, krakow):
    log_in_as("user")

    response = client.post(NEW, form_data(krakow))

    assert response.status_code == 403
    assert not Practice.objects.exists()


def test_create_anonymous_post_saves_nothing(client, krakow):
    response = client.post(NEW, form_data(krakow))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    assert not Practice.objects.exists()


def test_create_a_title_like_the_new_page_gets_another_slug(client, krakow, coordinator):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, title="New"))

    assert response.status_code == 302
    assert Practice.objects.get().slug != "new"
    assert client.get(NEW).status_code == 200


# A form error keeps everything


def assert_typed_values_kept(content):
    assert f'value="{TITLE}"' in content
    assert "Reading circles meet every week in the prisons of the city." in content
    assert "Inmates had no access to books or to cultural life." in content
    assert "Volunteers and writers lead **weekly** reading circles." in content
    assert "Three hundred inmates took part in five years." in content
    assert "Any city with a prison and a library can start with one circle." in content
    assert "The prison service" in content
    assert "Inmates and their families" in content
    assert 'value="Head of the literature office"' in content
    assert "https://example.org/circles\nhttps://example.org/report" in content
    literature = CreativeField.objects.get(slug="literature").pk
    objective = Objective.objects.get(code="access-to-cultural-life").pk
    area = ActionArea.objects.get(code="sharing-good-practices").pk
    goal = SustainableDevelopmentGoal.objects.get(code="quality-education").pk
    for name, pk in (
        ("fields", literature),
        ("objectives", objective),
        ("action_areas", area),
        ("sdgs", goal),
    ):
        assert re.search(rf'name="{name}" value="{pk}"[^>]*checked', content), name
    assert re.search(r'name="reaches_vulnerable_groups"[^>]*checked', content)
    assert re.search(r'<option value="10k-100k" selected>', content)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"year_started": "2999"}, "The year cannot be later than"),
        ({"title": ""}, "This field is required."),
    ],
    ids=["future-year", "missing-title"],
)
def test_create_error_keeps_every_value_and_the_picture(
    client, krakow, coordinator, media_root, overrides, error
):
    client.force_login(coordinator)
    data = form_data(
        krakow,
        image=image_upload("circle.png"),
        image_alt="Inmates reading in a circle",
        image_credit="Photo: City of Kraków",
    )
    data.update(overrides)

    response = client.post(NEW, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in content
    assert error in content
    if "title" in overrides:
        assert "Reading circles meet every week in the prisons of the city." in content
    else:
        assert_typed_values_kept(content)
        assert 'value="2999"' in content
    assert 'value="Inmates reading in a circle"' in content
    assert 'value="Photo: City of Kraków"' in content
    assert escape(KEPT_MESSAGE.format(name="circle.png")) in content
    assert kept_token(response)
    assert [path.suffix for path in kept_files(media_root)] == [".webp"]
    assert not Practice.objects.exists()


def test_create_resubmit_with_the_kept_picture_saves_it(client, krakow, coordinator, media_root):
    client.force_login(coordinator)
    first = client.post(
        NEW,
        form_data(
            krakow,
            year_started="2999",
            image=image_upload("circle.png"),
            image_alt="Inmates reading in a circle",
            image_credit="Photo: City of Kraków",
        ),
    )

    response = client.post(
        NEW,
        form_data(
            krakow,
            image_alt="Inmates reading in a circle",
            image_credit="Photo: City of Kraków",
            image_kept=kept_token(first),
        ),
    )

    assert response.status_code == 302
    revision = latest()
    assert revision.year_started == 2018
    assert revision.image.name.startswith("pictures/practicerevision/")
    assert revision.image.name.endswith(".webp")
    with Image.open(media_root / revision.image.name) as picture:
        assert (picture.format, picture.size) == ("WEBP", (16, 12))
        assert picture.getpixel((0, 0))[:3] == pytest.approx((200, 40, 40), abs=12)
    assert (media_root / revision.image_card.name).is_file()
    assert (media_root / revision.image_page.name).is_file()


def test_create_kept_picture_of_another_person_is_not_used(client, krakow, coordinator, media_root):
    client.force_login(coordinator)
    first = client.post(
        NEW, form_data(krakow, year_started="2999", image=image_upload("circle.png"))
    )
    token = kept_token(first)
    client.force_login(acting_staff())

    response = client.post(
        NEW,
        form_data(krakow, image_alt="Someone else's", image_credit="Me", image_kept=token),
    )

    assert response.status_code == 302
    assert latest().image.name == ""


def test_create_picture_without_alt_and_credit_is_refused_but_kept(
    client, krakow, coordinator, media_root
):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, image=image_upload("circle.png")))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Describe the picture for people who cannot see it." in content
    assert "Say who made the picture (photographer or owner)." in content
    assert kept_token(response)
    assert not Practice.objects.exists()


# Hostile uploads


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        (
            {
                "image": SimpleUploadedFile("photo.jpg", b"only text, not a picture", "image/jpeg"),
                "image_alt": "A picture",
                "image_credit": "Me",
            },
            NOT_AN_IMAGE,
        ),
        (
            {
                "image": SimpleUploadedFile("photo.png", truncated_png(), "image/png"),
                "image_alt": "A picture",
                "image_credit": "Me",
            },
            DAMAGED,
        ),
        (
            {
                "new_document": SimpleUploadedFile(
                    "report.pdf", b"only text, not a PDF", "application/pdf"
                ),
                "new_document_title": "Annual report",
            },
            NOT_A_PDF,
        ),
        (
            {
                "new_document": SimpleUploadedFile("probe.html", PROBE_HTML, "text/html"),
                "new_document_title": "Annual report",
            },
            NOT_A_PDF,
        ),
        (
            {
                "new_document": SimpleUploadedFile(
                    "report.pdf", pdf_bytes(javascript_on_open), "application/pdf"
                ),
                "new_document_title": "Annual report",
            },
            SCRIPT_IN_PDF,
        ),
    ],
    ids=["text-named-jpg", "truncated-png", "text-named-pdf", "probe-html", "pdf-with-script"],
)
def test_create_refuses_hostile_uploads(client, krakow, coordinator, media_root, overrides, error):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, **overrides))

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in content
    assert error in content
    assert "form-field__kept" not in content
    assert 'name="image_kept" value=' not in content
    assert 'name="new_document_kept" value=' not in content
    assert kept_files(media_root) == []
    assert not Practice.objects.exists()
    assert not PracticeRevision.objects.exists()
    assert not PracticeAttachment.objects.exists()


def test_create_with_a_real_pdf_attaches_it(client, krakow, coordinator, media_root):
    client.force_login(coordinator)

    response = client.post(
        NEW,
        form_data(
            krakow,
            new_document=SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
            new_document_title="Annual report",
        ),
    )

    assert response.status_code == 302
    attachment = PracticeAttachment.objects.get()
    assert attachment.revision == latest()
    assert attachment.title == "Annual report"
    # In a folder of its own whose name nobody can guess: media files are served to anyone.
    assert re.fullmatch(r"documents/practices/[0-9a-f]{32}/report\.pdf", attachment.file.name)
    assert (media_root / attachment.file.name).read_bytes() == PDF
    assert ">Annual report</a>" in client.get(at(MY_PAGE)).content.decode()


def test_create_pdf_without_a_title_is_refused_but_kept(client, krakow, coordinator, media_root):
    client.force_login(coordinator)

    response = client.post(
        NEW,
        form_data(krakow, new_document=SimpleUploadedFile("report.pdf", PDF, "application/pdf")),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Give the document a title." in content
    assert escape("Your document “report.pdf” is kept") in content
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    "links",
    [
        "javascript:alert(1)",
        "https://example.org/ok\njavascript:alert(1)",
        "not a web address",
        "ftp://example.org/file",
        "data:text/html,<script>alert(1)</script>",
    ],
    ids=["javascript", "javascript-second-line", "text", "ftp", "data"],
)
def test_create_refuses_links_that_are_not_web_addresses(client, krakow, coordinator, links):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, links=links))

    content = response.content.decode()
    bad = links.splitlines()[-1]
    assert response.status_code == 200
    assert escape(f"“{bad}” is not a web address") in content
    assert not Practice.objects.exists()


# Submit and withdraw


def test_submit_emails_the_secretariat_with_the_review_link(
    client, coordinator, draft, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example"
    secretariat()
    UserFactory(email="retired@unesco.example", is_staff=True, is_active=False)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(at(SUBMIT), follow=True)

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == [
        "Submitted. The secretariat will review it; you will get an e-mail."
    ]
    assert latest().state == ReviewState.SUBMITTED
    assert [message.to for message in mail.outbox] == [[SECRETARIAT_EMAIL]]
    message = mail.outbox[0]
    link = f"https://portal.example/admin/practices/practicerevision/{draft.pk}/review/"
    assert link in message.body
    assert TITLE in message.subject
    assert coordinator.email in message.body
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(link.removeprefix("https://portal.example")).status_code == 200


def test_withdraw_returns_to_draft_and_sends_nothing(
    client, coordinator, submitted, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    secretariat()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(at(WITHDRAW), follow=True)

    assert messages_of(response) == ["Withdrawn. The practice is a draft again: you can edit it."]
    assert latest().state == ReviewState.DRAFT
    assert not OutgoingMessage.objects.exists()
    assert mail.outbox == []


# Editing


def test_editing_a_submitted_practice_redirects_with_a_message(client, coordinator, submitted):
    client.force_login(coordinator)

    response = client.get(at(EDIT), follow=True)

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == [UNDER_REVIEW]
    content = response.content.decode()
    assert f'href="{at(EDIT)}"' not in content
    assert f'action="{at(WITHDRAW)}"' in content


def test_posting_an_edit_of_a_submitted_practice_changes_nothing(client, coordinator, submitted):
    client.force_login(coordinator)

    response = client.post(at(EDIT), form_data(title="Changed under review"))

    assert response.status_code == 302
    assert response["Location"] == at(MY_PAGE)
    revision = latest()
    assert (revision.title, revision.state) == (TITLE, ReviewState.SUBMITTED)
    assert PracticeRevision.objects.count() == 1


def test_editing_a_draft_changes_it_in_place(client, coordinator, draft):
    client.force_login(coordinator)

    response = client.post(
        at(EDIT), form_data(title="Reading circles, now in hospitals"), follow=True
    )

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == ["Your changes are saved."]
    revision = latest()
    assert (revision.pk, revision.number, revision.state) == (draft.pk, 1, ReviewState.DRAFT)
    assert revision.title == "Reading circles, now in hospitals"
    assert Practice.objects.get().slug is None


def test_edit_form_shows_the_current_text(client, coordinator, draft):
    client.force_login(coordinator)

    content = client.get(at(EDIT)).content.decode()

    assert f'value="{TITLE}"' in content
    assert draft.results in content
    assert 'name="city"' not in content


def test_editing_a_sent_back_practice_keeps_it_and_its_message(client, krakow, coordinator):
    revision = sent_back_practice(krakow, TITLE, by=coordinator, message="Add figures, please.")
    client.force_login(coordinator)

    page = client.get(at(MY_PAGE)).content.decode()
    response = client.post(at(EDIT), form_data(results="Three hundred inmates; 40% read more."))

    assert "Add figures, please." in page
    assert response.status_code == 302
    edited = latest()
    assert (edited.pk, edited.state) == (revision.pk, ReviewState.CHANGES_REQUESTED)
    assert edited.results == "Three hundred inmates; 40% read more."
    assert client.post(at(SUBMIT)).status_code == 302
    assert latest().state == ReviewState.SUBMITTED


def test_editing_a_published_practice_makes_a_new_draft(client, krakow, coordinator):
    published = published_practice(krakow, TITLE, by=coordinator)
    client.force_login(coordinator)

    response = client.post(
        at(EDIT), form_data(title="Reading circles, now in hospitals"), follow=True
    )

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response)[0].startswith("Your changes are saved as a new draft")
    practice = Practice.objects.get()
    new = latest()
    assert (new.number, new.state, new.author) == (2, ReviewState.DRAFT, coordinator)
    assert new.title == "Reading circles, now in hospitals"
    assert practice.published_revision_id == published.pk
    published.refresh_from_db()
    assert (published.title, published.state) == (TITLE, ReviewState.PUBLISHED)

    public = client.get(PUBLIC).content.decode()
    assert f"<title>{TITLE}" in public
    assert "now in hospitals" not in public
    mine = response.content.decode()
    assert "now in hospitals" in mine
    assert "The version published earlier stays online" in mine


def test_editing_a_published_practice_twice_keeps_one_draft(client, krakow, coordinator):
    published_practice(krakow, TITLE, by=coordinator)
    client.force_login(coordinator)

    client.post(at(EDIT), form_data(title="First change"))
    client.post(at(EDIT), form_data(title="Second change"))

    assert list(
        PracticeRevision.objects.order_by("number").values_list("number", "state", "title")
    ) == [(1, "published", TITLE), (2, "draft", "Second change")]


def test_staff_may_edit_a_city_practice(log_in_as, client, draft):
    person = log_in_as("staff")

    response = client.post(at(EDIT), form_data(title="Edited by the secretariat"))

    assert response.status_code == 302
    revision = latest()
    assert (revision.title, revision.author) == ("Edited by the secretariat", person)


def test_edit_error_keeps_every_value(client, coordinator, draft):
    client.force_login(coordinator)

    response = client.post(at(EDIT), form_data(year_started="2999"))

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in content
    assert_typed_values_kept(content)
    assert latest().year_started == draft.year_started


# The dashboard


def test_dashboard_lists_practices_what_needs_action_first(client, krakow, dakar, coordinator):
    draft_practice(krakow, "Alpha draft", by=coordinator)
    published_practice(krakow, "Beta published", by=coordinator)
    gamma = sent_back_practice(krakow, "Gamma sent back", by=coordinator)
    submitted_practice(krakow, "Delta submitted", by=coordinator)
    epsilon = published_practice(krakow, "Epsilon online", by=coordinator)
    services.practice_update(practice=epsilon.practice, by=coordinator, title="Epsilon rewritten")
    draft_practice(dakar, "Zeta elsewhere")
    client.force_login(coordinator)

    response = client.get(DASHBOARD)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Zeta elsewhere" not in content
    positions = {
        title: content.index(title)
        for title in (
            "Gamma sent back",
            "Alpha draft",
            "Epsilon rewritten",
            "Delta submitted",
            "Beta published",
        )
    }
    assert positions["Gamma sent back"] < positions["Alpha draft"]
    assert positions["Gamma sent back"] < positions["Epsilon rewritten"]
    assert (
        max(positions["Alpha draft"], positions["Epsilon rewritten"]) < positions["Delta submitted"]
    )
    assert positions["Delta submitted"] < positions["Beta published"]
    assert "Changes requested: your action is needed (1)" in content
    assert "Drafts (2)" in content
    assert "Being reviewed by the secretariat (1)" in content
    assert "Published (1)" in content
    assert f'href="/en/my/practices/{gamma.practice.pk}/"' in content
    assert "an earlier version is online" in content
    assert "Epsilon online" not in content


def test_dashboard_without_practices_says_so(client, coordinator):
    client.force_login(coordinator)

    content = client.get(DASHBOARD).content.decode()

    assert "Your cities have no practice on the portal yet." in content
    assert 'href="/en/my/practices/new/?city=krakow"' in content


@pytest.mark.parametrize("practices", [1, 30])
def test_dashboard_query_count_does_not_grow_with_practices(
    client, krakow, coordinator, practices, django_assert_num_queries
):
    for number in range(practices):
        make = (draft_practice, published_practice, sent_back_practice)[number % 3]
        make(krakow, f"Practice {number:02}", by=coordinator)
    client.force_login(coordinator)

    # Session, user, the user's cities with their field, the invitations, the count of
    # practices, one page of practices with their latest revision, the count of partnerships.
    with django_assert_num_queries(7):
        response = client.get(DASHBOARD)

    listed = re.findall(r'href="/en/my/practices/\d+/"', response.content.decode())
    assert len(listed) == min(practices, 25)


# More about the form


def test_a_link_with_quotes_cannot_break_out_of_its_attribute(client, krakow, coordinator):
    client.force_login(coordinator)

    client.post(NEW, form_data(krakow, links='https://example.org/"onmouseover="alert(1)'))

    content = client.get(at(MY_PAGE)).content.decode()
    assert 'onmouseover="alert(1)' not in content
    assert 'href="https://example.org/&quot;onmouseover=&quot;alert(1)"' in content


def test_a_title_without_letters_gets_a_usable_slug(client, krakow, coordinator):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, title="¿¡!?"))

    practice = Practice.objects.get()
    assert response["Location"] == at(MY_PAGE, practice)
    services.practice_submit(revision=latest(), by=coordinator)
    services.practice_publish(revision=latest(), by=secretariat())
    practice.refresh_from_db()
    assert practice.slug == "practice"


def test_create_resubmit_with_the_kept_pdf_attaches_it(client, krakow, coordinator, media_root):
    client.force_login(coordinator)
    first = client.post(
        NEW,
        form_data(
            krakow,
            year_started="2999",
            new_document=SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
            new_document_title="Annual report",
        ),
    )
    token = re.search(
        r'<input type="hidden" name="new_document_kept" value="([^"]*)"', first.content.decode()
    ).group(1)

    response = client.post(
        NEW, form_data(krakow, new_document_title="Annual report", new_document_kept=token)
    )

    assert response.status_code == 302
    attachment = PracticeAttachment.objects.get()
    assert attachment.title == "Annual report"
    assert (media_root / attachment.file.name).read_bytes() == PDF


def test_editing_a_published_practice_can_drop_a_document_of_the_draft_only(
    client, krakow, coordinator, media_root
):
    published = published_practice(
        krakow,
        TITLE,
        by=coordinator,
        documents=[("Annual report", SimpleUploadedFile("report.pdf", PDF, "application/pdf"))],
    )
    attachment = published.attachments.get()
    client.force_login(coordinator)

    response = client.post(at(EDIT), form_data(remove_documents=[attachment.pk]))

    assert response.status_code == 302
    new = latest()
    assert new.number == 2
    assert list(new.attachments.all()) == []
    assert list(published.attachments.values_list("title", flat=True)) == ["Annual report"]
    assert ">Annual report</a>" in client.get(PUBLIC).content.decode()

"""RVCU_MEDIA_STORAGE=s3 against a real S3-compatible server: moto's server mode, started here on
a free loopback port and spoken to over HTTP by django-storages (boto3), as a provider would be.

Each test gets two fresh buckets, configured as docs/deployment.md says: the media bucket is
readable by anyone (a bucket policy), the private one by nobody without the keys. The storages
are the ones the settings build (rvcu.settings.object_storage.s3_storages).
"""

import json
import logging
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import boto3
import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image

from practices import services
from practices.models import Practice, PracticeAttachment
from rvcu.public_data.export import public_data_export
from rvcu.settings.object_storage import s3_storages
from rvcu.storage import check_private_media_not_served
from rvcu.uploads import delete_expired_kept_uploads
from tests.factories import image_upload, pdf_bytes, pdf_upload
from tests.practices.factories import published_practice, secretariat
from tests.practices.test_coordinator_views import NEW, form_data

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1"
KEYS = {"access_key": "rvcu-test-key", "secret_key": "rvcu-test-secret"}
REGION = "eu-west-3"
PICTURE = {"image_alt": "Children reading", "image_credit": "Photo: City of Kraków"}


def _free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    # Not a line per request in the test output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = _free_port()
    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    server.start()
    yield f"http://{HOST}:{port}"
    server.stop()


class Buckets:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        stem = uuid.uuid4().hex[:12]
        self.media, self.private = f"rvcu-media-{stem}", f"rvcu-private-{stem}"
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
        )
        for bucket in (self.media, self.private):
            self.client.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        public_read = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{self.media}/*",
                }
            ],
        }
        self.client.put_bucket_policy(Bucket=self.media, Policy=json.dumps(public_read))

    def keys(self, bucket):
        listed = self.client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def body(self, bucket, key):
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def anonymous_get(self, url):
        """The status and body a visitor (no keys, no signature) gets for `url`."""
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""


@pytest.fixture
def buckets(settings, s3_endpoint):
    made = Buckets(s3_endpoint)
    settings.RVCU_MEDIA_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(
            media_bucket=made.media,
            private_bucket=made.private,
            endpoint_url=s3_endpoint,
            region=REGION,
            media_domain=f"{HOST}:{s3_endpoint.rsplit(':', 1)[1]}/{made.media}",
            url_protocol="http:",
            **KEYS,
        ),
    }
    return made


def test_settings_switch_both_storages_to_the_buckets(buckets):
    assert default_storage.bucket_name == buckets.media
    assert storages["private"].bucket_name == buckets.private
    assert storages["private"].querystring_auth is True
    assert default_storage.querystring_auth is False


def test_picture_from_the_form_stored_with_renditions_and_linked_from_the_public_page(
    client, krakow, coordinator, buckets
):
    client.force_login(coordinator)
    response = client.post(
        NEW,
        form_data(
            krakow,
            image=image_upload("circle.png"),
            image_alt="Inmates reading in a circle",
            image_credit="Photo: City of Kraków",
            new_document=pdf_upload("report.pdf"),
            new_document_title="Annual report",
        ),
    )
    assert response.status_code == 302
    revision = Practice.objects.get().revisions.get()
    names = [revision.image.name, revision.image_card.name, revision.image_page.name]
    attachment = PracticeAttachment.objects.get()
    assert buckets.keys(buckets.media) == sorted([*names, attachment.file.name])
    assert buckets.keys(buckets.private) == []
    with default_storage.open(revision.image.name) as stored, Image.open(stored) as picture:
        assert picture.format == "WEBP"
    assert buckets.body(buckets.media, attachment.file.name) == pdf_bytes()
    assert attachment.stored_size == len(pdf_bytes())

    by = secretariat()
    services.practice_submit(revision=revision, by=by)
    services.practice_publish(revision=revision, by=by)
    revision.refresh_from_db()
    page = client.get(f"/en/practices/{revision.practice.slug}/").content.decode()
    base = f"{buckets.endpoint}/{buckets.media}/"
    linked = sorted(set(re.findall(re.escape(base) + r'[^"]+', page)))
    assert linked == sorted([f"{base}{revision.image_page.name}", f"{base}{attachment.file.name}"])
    for url in linked:
        assert "Signature" not in url, "stable address, cacheable by a CDN"
        status, body = buckets.anonymous_get(url)
        assert status == 200
        assert body == buckets.body(buckets.media, url.removeprefix(base))
    assert "(PDF, " in page, "the size read from the bucket"


def test_kept_upload_lands_in_the_private_bucket_and_is_not_publicly_readable(
    client, krakow, coordinator, buckets
):
    client.force_login(coordinator)
    response = client.post(
        NEW, form_data(krakow, year_started="2999", image=image_upload("circle.png"), **PICTURE)
    )
    assert response.status_code == 200
    kept = buckets.keys(buckets.private)
    assert len(kept) == 1
    assert kept[0].startswith("kept-uploads/") and kept[0].endswith(".webp")
    assert buckets.keys(buckets.media) == []
    assert buckets.anonymous_get(f"{buckets.endpoint}/{buckets.private}/{kept[0]}")[0] == 403

    token = re.search(r'name="image_kept" value="([^"]*)"', response.content.decode()).group(1)
    response = client.post(NEW, form_data(krakow, image_kept=token, **PICTURE))
    assert response.status_code == 302
    revision = Practice.objects.get().revisions.get()
    assert revision.image.name in buckets.keys(buckets.media)


def test_expired_kept_uploads_deleted_from_the_private_bucket(client, krakow, coordinator, buckets):
    client.force_login(coordinator)
    client.post(
        NEW, form_data(krakow, year_started="2999", image=image_upload("circle.png"), **PICTURE)
    )
    assert len(buckets.keys(buckets.private)) == 1

    assert delete_expired_kept_uploads() == 0, "a fresh kept upload stays"
    assert delete_expired_kept_uploads(now=timezone.now() + timedelta(days=2)) == 1
    assert buckets.keys(buckets.private) == []


def test_archived_files_move_to_the_private_bucket_and_staff_still_open_them(
    client, krakow, log_in_as, buckets, django_capture_on_commit_callbacks
):
    revision = published_practice(
        krakow,
        "Reading circles",
        image=image_upload(colour=(200, 40, 40)),
        **PICTURE,
        documents=[("Annual report", pdf_upload())],
    )
    public_names = buckets.keys(buckets.media)
    assert len(public_names) == 4
    public_urls = [default_storage.url(name) for name in public_names]
    assert all(buckets.anonymous_get(url)[0] == 200 for url in public_urls)

    with django_capture_on_commit_callbacks(execute=True):
        services.practice_archive(revision=revision, by=secretariat())

    assert buckets.keys(buckets.media) == [], "the public copies are deleted"
    assert buckets.keys(buckets.private) == [f"retired/{name}" for name in public_names]
    assert all(buckets.anonymous_get(url)[0] != 200 for url in public_urls)
    attachment = revision.attachments.get()
    url = attachment.file.url
    assert url.startswith("/retired-media/documents/practices/")
    assert attachment.stored_size == len(pdf_bytes())

    assert client.get(url).status_code == 404
    log_in_as("coordinator")
    assert client.get(url).status_code == 404
    log_in_as("other-coordinator")
    assert client.get(url).status_code == 404
    log_in_as("staff")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert client.get("/retired-media/documents/../kept-uploads/x.webp").status_code == 404
    assert client.get("/retired-media/documents/practices/missing.pdf").status_code == 404


def test_new_draft_of_an_archived_practice_gets_public_copies_in_the_bucket(
    krakow, buckets, django_capture_on_commit_callbacks
):
    revision = published_practice(krakow, "Reading circles", image=image_upload(), **PICTURE)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_archive(revision=revision, by=secretariat())
    assert len(buckets.keys(buckets.private)) == 3

    draft = services.practice_update(practice=revision.practice, by=secretariat())

    names = [draft.image.name, draft.image_card.name, draft.image_page.name]
    assert not any(name.startswith("retired/") for name in names)
    assert buckets.keys(buckets.media) == sorted(names)


def test_public_data_export_names_the_files_in_the_bucket(krakow, buckets):
    revision = published_practice(krakow, "Reading circles", image=image_upload(), **PICTURE)
    chunks = []

    public_data_export(write=chunks.append)

    exported = "".join(chunks)
    assert revision.image_page.name in exported
    assert revision.image_page.name in buckets.keys(buckets.media)


def test_uploaded_pdf_never_replaces_another_of_the_same_name(buckets):
    first = default_storage.save("documents/same.pdf", SimpleUploadedFile("a.pdf", b"%PDF-1"))
    second = default_storage.save("documents/same.pdf", SimpleUploadedFile("b.pdf", b"%PDF-2"))
    assert first != second
    assert buckets.body(buckets.media, first) == b"%PDF-1"


def test_private_media_check_does_not_apply_to_buckets(settings, buckets):
    # MEDIA_ROOT is not served at all then: the buckets' policies decide who reads.
    settings.RVCU_PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT
    assert check_private_media_not_served() == []
    settings.RVCU_MEDIA_STORAGE = "filesystem"
    assert [error.id for error in check_private_media_not_served()] == ["rvcu.E010"]


@pytest.mark.parametrize("value", ["s3", "filesystem"])
def test_settings_read_the_storage_from_the_environment(value, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rvcu.settings.base",
        "DJANGO_SECRET_KEY": "x",
        "RVCU_MEDIA_STORAGE": value,
        "RVCU_S3_MEDIA_BUCKET": "public-bucket",
        "RVCU_S3_PRIVATE_BUCKET": "private-bucket",
        "RVCU_S3_MEDIA_DOMAIN": "media.portal.example.org",
    }
    script = (
        "import json; from django.conf import settings;"
        "print(json.dumps({**{k: v['BACKEND'] for k, v in settings.STORAGES.items()},"
        "'csp_img': list(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    backends = json.loads(result.stdout)
    if value == "s3":
        assert backends["default"] == "rvcu.storage.S3MediaStorage"
        assert backends["private"] == "storages.backends.s3.S3Storage"
        assert "https://media.portal.example.org" in backends["csp_img"]
    else:
        assert backends["default"] == "rvcu.storage.MediaStorage"
        assert backends["private"] == "django.core.files.storage.FileSystemStorage"
        assert not any("media.portal" in source for source in backends["csp_img"])


def test_settings_refuse_an_unknown_storage():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rvcu.settings.base",
        "RVCU_MEDIA_STORAGE": "ftp",
    }
    script = "from django.conf import settings; settings.STORAGES"
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "RVCU_MEDIA_STORAGE must be filesystem or s3." in result.stderr


def test_bucket_serves_the_type_of_the_extension_not_the_one_the_browser_claimed(
    client, krakow, coordinator, buckets
):
    client.force_login(coordinator)
    response = client.post(
        NEW,
        form_data(
            krakow,
            image=SimpleUploadedFile("circle.png", image_upload().read(), "text/html"),
            new_document=pdf_upload("report.pdf", content_type="text/html"),
            new_document_title="Annual report",
            **PICTURE,
        ),
    )
    assert response.status_code == 302
    revision = Practice.objects.get().revisions.get()
    picture = buckets.client.head_object(Bucket=buckets.media, Key=revision.image_page.name)
    assert picture["ContentType"] == "image/webp"
    assert "ContentDisposition" not in picture
    assert picture["CacheControl"] == "public, max-age=86400"
    name = PracticeAttachment.objects.get().file.name
    document = buckets.client.head_object(Bucket=buckets.media, Key=name)
    assert (document["ContentType"], document["ContentDisposition"]) == (
        "application/pdf",
        "attachment",
    )

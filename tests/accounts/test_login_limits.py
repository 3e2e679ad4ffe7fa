"""Login failures are limited per client address, behind a trusted proxy too, and per account."""

import pytest
from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD
from tests.rvcu.test_security import run_django

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
TOO_MANY = "Too many failed login attempts. Try again later."
PROXY = "127.0.0.1"


def log_in(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def fail_from(client, count, **extra):
    """`count` failures, each for an address with no account (so the per-account limit stays 0)."""
    for attempt in range(count):
        response = log_in(client, f"nobody-{attempt}@example.org", "wrong", **extra)
        assert TOO_MANY not in response.content.decode()


def is_limited(response):
    return TOO_MANY in response.content.decode()


def test_login_failures_of_one_client_do_not_lock_out_others_behind_the_proxy(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    fail_from(client, 10, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")

    same_client = log_in(
        client,
        "someone@example.org",
        "wrong",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    other_client = log_in(
        client,
        "someone@example.org",
        "wrong",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )

    assert is_limited(same_client)
    assert not is_limited(other_client)


def test_login_spoofed_forwarded_for_counts_for_the_real_client(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it sees to whatever the client sent.
    for spoofed in range(10):
        response = log_in(
            client,
            f"nobody-{spoofed}@example.org",
            "wrong",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{spoofed}, 203.0.113.7",
        )
        assert not is_limited(response)

    real = log_in(
        client,
        "someone@example.org",
        "wrong",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    spoofed_one = log_in(
        client,
        "someone@example.org",
        "wrong",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )

    assert is_limited(real)
    assert not is_limited(spoofed_one)


def test_login_without_trusted_proxy_ignores_forwarded_for(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for attempt in range(10):
        log_in(
            client,
            f"nobody-{attempt}@example.org",
            "wrong",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )

    response = log_in(
        client,
        "someone@example.org",
        "wrong",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )

    assert is_limited(response)


def test_login_failures_on_one_account_lock_it_whatever_the_address(client, user, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    addresses = [f"203.0.113.{number}" for number in range(10, 15)]
    assert len(addresses) == 5
    for address in addresses:
        response = log_in(
            client, user.email, "not-the-password", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address
        )
        assert not is_limited(response)

    response = log_in(
        client, user.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )

    assert is_limited(response)
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("environment", "count"), [({}, 0), ({"RVCU_TRUSTED_PROXY_COUNT": "1"}, 1)]
)
def test_trusted_proxy_count_comes_from_the_environment(tmp_path, environment, count):
    printed = run_django(
        """
        from django.conf import settings
        from allauth import app_settings
        print(json.dumps([settings.ALLAUTH_TRUSTED_PROXY_COUNT, app_settings.TRUSTED_PROXY_COUNT]))
        """,
        tmp_path,
        **environment,
    )

    assert printed == [count, count]

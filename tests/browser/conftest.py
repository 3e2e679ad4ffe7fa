"""Journeys in a real browser: Debian's Chromium, driven by Playwright, against pytest-django's
`live_server`.

Never `playwright install`: the browser is the system's `chromium` (apt-get install chromium).
Without it the browser tests are deselected, with a line in the summary; in CI (CI or
RVCU_FAIL_ON_SKIP set) the run stops with an error instead, as a skip would hide them.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test's thread: Django then refuses the
# ORM calls the tests make there (factories, checks) unless told it is safe, which it is here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent
SCREENSHOTS = PROJECT_ROOT / "test-screenshots"
SCREENSHOT_WIDTHS = (1280, 375)
NO_CHROMIUM = "browser tests not run: no Chromium found; install Debian's chromium"


def chromium_path():
    """The system's Chromium, or None."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _in_ci():
    return bool(os.environ.get("CI") or os.environ.get("RVCU_FAIL_ON_SKIP"))


def _is_browser_test(item):
    return HERE in Path(str(item.path)).resolve().parents


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Before the other plugins (so that `-m browser` and `-m "not browser"` work): mark the
    browser tests, or take them out when there is no Chromium. After them: move the browser
    tests to the end of the run.

    They must run last. Each one ends by emptying every table (flush), the rows of the data
    migrations included, and pytest-django's ordering (transactional tests after the others) is
    undone by pytest's own, which groups the tests by session-scoped parameter — and
    pytest-playwright gives every browser test one (`browser_name`).
    """
    browser_items = [item for item in items if _is_browser_test(item)]
    if browser_items and chromium_path() is None:
        if _in_ci():
            raise pytest.UsageError(NO_CHROMIUM)
        config.hook.pytest_deselected(items=browser_items)
        items[:] = [item for item in items if not _is_browser_test(item)]
        config._rvcu_browser_tests_not_run = len(browser_items)
    else:
        for item in browser_items:
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("django_db") is None:
                item.add_marker(pytest.mark.django_db(transaction=True))
    result = yield
    items[:] = [item for item in items if not _is_browser_test(item)] + [
        item for item in items if _is_browser_test(item)
    ]
    return result


def pytest_terminal_summary(terminalreporter, config):
    not_run = getattr(config, "_rvcu_browser_tests_not_run", 0)
    if not_run:
        terminalreporter.write_line(f"{NO_CHROMIUM} ({not_run} deselected).", yellow=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, with Debian's Chromium instead of a downloaded one."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path() or "/usr/bin/chromium",
        "args": ["--no-sandbox"],
    }


@pytest.fixture(scope="session")
def base_url(pytestconfig):
    """pytest-playwright's own `base_url` (when pytest-base-url is not installed) is a fixture
    defined as an instance method, which pytest 9 deprecates: under filterwarnings = error the
    browser tests would error. The same fixture, as a plain function."""
    return pytestconfig.getoption("--base-url") or pytestconfig.getini("base_url") or None


@pytest.fixture(autouse=True)
def _seeded_rows_back(seeded_rows_back):
    """`live_server` makes every browser test transactional: the data migrations' rows are put
    back before each (see tests/conftest.py)."""


@pytest.fixture
def media_files(settings, tmp_path):
    """Uploads of the test go to a folder of its own (the live server runs in this process)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def screenshot():
    """`screenshot(page, "practice")` writes test-screenshots/practice-1280.png and
    practice-375.png (full pages), for a person to look at; the viewport is put back after."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, page_type):
        size = page.viewport_size
        for width in SCREENSHOT_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=str(SCREENSHOTS / f"{page_type}-{width}.png"), full_page=True)
        if size:
            page.set_viewport_size(size)

    return take

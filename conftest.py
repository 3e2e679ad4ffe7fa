"""Suite-wide pytest hooks. In CI (CI or RVCU_FAIL_ON_SKIP set) a skipped test fails the run."""

import os

import pytest


def _skips_fail_the_run():
    return bool(os.environ.get("RVCU_FAIL_ON_SKIP") or os.environ.get("CI"))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if _skips_fail_the_run() and skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if _skips_fail_the_run() and skipped:
        terminalreporter.write_line(
            f"{len(skipped)} test(s) skipped: skips are not allowed in CI, the run fails.",
            red=True,
        )

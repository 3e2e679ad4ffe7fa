"""The pure helpers of scripts/bench.py (the benchmark itself runs with `make bench`)."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench", module)
    spec.loader.exec_module(module)
    return module


bench = _load_bench()

WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:8765
  2 threads and 16 connections
  3004 requests in 2.00s, 1.02MB read
  Non-2xx or 3xx responses: 2
Requests/sec:   1500.47
BENCH-JSON {"requests": 3004, "duration_us": 2002046, "bytes": 1066790, "non_2xx": 2, \
"non_2xx_statuses": {"302": 1, "500": 1}, \
"connect_errors": 1, "read_errors": 3, "write_errors": 0, "timeouts": 4, \
"latency_p50_us": 1709, "latency_p90_us": 6780, "latency_p99_us": 11646}
"""


def wrk_result(rps=1000.0, non_2xx=0, timeouts=0):
    return bench.WrkResult(
        requests=int(rps * 10),
        seconds=10.0,
        non_2xx=non_2xx,
        connect_errors=0,
        read_errors=0,
        write_errors=0,
        timeouts=timeouts,
        latency_p50_ms=1.0,
        latency_p90_ms=2.0,
        latency_p99_ms=3.0,
    )


def page(name="home", *, queries=5, html_bytes=20_000, render_ms=(10.0,), rps=800.0, **kwargs):
    return bench.PageResult(
        name,
        f"/en/{name}/",
        queries=queries,
        html_bytes=html_bytes,
        render_ms=list(render_ms),
        wrk=wrk_result(rps),
        **kwargs,
    )


def failed_targets(checks):
    return [check.target for check in checks if not check.passed]


@pytest.mark.parametrize(
    ("percent", "expected"), [(50, 10), (90, 18), (95, 19), (99, 20), (100, 20), (1, 1)]
)
def test_percentile_nearest_rank(percent, expected):
    values = list(range(20, 0, -1))

    assert bench.percentile(values, percent) == expected


def test_percentile_of_one_value_is_that_value():
    assert bench.percentile([7.5], 95) == 7.5


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        bench.percentile([], 50)


def test_parse_wrk_output_reads_the_json_line():
    result = bench.parse_wrk_output(WRK_OUTPUT)

    assert result.requests == 3004
    assert result.rps == pytest.approx(1500.47, abs=0.01)
    assert result.non_2xx == 2
    assert result.non_2xx_statuses == {"302": 1, "500": 1}
    assert result.connection_errors == 4
    assert result.timeouts == 4
    assert (result.latency_p50_ms, result.latency_p90_ms, result.latency_p99_ms) == (
        1.709,
        6.78,
        11.646,
    )


def test_parse_wrk_output_without_the_json_line_is_an_error():
    with pytest.raises(ValueError, match="no BENCH-JSON line"):
        bench.parse_wrk_output("Running 2s test @ http://127.0.0.1:8765\nRequests/sec: 10\n")


@pytest.mark.parametrize(("page_rps", "expected"), [(500.0, 0.5), (2000.0, 2.0), (0.0, 0.0)])
def test_baseline_ratio(page_rps, expected):
    assert bench.baseline_ratio(page_rps, 1000.0) == expected


def test_baseline_ratio_without_a_baseline_is_zero():
    assert bench.baseline_ratio(500.0, 0.0) == 0.0


def test_median_page_is_the_page_of_median_size():
    pages = [page(name, html_bytes=size) for name, size in [("a", 30), ("b", 10), ("c", 20)]]

    assert bench.median_page(pages).name == "c"
    assert bench.median_page([*pages, page("d", html_bytes=40)]).name == "c"


def test_check_targets_all_pass():
    pages = [page("home"), page("search", is_search=True, render_ms=[40.0, 50.0, 60.0])]
    loads = [bench.LoadResult("directory", "the directory", wrk_result())]

    checks = bench.check_targets(pages, wrk_result(1000.0), 30 * 1024, loads)

    assert failed_targets(checks) == []
    # Queries and HTML per page, the search's time, rps per page, CSS + JS, the load.
    assert len(checks) == 2 + 2 + 1 + 2 + 1 + 1


@pytest.mark.parametrize(
    ("overrides", "failed"),
    [
        ({"queries": 11}, "home: at most 10 SQL queries"),
        ({"html_bytes": 60 * 1024 + 1}, "home: HTML at most 60.0 KB"),
        ({"rps": 499.0}, "home: at least 0.5x the static baseline's rps"),
        (
            {"is_search": True, "render_ms": [10.0, 51.0, 90.0]},
            "home: median server time (cache miss) at most 50 ms",
        ),
    ],
)
def test_check_targets_page_failures(overrides, failed):
    checks = bench.check_targets([page("home", **overrides)], wrk_result(1000.0), 1024, [])

    assert failed_targets(checks) == [failed]


def test_check_targets_css_and_js_over_budget():
    checks = bench.check_targets([page()], wrk_result(), 40 * 1024 + 1, [])

    assert failed_targets(checks) == ["own CSS + JS, gzip-compressed, at most 40.0 KB"]


@pytest.mark.parametrize("errors", [{"non_2xx": 1}, {"timeouts": 1}])
def test_check_targets_load_with_an_error_fails(errors):
    loads = [bench.LoadResult("search", "100 words", wrk_result(**errors))]

    checks = bench.check_targets([page()], wrk_result(), 1024, loads)

    assert failed_targets(checks) == [
        "load, search: no non-2xx answer, connection error or timeout"
    ]


def test_markdown_table():
    table = bench.markdown_table(["page", "queries"], [["home", 4], ["city", 7]])

    assert table == "| page | queries |\n|---|---|\n| home | 4 |\n| city | 7 |"


def test_replace_between_markers_keeps_the_introduction():
    document = (
        f"# Performance\n\nHow to read it.\n\n{bench.DOC_START}\nold tables\n{bench.DOC_END}\n"
    )

    updated = bench.replace_between_markers(document, "new tables\n")

    assert updated == (
        f"# Performance\n\nHow to read it.\n\n{bench.DOC_START}\nnew tables\n{bench.DOC_END}\n"
    )
    assert bench.replace_between_markers(updated, "new tables") == updated


def test_replace_between_markers_adds_them_when_missing():
    updated = bench.replace_between_markers("# Performance\n", "tables")

    assert updated == f"# Performance\n\n{bench.DOC_START}\ntables\n{bench.DOC_END}\n"


def test_database_marker_names_the_data():
    plan = bench.Plan(quick=False, seed=2026, **bench.FULL)

    marker = bench.database_marker(plan, "abc123")

    assert marker == "rvcu-bench practices=20000 partnerships=3000 seed=2026 code=abc123"
    assert bench.database_marker(plan, "def456") != marker


def test_errors_text_names_each_kind_of_error():
    result = bench.parse_wrk_output(WRK_OUTPUT)

    assert result.errors_text() == (
        "2 (302: 1, 500: 1) non-2xx, 1/3/0 connect/read/write errors, 4 timeouts"
    )


def test_non_2xx_text_most_frequent_status_first():
    result = wrk_result(non_2xx=13)
    result.non_2xx_statuses = {"302": 1, "404": 2, "500": 10}

    assert result.non_2xx_text() == "13 (500: 10, 404: 2, 302: 1)"
    assert wrk_result().non_2xx_text() == "0"


def test_gunicorn_log_summary_counts_restarts_and_keeps_problems():
    log = (
        "[2026-11-30 05:00:00 +0000] [12] [INFO] Booting worker with pid: 12\n"
        '127.0.0.1 - - [30/Nov/2026:05:00:01 +0000] "GET /en/ HTTP/1.1" 200 8900 "-" "-" 1500\n'
        "[2026-11-30 05:00:02 +0000] [12] [INFO] Autorestarting worker after current request.\n"
        "[2026-11-30 05:00:03 +0000] [10] [CRITICAL] WORKER TIMEOUT (pid:13)\n"
        "[2026-11-30 05:00:04 +0000] [10] [ERROR] Worker (pid:14) was sent SIGINT!\n"
        "[2026-11-30 05:00:04 +0000] [14] [INFO] Autorestarting worker after current request.\n"
        '127.0.0.1 - - [30/Nov/2026:05:00:05 +0000] "GET /en/?q=[ERROR] HTTP/1.1" 200 1 "-" 1\n'
    )

    restarts, problems = bench.gunicorn_log_summary(log)

    assert restarts == 2
    assert problems == ["[2026-11-30 05:00:03 +0000] [10] [CRITICAL] WORKER TIMEOUT (pid:13)"]


class FakeClock:
    """A clock that moves only when a fetch takes `step` seconds."""

    def __init__(self, step):
        self.now = 0.0
        self.step = step
        self.calls = 0

    def __call__(self):
        return self.now

    def fetch(self):
        self.calls += 1
        self.now += self.step


def test_timed_samples_takes_count_samples_within_the_budget():
    clock = FakeClock(step=0.01)

    times = bench.timed_samples(clock.fetch, 30, budget_seconds=20, clock=clock)

    assert clock.calls == 30
    assert times == [pytest.approx(10.0)] * 30


def test_timed_samples_stops_once_the_budget_is_spent():
    clock = FakeClock(step=3.0)

    times = bench.timed_samples(clock.fetch, 30, budget_seconds=10, clock=clock)

    # 0, 3, 6 and 9 s are within the budget when each request starts.
    assert clock.calls == 4
    assert times == [pytest.approx(3000.0)] * 4


def test_timed_samples_takes_one_sample_whatever_the_budget():
    clock = FakeClock(step=40.0)

    assert bench.timed_samples(clock.fetch, 30, budget_seconds=5, clock=clock) == [40000.0]


def test_median_and_p95_as_table_cells():
    assert bench.median_and_p95([float(value) for value in range(1, 21)]) == ("10.5", "19.0")
    assert bench.median_and_p95([]) == ("-", "-")


def test_check_targets_page_that_failed_over_http():
    broken = page("search", http_error="RemoteDisconnected Remote end closed connection")

    checks = bench.check_targets([broken], wrk_result(), 1024, [])

    assert failed_targets(checks) == ["search: answers 200 over HTTP"]
    assert checks[0].measured == "RemoteDisconnected Remote end closed connection"


def test_timed_samples_without_a_budget_takes_none():
    clock = FakeClock(step=1.0)

    assert bench.timed_samples(clock.fetch, 30, budget_seconds=-2.0, clock=clock) == []
    assert clock.calls == 0


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(20000, 20000, "100%"), (3, 20000, "0.015%"), (60, 20000, "0.3%")],
)
def test_share(part, whole, expected):
    assert bench.share(part, whole) == expected

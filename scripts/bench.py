"""The benchmark of the portal at network scale: `make bench` (docs/performance.md reads it).

One run, in this order:
1. PostgreSQL database `rvcu_bench`: built (migrate, load_network, generate_benchmark_data) or
   reused when it already holds the data of the same seed, sizes and generator; static files
   collected into a temporary STATIC_ROOT; the local Redis started if it does not answer.
2. In this process, with the production settings but every cache a dummy (each request builds
   its page, as on a cache miss): SQL queries, HTML size and render time of each page type.
3. gunicorn started as in production (DEBUG off, WhiteNoise, Redis): response times over HTTP,
   requests per second under wrk against a static file of the median page's size (the
   baseline), then 100 concurrent clients on three pages for a minute each. gunicorn is
   always stopped at the end.
4. The targets checked, the tables printed and written into docs/performance.md; the exit
   status is 1 when a target fails (0 with --report-only).

`BENCH_QUICK=1` (or --quick) makes a short run with little data, in its own database, that
does not touch docs/performance.md. Run it with the project's interpreter:
    .venv/bin/python scripts/bench.py [--quick] [--rebuild] [--report-only]
"""

import argparse
import gzip
import hashlib
import http.client
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = ROOT / "scripts" / "bench_wrk.lua"
DOC_PATH = ROOT / "docs" / "performance.md"
DOC_START = "<!-- bench:start (written by scripts/bench.py; edit above this line) -->"
DOC_END = "<!-- bench:end -->"
GENERATOR_PATH = ROOT / "rvcu" / "management" / "commands" / "generate_benchmark_data.py"
BASELINE_NAME = "bench-baseline.html"

MAX_QUERIES = 10
MAX_SEARCH_MEDIAN_MS = 50
MAX_HTML_BYTES = 60 * 1024
MAX_CSS_JS_GZIP_BYTES = 40 * 1024
MIN_BASELINE_RATIO = 0.5
# What a reverse proxy would use to compress HTML (nginx's gzip_comp_level is 1..9).
HTML_GZIP_LEVEL = 6
# wrk's default of 2 s would count a slow answer under 100 connections as an error.
WRK_TIMEOUT = "10s"
# Longer than gunicorn's own timeout (30 s), which answers first.
HTTP_TIMEOUT = 60


@dataclass
class Plan:
    """What one run does: sizes of the data and lengths of the measurements."""

    quick: bool
    database: str
    practices: int
    partnerships: int
    seed: int
    render_samples: int
    http_samples: int
    wrk_seconds: int
    load_seconds: int
    # Seconds of samples per page at most: a page that takes seconds must not stretch the run.
    sample_budget: int
    wrk_connections: int = 16
    load_connections: int = 100
    wrk_threads: int = 2


FULL = {
    "database": "rvcu_bench",
    "practices": 20000,
    "partnerships": 3000,
    "render_samples": 30,
    "http_samples": 30,
    "wrk_seconds": 10,
    "load_seconds": 60,
    "sample_budget": 20,
}
QUICK = {
    "database": "rvcu_bench_quick",
    "practices": 400,
    "partnerships": 60,
    "render_samples": 10,
    "http_samples": 10,
    "wrk_seconds": 3,
    "load_seconds": 10,
    "sample_budget": 5,
}


@dataclass
class WrkResult:
    requests: int
    seconds: float
    non_2xx: int
    connect_errors: int
    read_errors: int
    write_errors: int
    timeouts: int
    latency_p50_ms: float
    latency_p90_ms: float
    latency_p99_ms: float
    # How many answers of each status outside 2xx, by status.
    non_2xx_statuses: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def connection_errors(self):
        return self.connect_errors + self.read_errors + self.write_errors

    @property
    def errors(self):
        return self.non_2xx + self.connection_errors + self.timeouts

    def errors_text(self):
        return (
            f"{self.non_2xx_text()} non-2xx, {self.connect_errors}/{self.read_errors}/"
            f"{self.write_errors} connect/read/write errors, {self.timeouts} timeouts"
        )

    def non_2xx_text(self):
        """'12 (500: 10, 302: 2)': the count, then each status, most frequent first."""
        if not self.non_2xx_statuses:
            return str(self.non_2xx)
        statuses = sorted(self.non_2xx_statuses.items(), key=lambda item: (-item[1], item[0]))
        return f"{self.non_2xx} ({', '.join(f'{status}: {n}' for status, n in statuses)})"


@dataclass
class PageResult:
    name: str
    path: str
    is_search: bool = False
    queries: int = 0
    html_bytes: int = 0
    gzip_bytes: int = 0
    render_ms: list[float] = field(default_factory=list)
    http_first_ms: float = 0.0
    http_ms: list[float] = field(default_factory=list)
    http_error: str = ""
    wrk: WrkResult | None = None
    html: bytes = field(default=b"", repr=False)


@dataclass
class LoadResult:
    name: str
    description: str
    wrk: WrkResult


@dataclass
class Check:
    target: str
    measured: str
    passed: bool


# Pure helpers (tests/rvcu/test_bench_script.py) -------------------------------------------


def percentile(values, percent):
    """The nearest-rank percentile: the smallest value with `percent`% of values at or below."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = math.ceil(percent / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


def parse_wrk_output(output):
    """The figures of bench_wrk.lua's JSON line in wrk's output."""
    match = re.search(r"^BENCH-JSON (\{.*\})$", output, re.MULTILINE)
    if not match:
        raise ValueError(f"no BENCH-JSON line in wrk's output:\n{output}")
    figures = json.loads(match.group(1))
    return WrkResult(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1_000_000,
        non_2xx=figures["non_2xx"],
        connect_errors=figures["connect_errors"],
        read_errors=figures["read_errors"],
        write_errors=figures["write_errors"],
        timeouts=figures["timeouts"],
        latency_p50_ms=figures["latency_p50_us"] / 1000,
        latency_p90_ms=figures["latency_p90_us"] / 1000,
        latency_p99_ms=figures["latency_p99_us"] / 1000,
        non_2xx_statuses=figures["non_2xx_statuses"],
    )


def baseline_ratio(page_rps, baseline_rps):
    return page_rps / baseline_rps if baseline_rps else 0.0


def median_page(pages):
    """The page of median HTML size (the lower one of the two middle pages)."""
    ordered = sorted(pages, key=lambda page: page.html_bytes)
    return ordered[(len(ordered) - 1) // 2]


def check_targets(pages, baseline, css_js_gzip_bytes, loads):
    """One Check per target and page (or load scenario)."""
    checks = [
        Check(f"{page.name}: answers 200 over HTTP", page.http_error, False)
        for page in pages
        if page.http_error
    ]
    for page in pages:
        checks.append(
            Check(
                f"{page.name}: at most {MAX_QUERIES} SQL queries",
                str(page.queries),
                page.queries <= MAX_QUERIES,
            )
        )
    for page in pages:
        checks.append(
            Check(
                f"{page.name}: HTML at most {kb(MAX_HTML_BYTES)} KB",
                f"{kb(page.html_bytes)} KB",
                page.html_bytes <= MAX_HTML_BYTES,
            )
        )
    for page in pages:
        if page.is_search:
            median = statistics.median(page.render_ms)
            checks.append(
                Check(
                    f"{page.name}: median server time (cache miss) at most "
                    f"{MAX_SEARCH_MEDIAN_MS} ms",
                    f"{median:.1f} ms",
                    median <= MAX_SEARCH_MEDIAN_MS,
                )
            )
    for page in pages:
        if page.wrk is not None:
            ratio = baseline_ratio(page.wrk.rps, baseline.rps)
            checks.append(
                Check(
                    f"{page.name}: at least {MIN_BASELINE_RATIO}x the static baseline's rps",
                    f"{ratio:.2f}x",
                    ratio >= MIN_BASELINE_RATIO,
                )
            )
    checks.append(
        Check(
            f"own CSS + JS, gzip-compressed, at most {kb(MAX_CSS_JS_GZIP_BYTES)} KB",
            f"{kb(css_js_gzip_bytes)} KB",
            css_js_gzip_bytes <= MAX_CSS_JS_GZIP_BYTES,
        )
    )
    for load in loads:
        checks.append(
            Check(
                f"load, {load.name}: no non-2xx answer, connection error or timeout",
                load.wrk.errors_text(),
                load.wrk.errors == 0,
            )
        )
    return checks


def timed_samples(fetch, count, budget_seconds, clock=time.perf_counter):
    """Milliseconds of up to `count` calls of `fetch`, fewer once they have taken
    `budget_seconds` together (at least one when there is a budget)."""
    times = []
    begun = clock()
    while len(times) < count and clock() - begun < budget_seconds:
        started = clock()
        fetch()
        times.append((clock() - started) * 1000)
    return times


def median_and_p95(values):
    """The median and 95th percentile, as table cells ('-' when nothing was measured)."""
    if not values:
        return "-", "-"
    return ms(statistics.median(values)), ms(percentile(values, 95))


def markdown_table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def replace_between_markers(text, block):
    """`text` with what lies between DOC_START and DOC_END replaced by `block` (the markers
    are added at the end when missing); what lies outside is kept as it is."""
    start = text.find(DOC_START)
    end = text.find(DOC_END)
    if start == -1 or end == -1 or end < start:
        return f"{text.rstrip()}\n\n{DOC_START}\n{block.strip()}\n{DOC_END}\n"
    return f"{text[: start + len(DOC_START)]}\n{block.strip()}\n{text[end:]}"


def database_marker(plan, code_digest):
    """What the bench database holds, kept as the database's comment to know when to reuse it."""
    return (
        f"rvcu-bench practices={plan.practices} partnerships={plan.partnerships} "
        f"seed={plan.seed} code={code_digest}"
    )


def gunicorn_log_summary(log):
    """Worker restarts and the warning or error lines in gunicorn's log (access lines left out)."""
    restarts = len(re.findall(r"Autorestarting worker", log))
    problems = [
        line
        for line in log.splitlines()
        if re.search(r"\] \[(WARNING|ERROR|CRITICAL)\]", line)
        # The run's own quick shutdowns, between load scenarios.
        and "was sent SIGINT" not in line
    ]
    return restarts, problems


def share(part, whole):
    """'12%'; two significant digits under 1% ('0.015%')."""
    percent = 100 * part / whole if whole else 0
    return f"{percent:.0f}%" if percent >= 1 else f"{percent:.2g}%"


def kb(size):
    return f"{size / 1024:.1f}"


def ms(value):
    return f"{value:.1f}"


# The run -------------------------------------------------------------------------------------

STARTED = time.monotonic()


def say(message):
    elapsed = int(time.monotonic() - STARTED)
    print(f"[bench {elapsed // 60:02d}:{elapsed % 60:02d}] {message}", flush=True)


def run(command, env, timeout):
    """Runs `command` from the project root; its output is shown only when it fails."""
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def manage(env, *arguments, timeout=1800):
    return run([sys.executable, "manage.py", *arguments], env, timeout)


def code_digest():
    """A digest of the code that shapes the bench data: the generator (its command and
    rvcu/benchmark_*.py) and the migrations. When either changes, the data is built again: a
    migration may add a column that only the generator fills."""
    if not GENERATOR_PATH.exists():
        raise SystemExit(
            f"{GENERATOR_PATH.relative_to(ROOT)} is missing: the benchmark needs "
            "manage.py generate_benchmark_data."
        )
    digest = hashlib.sha256()
    for path in [GENERATOR_PATH, *sorted((ROOT / "rvcu").glob("benchmark_*.py"))]:
        digest.update(path.read_bytes())
    for path in sorted(ROOT.glob("*/migrations/[0-9]*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def prepare_database(plan, env, postgres_url, rebuild):
    """Builds the bench database, or reuses it when its comment says it holds this plan's data
    (the same sizes, seed, generator and migrations). Returns True when it was reused."""
    import psycopg
    from psycopg import sql

    marker = database_marker(plan, code_digest())
    name = sql.Identifier(plan.database)
    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [plan.database],
        ).fetchone()
        reuse = not rebuild and row is not None and row[0] == marker
        if not reuse:
            say(f"building the database {plan.database} ({marker})")
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    if reuse:
        say(f"reusing the database {plan.database} ({marker}); --rebuild to build it again")
    else:
        generate_data(plan, env)
        # Only now: an interrupted generation leaves no marker, so the next run builds again.
        with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as admin:
            admin.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(name, sql.Literal(marker)))
    # The planner's statistics up to date, as autovacuum keeps them on a server that has run
    # for a while: without them, it may choose plans no production server would.
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
    return reuse


def generate_data(plan, env):
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_network")
    say(
        f"generating {plan.practices} practices and {plan.partnerships} partnerships "
        f"(seed {plan.seed})"
    )
    manage(
        env,
        "generate_benchmark_data",
        "--practices",
        str(plan.practices),
        "--partnerships",
        str(plan.partnerships),
        "--seed",
        str(plan.seed),
        "--allow-no-debug",
    )


def redis_command(port, *commands):
    """Sends Redis inline commands and returns its replies (one line each)."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
        connection.sendall("".join(f"{command}\r\n" for command in commands).encode())
        replies = b""
        while replies.count(b"\r\n") < len(commands):
            chunk = connection.recv(4096)
            if not chunk:
                break
            replies += chunk
    return replies.decode().splitlines()


def redis_answers(port):
    try:
        return redis_command(port, "PING") == ["+PONG"]
    except OSError:
        return False


def ensure_redis(port):
    if redis_answers(port):
        return
    say(f"starting redis-server on 127.0.0.1:{port}")
    subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(port)]
        + ["--save", "", "--appendonly", "no"],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not redis_answers(port):
        if time.monotonic() > deadline:
            raise SystemExit(f"redis-server does not answer on 127.0.0.1:{port}")
        time.sleep(0.2)


def start_django(env):
    """Django in this process, with the production settings and every cache a dummy."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        for alias in settings.CACHES
    }
    django.setup()
    if settings.DEBUG:
        raise SystemExit("DEBUG is on: the benchmark measures the production settings.")


def search_words():
    """Words of the published practices, most frequent first (PostgreSQL's ts_stat)."""
    from django.db import connection

    from practices.models import PracticeRevision
    from rvcu.review import ReviewState

    table, published = PracticeRevision._meta.db_table, ReviewState.PUBLISHED.value
    documents = (
        f"SELECT to_tsvector('simple', coalesce(search_document, '')) FROM {table} "
        f"WHERE state = '{published}'"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat(%s) WHERE word ~ '^[a-z]{4,}$' "
            "ORDER BY ndoc DESC, word",
            [documents],
        )
        return cursor.fetchall()


def choose_pages(seed):
    """The pages to measure, picked from the data, and the paths the load rotates over."""
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import translation

    from cities.models import City, CreativeField
    from partnerships.models import Partnership
    from practices.models import Practice

    translation.activate("en")
    busiest_field = CreativeField.objects.annotate(size=Count("cities")).order_by("-size").first()
    busiest_region = (
        City.objects.filter(field=busiest_field)
        .values_list("region", flat=True)
        .annotate(size=Count("pk"))
        .order_by("-size", "region")
        .first()
    )
    city = (
        City.objects.annotate(
            published=Count("practices", filter=Q(practices__published_revision__isnull=False))
        )
        .order_by("-published", "slug")
        .first()
    )
    practices = Practice.objects.published()
    practice = (
        practices.filter(published_revision__partnership__isnull=False).order_by("slug").first()
        or practices.order_by("slug").first()
    )
    partnership = (
        Partnership.objects.published()
        .annotate(size=Count("participations"))
        .order_by("-size", "slug")
        .first()
    )
    words = search_words()
    if practice is None or partnership is None or len(words) < 30:
        raise SystemExit("The bench database holds no published practice or partnership.")
    # The most frequent word (the most matches to count and rank), a rare one, and two
    # frequent words together; a word's page is named with the share of practices it is in.
    published = practices.count()
    ranked = [(word, documents) for word, documents in words if len(word) >= 5]
    common = ranked[0]
    rare = next(pair for pair in reversed(words) if pair[1] >= 2 and len(pair[0]) >= 6)
    two_words = f"{ranked[10][0]} {ranked[30][0]}"

    practice_list = reverse("practices:practice-list")
    filters = {"field": busiest_field.slug, "region": busiest_region}
    pages = [
        PageResult("home", reverse("home")),
        PageResult("field", reverse("cities:field-detail", args=[busiest_field.slug])),
        PageResult("directory", reverse("cities:city-list")),
        PageResult("directory, filtered", f"{reverse('cities:city-list')}?{urlencode(filters)}"),
        PageResult("city", reverse("cities:city-detail", args=[city.slug])),
        PageResult("practice list", practice_list),
        PageResult("practice list, filtered", f"{practice_list}?{urlencode(filters)}"),
        PageResult(
            f"search, common word (in {share(common[1], published)} of practices)",
            f"{practice_list}?q={common[0]}",
            is_search=True,
        ),
        PageResult(
            f"search, rare word (in {share(rare[1], published)})",
            f"{practice_list}?q={rare[0]}",
            is_search=True,
        ),
        PageResult(
            "search, two words", f"{practice_list}?{urlencode({'q': two_words})}", is_search=True
        ),
        PageResult("practice", reverse("practices:practice-detail", args=[practice.slug])),
        PageResult("partnership list", reverse("partnerships:partnership-list")),
        PageResult(
            "partnership", reverse("partnerships:partnership-detail", args=[partnership.slug])
        ),
        PageResult("network", reverse("partnerships:network")),
    ]
    spread = [words[index * len(words) // 100][0] for index in range(min(100, len(words)))]
    slugs = sorted(practices.values_list("slug", flat=True))
    sample = random.Random(seed).sample(slugs, min(1000, len(slugs)))
    load_paths = {
        "directory": [reverse("cities:city-list")],
        "search": [f"{practice_list}?q={word}" for word in spread],
        "practice": [reverse("practices:practice-detail", args=[slug]) for slug in sample],
    }
    return pages, load_paths


def measure_in_process(pages, samples, budget_seconds):
    """Queries, size and render time of each page, every cache a dummy (a cache miss)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    for page in pages:
        # The first request of a page compiles its templates, once per process.
        client.get(page.path)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        counted_seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{page.path} answered {response.status_code}, not 200.")
        page.queries = len(queries)
        page.html = response.content
        page.html_bytes = len(response.content)
        page.gzip_bytes = len(gzip.compress(response.content, HTML_GZIP_LEVEL))
        # The counted request is the first sample: a page that takes seconds is not asked again.
        page.render_ms = [counted_seconds * 1000] + timed_samples(
            partial(client.get, page.path), samples - 1, budget_seconds - counted_seconds
        )
        say(
            f"  {page.name}: {page.queries} queries, {kb(page.html_bytes)} KB, "
            f"median {ms(statistics.median(page.render_ms))} ms ({len(page.render_ms)} requests)"
        )
        if page.queries > MAX_QUERIES:
            for query in queries.captured_queries:
                print(f"      {query['sql'][:160]}")


def own_css_js_gzip_bytes():
    files = sorted((ROOT / "static" / "css").rglob("*.css"))
    files += sorted((ROOT / "static" / "js").rglob("*.js"))
    return sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)


class HttpError(Exception):
    pass


def http_get(port, path):
    """Gets `path` from gunicorn, body included; raises HttpError unless it answers 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as error:
        raise HttpError(f"{type(error).__name__} {error}".strip()) from error
    finally:
        connection.close()
    if response.status != 200:
        raise HttpError(f"answered {response.status}")


def gunicorn_command(port):
    command = [sys.executable, "-m", "gunicorn", "rvcu.wsgi", "--bind", f"127.0.0.1:{port}"]
    if (ROOT / "gunicorn.conf.py").exists():
        return [*command, "--config", "gunicorn.conf.py"]
    return [*command, "--workers", str(2 * (os.cpu_count() or 1) + 1)]


class Gunicorn:
    """gunicorn as in production, in a process group of its own, logging into `log_path`."""

    def __init__(self, port, env, log_path):
        self.port, self.env, self.log_path = port, env, log_path
        self.process = None

    def start(self):
        if not port_is_free(self.port):
            raise SystemExit(f"Port {self.port} is taken: choose another with --port.")
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                gunicorn_command(self.port),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Stopped as a whole, by its id, whatever happens to this script.
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{self.log()[-3000:]}")
            try:
                http_get(self.port, f"/static/{BASELINE_NAME}")
                return
            except HttpError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn did not answer in 60 s:\n{self.log()[-3000:]}")
            time.sleep(0.3)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # SIGINT is gunicorn's quick shutdown: no request left is worth waiting for (SIGTERM
        # would wait up to its graceful timeout).
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return len(children.read_text().split()) if children.exists() else 0

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def cancel_running_queries(database_url):
    """Cancels what still runs in the bench database: a request wrk gave up on goes on in
    PostgreSQL after its gunicorn worker is gone."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def measure_http(port, pages, samples, budget_seconds):
    """The first request of each page (the cache is empty), then more (the cache is on)."""
    for page in pages:
        fetch = partial(http_get, port, page.path)
        try:
            page.http_first_ms = timed_samples(fetch, 1, budget_seconds)[0]
            page.http_ms = timed_samples(fetch, samples, budget_seconds)
        except HttpError as error:
            page.http_error = str(error)
            say(f"  {page.name}: {error}")


def wrk(port, paths, workdir, *, threads, connections, seconds):
    paths_file = workdir / f"paths-{secrets.token_hex(4)}.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", WRK_TIMEOUT, "--latency", "-s", str(WRK_SCRIPT)]
    command += [f"http://127.0.0.1:{port}", "--", str(paths_file)]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    return parse_wrk_output(output)


def machine(load_at_start):
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import django

    return {
        "CPU": f"{os.cpu_count()} × {cpu.group(1) if cpu else platform.machine()}",
        "memory": f"{int(memory.group(1)) // 1024 // 1024} GB" if memory else "?",
        "system": f"{platform.system()} {platform.release()}",
        "PostgreSQL": postgres,
        "Python / Django": f"{platform.python_version()} / {django.get_version()}",
        # The machine may be shared: a busy one makes every figure worse.
        "load average (1 min)": f"{load_at_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end",
    }


def data_figures():
    from cities.models import City
    from partnerships.models import Partnership
    from practices.models import Practice

    return (
        f"{City.objects.count()} cities, {Practice.objects.published().count()} published "
        f"practices, {Partnership.objects.published().count()} published partnerships"
    )


def page_row(page, baseline_rps, *, is_baseline=False):
    return [
        page.name,
        f"`{page.path}`",
        "-" if is_baseline else page.queries,
        kb(page.html_bytes),
        kb(page.gzip_bytes),
        *median_and_p95(page.render_ms),
        "error" if page.http_error else ms(page.http_first_ms),
        *median_and_p95(page.http_ms),
        f"{page.wrk.rps:.0f}",
        f"{baseline_ratio(page.wrk.rps, baseline_rps):.2f}x",
        page.wrk.errors,
    ]


def report(plan, context, run, checks):
    """The tables, in Markdown, as printed and as written into docs/performance.md."""
    pages, baseline, loads = run.pages, run.baseline, run.loads
    lines = [
        f"Last run: {context['date']}, {context['minutes']} minutes"
        f"{' (quick run)' if plan.quick else ''}. Data: {context['data']} (generated with "
        f"--practices {plan.practices} --partnerships {plan.partnerships} --seed {plan.seed}; "
        f"database {context['database']}). gunicorn: {context['gunicorn']}.",
        "",
        markdown_table(["machine", ""], context["machine"].items()),
        "",
        "### Pages",
        "",
        f"Server times in ms: *miss* is in-process with every cache a dummy "
        f"({plan.render_samples} requests); *HTTP* is against gunicorn, cache on, first request "
        f"then {plan.http_samples} more (fewer when a page's requests take more than "
        f"{plan.sample_budget} s together). rps: wrk -t{plan.wrk_threads} "
        f"-c{plan.wrk_connections} -d{plan.wrk_seconds}s --timeout {WRK_TIMEOUT}, and its ratio "
        "to the static baseline's; wrk errors: non-2xx answers, connection errors and timeouts.",
        "",
    ]
    rows = [page_row(page, baseline.wrk.rps) for page in pages]
    rows.append(page_row(baseline, baseline.wrk.rps, is_baseline=True))
    headers = ["page", "path", "queries", "HTML KB", "gzip KB", "miss median", "miss p95"]
    headers += ["HTTP first", "HTTP median", "HTTP p95", "rps", "x baseline", "wrk errors"]
    lines += [markdown_table(headers, rows), ""]
    lines += [
        "Our own CSS and JS (static/css, static/js), gzip-compressed: "
        f"{kb(run.css_js_gzip_bytes)} KB.",
        "",
    ]
    lines += [
        "### Load",
        "",
        f"wrk -t{plan.wrk_threads} -c{plan.load_connections} -d{plan.load_seconds}s "
        f"--timeout {WRK_TIMEOUT} --latency; latencies in ms.",
        "",
    ]
    load_rows = [
        [
            load.name,
            load.description,
            load.wrk.requests,
            f"{load.wrk.rps:.0f}",
            ms(load.wrk.latency_p50_ms),
            ms(load.wrk.latency_p90_ms),
            ms(load.wrk.latency_p99_ms),
            load.wrk.non_2xx_text(),
            f"{load.wrk.connect_errors}/{load.wrk.read_errors}/{load.wrk.write_errors}",
            load.wrk.timeouts,
        ]
        for load in loads
    ]
    load_headers = ["scenario", "paths", "requests", "rps", "p50", "p90", "p99", "non-2xx"]
    load_headers += ["connect/read/write errors", "timeouts"]
    lines += [markdown_table(load_headers, load_rows), ""]
    failed = sum(not check.passed for check in checks)
    lines += [
        "### Targets",
        "",
        f"{len(checks) - failed} of {len(checks)} pass."
        + (f" **{failed} FAIL.**" if failed else ""),
        "",
    ]
    check_rows = [
        [check.target, check.measured, "PASS" if check.passed else "**FAIL**"] for check in checks
    ]
    lines.append(markdown_table(["target", "measured", ""], check_rows))
    return "\n".join(lines)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("BENCH_QUICK", "") not in ("", "0"),
        help="little data and short measurements (also BENCH_QUICK=1); "
        "does not write docs/performance.md unless --doc is given",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        default=os.environ.get("BENCH_REBUILD", "") not in ("", "0"),
        help="build the database again even when it holds the same data (also BENCH_REBUILD=1)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="exit 0 even when a target fails"
    )
    parser.add_argument("--database", help="default rvcu_bench (quick: rvcu_bench_quick)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--practices", type=int)
    parser.add_argument("--partnerships", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--wrk-seconds", type=int)
    parser.add_argument("--load-seconds", type=int)
    parser.add_argument("--port", type=int, default=8765, help="gunicorn's port (8765)")
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--redis-db", type=int, default=15, help="flushed at the start (15)")
    parser.add_argument("--doc", type=Path, help=f"where to write the tables ({DOC_PATH})")
    parser.add_argument("--no-doc", action="store_true", help="write no document")
    arguments = parser.parse_args()
    sizes = QUICK if arguments.quick else FULL
    overrides = {
        "database": arguments.database,
        "practices": arguments.practices,
        "partnerships": arguments.partnerships,
        "wrk_seconds": arguments.wrk_seconds,
        "load_seconds": arguments.load_seconds,
    }
    sizes = {**sizes, **{key: value for key, value in overrides.items() if value is not None}}
    plan = Plan(quick=arguments.quick, seed=arguments.seed, **sizes)
    if arguments.no_doc:
        arguments.doc = None
    elif arguments.doc is None and not arguments.quick:
        arguments.doc = DOC_PATH
    return plan, arguments


@dataclass
class Run:
    """What one run measured."""

    reused_database: bool
    pages: list[PageResult]
    baseline: PageResult
    loads: list[LoadResult]
    css_js_gzip_bytes: int
    workers: int
    gunicorn_log: str


def bench_environment(plan, arguments, workdir):
    """The environment of gunicorn and of every manage.py command: production settings."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rvcu.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Loopback has no TLS.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{arguments.postgres}/{plan.database}",
        "REDIS_URL": f"redis://127.0.0.1:{arguments.redis_port}/{arguments.redis_db}",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(Path(tempfile.gettempdir()) / "rvcu-bench-media" / plan.database),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def measure(plan, arguments, workdir):
    env = bench_environment(plan, arguments, workdir)
    reused = prepare_database(plan, env, arguments.postgres, arguments.rebuild)
    say("collecting static files")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    ensure_redis(arguments.redis_port)

    start_django(env)
    pages, load_paths = choose_pages(plan.seed)
    say(f"in-process, every cache a dummy: {len(pages)} pages × {plan.render_samples}")
    measure_in_process(pages, plan.render_samples, plan.sample_budget)

    baseline_file = Path(env["DJANGO_STATIC_ROOT"]) / BASELINE_NAME
    baseline_file.write_bytes(median_page(pages).html)
    baseline = PageResult("baseline: static file", f"/static/{BASELINE_NAME}")
    baseline.html_bytes = baseline_file.stat().st_size
    baseline.gzip_bytes = len(gzip.compress(baseline_file.read_bytes(), HTML_GZIP_LEVEL))

    redis_command(arguments.redis_port, f"SELECT {arguments.redis_db}", "FLUSHDB")
    say(f"starting gunicorn on 127.0.0.1:{arguments.port}: {' '.join(gunicorn_command(0))}")
    gunicorn = Gunicorn(arguments.port, env, workdir / "gunicorn.log")
    try:
        gunicorn.start()
        workers = gunicorn.workers()
        say(f"over HTTP: {len(pages)} pages and the baseline × {plan.http_samples + 1}")
        measure_http(arguments.port, [*pages, baseline], plan.http_samples, plan.sample_budget)

        say(f"wrk: {len(pages) + 1} runs of {plan.wrk_seconds} s")
        for page in [baseline, *pages]:
            page.wrk = wrk(
                arguments.port,
                [page.path],
                workdir,
                threads=plan.wrk_threads,
                connections=plan.wrk_connections,
                seconds=plan.wrk_seconds,
            )
            say(f"  {page.name}: {page.wrk.rps:.0f} requests/s")

        loads = []
        descriptions = {
            "directory": "the directory, unfiltered",
            "search": f"{len(load_paths['search'])} different search words",
            "practice": f"{len(load_paths['practice'])} different practice pages",
        }
        for name, paths in load_paths.items():
            # Each scenario on a fresh server: requests the previous one left queued or running
            # (wrk gives up on them, gunicorn and PostgreSQL do not) must not weigh on it.
            gunicorn.stop()
            cancel_running_queries(env["DATABASE_URL"])
            gunicorn.start()
            say(f"load, {name}: {plan.load_connections} clients for {plan.load_seconds} s")
            result = wrk(
                arguments.port,
                paths,
                workdir,
                threads=plan.wrk_threads,
                connections=plan.load_connections,
                seconds=plan.load_seconds,
            )
            loads.append(LoadResult(name, descriptions[name], result))
            say(f"  {result.rps:.0f} requests/s, {result.errors_text()}")
    finally:
        gunicorn.stop()
        say("gunicorn stopped")
    return Run(
        reused_database=reused,
        pages=pages,
        baseline=baseline,
        loads=loads,
        css_js_gzip_bytes=own_css_js_gzip_bytes(),
        workers=workers,
        gunicorn_log=gunicorn.log(),
    )


def main():
    plan, arguments = parse_arguments()
    # Ctrl-C and `kill` end the run through the `finally` clauses that stop gunicorn, even when
    # started in the background (where a shell has the process ignore SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_at_start = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="rvcu-bench-"))
    try:
        run = measure(plan, arguments, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    restarts, problems = gunicorn_log_summary(run.gunicorn_log)
    for line in problems[-20:]:
        print(f"gunicorn: {line}")
    uses_config = (ROOT / "gunicorn.conf.py").exists()
    context = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "minutes": f"{(time.monotonic() - STARTED) / 60:.1f}",
        "database": f"{plan.database}, {'reused' if run.reused_database else 'built in this run'}",
        "gunicorn": f"{run.workers} workers{' (gunicorn.conf.py)' if uses_config else ''}, "
        f"{restarts} worker restarts, {len(problems)} warning or error lines in its log",
        "machine": machine(load_at_start),
        "data": data_figures(),
    }
    checks = check_targets(run.pages, run.baseline.wrk, run.css_js_gzip_bytes, run.loads)
    text = report(plan, context, run, checks)
    print()
    print(text)
    if arguments.doc:
        document = arguments.doc.read_text() if arguments.doc.exists() else ""
        arguments.doc.write_text(replace_between_markers(document, text))
        say(f"tables written into {arguments.doc}")
    failed = [check for check in checks if not check.passed]
    print(f"\n{'FAIL' if failed else 'PASS'}: {len(checks) - len(failed)} of {len(checks)} pass.")
    return 1 if failed and not arguments.report_only else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrupted: gunicorn stopped, nothing written.")

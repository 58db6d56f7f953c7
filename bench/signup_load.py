"""The public sign-up endpoint under load: thousands of people sign up for one activity
through the public JSON API (`events_api:signup_create`) over loopback HTTP.

    python -m bench.signup_load [--requests 3000] [--concurrency 16] [--places 500]
                                [--no-waitlist] [--scale S] [--seed 2026] [--keep]

It works on a throwaway copy of the cached benchmark database of `python -m bench` (built
first if missing or stale): SQLite copies the file, PostgreSQL creates a database from it as
a template (`<bench database>_load_<pid>`); the copy is dropped afterwards (`--keep` keeps
it), so the cached database, whose audit log is append-only, is left as it was.

In that copy it opens sign-up for one approved activity of the county persona (`--places`,
the waiting list on unless `--no-waitlist`), serves `config.wsgi.application` on a free
port of 127.0.0.1 from a background thread (a pool of `--concurrency` server threads that
keep their database connections, as a threaded production server does), and sends
`--requests` sign-ups of distinct people from `--concurrency` client threads with
urllib. Every request comes from 127.0.0.1, so the per-address rate limit (a module
constant of kexie.activities.services.signups) is raised in this process for the run.

It prints the latency (p50, p95, max), the throughput, the responses by status, the SQL
queries of one sign-up (counted in-process on one extra request to a second activity), and
checks the database afterwards: exactly min(places, requests) confirmed, the rest on the
waiting list (or refused when it is off), no duplicate sign-up codes.
"""

import argparse
import json
import logging
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

RATE_LIMIT_FOR_RUN = 10_000_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红玲飞鹏辉建国志斌海波宁鑫宇浩然轩欣怡涵晨阳佳琪"
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.signup_load", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="sign-ups sent (default 3000)")
    parser.add_argument("--concurrency", type=int, default=16, help="client and server threads (default 16)")
    parser.add_argument("--places", type=int, default=500, help="places of the activity (default 500)")
    parser.add_argument(
        "--no-waitlist", action="store_true", help="refuse sign-ups once the places are taken"
    )
    parser.add_argument(
        "--scale",
        default="S",
        choices=("S", "M", "L"),
        help="demo scale (default S; the database is copied for each run)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the copy of the database afterwards")
    return parser.parse_args(argv)


# --- the people who sign up --------------------------------------------------------------


def person(index: int) -> dict:
    """The sign-up of person `index`: a distinct name and a distinct valid mobile (139…)."""
    s, g = len(SURNAMES), len(GIVEN)
    name = SURNAMES[index % s] + GIVEN[(index // s) % g] + GIVEN[(index // (s * g)) % g]
    if index >= s * g * g:
        name += str(index)
    return {
        "name": name,
        "mobile": f"139{index:08d}",
        "unit": "示例市第一中学",
        "submission_key": f"bench-load-{index}",
    }


# --- the activity ----------------------------------------------------------------------------


def open_signup(*, organization, title: str, places: int, waitlist: bool):
    """An approved activity in three days with sign-up open for `places` people."""
    from django.utils import timezone

    from kexie.activities.models import ActivityKind
    from kexie.activities.services import signups
    from kexie.activities.services.activities import (
        ActivityData,
        activity_approve,
        activity_create,
        activity_submit,
    )

    starts = timezone.now() + timedelta(days=3)
    activity = activity_create(
        actor=None,
        organization=organization,
        data=ActivityData(
            title=title,
            kind=ActivityKind.objects.get(code="lecture"),
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
        ),
    )
    activity = activity_approve(actor=None, activity=activity_submit(actor=None, activity=activity))
    signups.signup_settings_save(
        actor=None,
        activity=activity,
        options=signups.SignupOptions(capacity=places, deadline=starts, waitlist=waitlist),
    )
    return activity


@contextmanager
def raised_rate_limit(limit: int = RATE_LIMIT_FOR_RUN):
    """Every request of the load comes from 127.0.0.1: raise the per-address limit (a module
    constant, patched in this process only) for the run, and restore it afterwards."""
    from kexie.activities.services import signups

    before = signups.RATE_PER_IP
    signups.RATE_PER_IP = limit
    try:
        yield before
    finally:
        signups.RATE_PER_IP = before


@contextmanager
def _quiet_client_errors():
    """No log line for each refused sign-up ("Bad Request", 4xx) during the run; server
    errors are still logged."""
    logger = logging.getLogger("django.request")
    before = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(before)


# --- the server ------------------------------------------------------------------------------


def _server_classes():
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):  # one line per request would drown the report
            pass

    class PooledWSGIServer(WSGIServer):
        """Requests served by a fixed pool of threads that keep their database connections
        between requests (CONN_MAX_AGE), as the worker threads of a production server do."""

        request_queue_size = 256  # the listen backlog: clients must not wait for a SYN retry

        def __init__(self, address, threads: int):
            super().__init__(address, QuietHandler, allow_reuse_address=False)
            self.threads = threads
            self.pool = ThreadPoolExecutor(threads, thread_name_prefix="signup-load-server")

        def process_request(self, request, client_address):
            self.pool.submit(self._serve, request, client_address)

        def _serve(self, request, client_address):
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

        def server_close(self):
            super().server_close()
            # Each pool thread closes the connections it kept: one task per thread, held
            # at a barrier until every thread has one (a test database is then free to drop).
            from django.db import connections

            barrier = threading.Barrier(self.threads)

            def close():
                barrier.wait(timeout=30)
                connections.close_all()

            for _ in range(self.threads):
                self.pool.submit(close)
            self.pool.shutdown(wait=True)

    return PooledWSGIServer


@contextmanager
def serve(threads: int):
    """`config.wsgi.application` on a free port of 127.0.0.1, in a background thread; yields
    the base URL."""
    from config.wsgi import application

    server = _server_classes()(("127.0.0.1", 0), threads)
    server.set_app(application)
    thread = threading.Thread(target=server.serve_forever, name="signup-load-accept", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- the load --------------------------------------------------------------------------------


@dataclass
class LoadResult:
    requests: int
    concurrency: int
    places: int
    waitlist: bool
    seconds: float
    latencies_ms: list[float]
    statuses: Counter  # "201 confirmed", "201 waitlisted", "400", "429", "error"…
    queries: int
    counted_status: int
    confirmed: int
    waitlisted: int
    signups: int
    distinct_codes: int
    rate_limit_before: int
    problems: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for key, n in self.statuses.items() if key.startswith("5") or key == "error")

    def percentile(self, share: float) -> float:
        from bench.__main__ import percentile

        return percentile(self.latencies_ms, share)


def send(url: str, body: dict) -> tuple[str, float]:
    """POST one sign-up; its outcome ("201 confirmed", "400"…) and its latency in ms."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            payload = json.loads(response.read())
            outcome = f"{response.status} {payload.get('status', '')}".strip()
    except urllib.error.HTTPError as error:
        error.read()
        outcome = str(error.code)
    except (urllib.error.URLError, OSError) as error:
        outcome = f"error {type(error).__name__}"
    return outcome, (time.perf_counter() - started) * 1000


def count_queries(activity) -> tuple[int, int]:
    """The SQL queries of one sign-up through the whole stack (middleware, API, service,
    the queued notice), in this thread with the test client; (queries, HTTP status)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("events_api:signup_create", kwargs={"pk": activity.pk})
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data=person(10**8 - 1), content_type="application/json")
    return len(captured), response.status_code


def run(
    base_url: str, *, organization, requests: int, concurrency: int, places: int, waitlist: bool = True
) -> LoadResult:
    """Open sign-up, count one sign-up's queries, send the load to `base_url` (a server on
    the current database), and check the database."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from kexie.activities.models import Signup

    activity = open_signup(
        organization=organization, title="科技周开放日（压力测试）", places=places, waitlist=waitlist
    )
    counted = open_signup(
        organization=organization, title="科技周开放日（查询计数）", places=places, waitlist=waitlist
    )
    url = base_url.rstrip("/") + reverse("events_api:signup_create", kwargs={"pk": activity.pk})
    with raised_rate_limit() as limit_before, _quiet_client_errors():
        queries, counted_status = count_queries(counted)
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency, thread_name_prefix="signup-load-client") as pool:
            outcomes = list(pool.map(lambda i: send(url, person(i)), range(requests)))
        seconds = time.perf_counter() - started
    rows = Signup.objects.filter(activity=activity).aggregate(
        signups=Count("pk"),
        distinct_codes=Count("code", distinct=True),
        confirmed=Count("pk", filter=Q(status=Signup.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Signup.Status.WAITLISTED)),
    )
    result = LoadResult(
        requests=requests,
        concurrency=concurrency,
        places=places,
        waitlist=waitlist,
        seconds=seconds,
        latencies_ms=[ms for _outcome, ms in outcomes],
        statuses=Counter(outcome for outcome, _ms in outcomes),
        queries=queries,
        counted_status=counted_status,
        rate_limit_before=limit_before,
        **rows,
    )
    result.problems = check(result)
    return result


def check(result: LoadResult) -> list[str]:
    """What is wrong with the outcome, as a user would see it (an empty list: all is well)."""
    problems = []
    expected_confirmed = min(result.places, result.requests)
    expected_rest = result.requests - expected_confirmed
    if result.confirmed != expected_confirmed:
        problems.append(f"{result.confirmed} confirmed, expected {expected_confirmed}")
    if result.waitlist and result.waitlisted != expected_rest:
        problems.append(f"{result.waitlisted} on the waiting list, expected {expected_rest}")
    if not result.waitlist:
        if result.waitlisted:
            problems.append(f"{result.waitlisted} on the waiting list, which is off")
        if result.statuses["400"] != expected_rest:
            problems.append(f"{result.statuses['400']} refused (400), expected {expected_rest}")
    if result.signups != result.statuses["201 confirmed"] + result.statuses["201 waitlisted"]:
        problems.append(
            f"{result.signups} sign-ups stored for {result.statuses['201 confirmed']} + "
            f"{result.statuses['201 waitlisted']} answered 201"
        )
    if result.distinct_codes != result.signups:
        problems.append(f"{result.signups - result.distinct_codes} duplicate sign-up codes")
    if result.server_errors:
        problems.append(f"{result.server_errors} server errors or failed connections")
    if result.counted_status != 201:
        problems.append(f"the counted sign-up answered {result.counted_status}")
    return problems


def summary(result: LoadResult, where: str = "") -> str:
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"Public sign-up under load{f' · {where}' if where else ''} · {result.requests:,} requests, "
        f"{result.concurrency} threads, {result.places:,} places, waiting list "
        f"{'on' if result.waitlist else 'off'} · load average {load} ({os.cpu_count()} CPUs)",
        f"  (the per-address rate limit, {result.rate_limit_before} per 10 min, was raised for the run "
        f"in this process: every request comes from 127.0.0.1)",
        f"  {'latency p50':<22} {result.percentile(0.5):9.1f} ms",
        f"  {'latency p95':<22} {result.percentile(0.95):9.1f} ms",
        f"  {'latency max':<22} {max(result.latencies_ms):9.1f} ms",
        f"  {'throughput':<22} {result.requests / result.seconds:9.1f} requests/s "
        f"({result.seconds:.1f} s in all)",
        f"  {'queries per sign-up':<22} {result.queries:9d}",
    ]
    for outcome, count in sorted(result.statuses.items()):
        lines.append(f"  {'responses ' + outcome:<22} {count:9d}")
    lines.append(
        f"  {'in the database':<22} {result.confirmed} confirmed, {result.waitlisted} waitlisted, "
        f"{result.distinct_codes} distinct codes of {result.signups}"
    )
    if result.problems:
        lines.extend(f"  PROBLEM: {problem}" for problem in result.problems)
    else:
        lines.append(
            "  checked: every place taken exactly once, the rest "
            + ("on the waiting list" if result.waitlist else "refused")
            + ", no 5xx, codes unique"
        )
    return "\n".join(lines)


# --- the throwaway copy of the benchmark database ----------------------------------------


@contextmanager
def database_copy(keep: bool = False):
    """Switch this process to a copy of the benchmark database (as Django's test runner
    switches to the test database), drop it afterwards; yields its description."""
    import sqlite3

    from django.conf import settings
    from django.db import connection, connections

    connections.close_all()
    db = settings.DATABASES["default"]
    original = db["NAME"]
    if connection.vendor == "sqlite":
        copy = Path(original).with_name(f"signup-load-{os.getpid()}.sqlite3")
        source, target = sqlite3.connect(original), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        where = f"SQLite copy {copy.name} of {Path(original).name}"
    else:
        copy = f"{original}_load_{os.getpid()}"
        import psycopg

        try:
            _admin(db, "CREATE DATABASE {} TEMPLATE {}", copy, original)
        except psycopg.errors.ObjectInUse:
            raise SystemExit(
                f"{original} is in use by another session (a benchmark running on it?): "
                "PostgreSQL copies a database only while nobody is connected to it. Try again later."
            ) from None
        where = f"PostgreSQL copy {copy} of {original}"
    db["NAME"] = copy
    try:
        yield where
    finally:
        connections.close_all()
        db["NAME"] = original
        if keep:
            print(f"Kept {where}.")
        elif connection.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
        else:
            _admin(db, "DROP DATABASE IF EXISTS {} WITH (FORCE)", copy)


def _admin(db: dict, statement: str, *names: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    ) as admin:
        admin.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.__main__ import ROOT, build, cache_key, configure_database, stored_key

    sys.path.insert(0, str(ROOT))
    where = configure_database(args.scale, args.seed)
    import django

    django.setup()
    from bench.scenarios import BenchContext

    key = cache_key(args.scale, args.seed)
    if stored_key() != key:
        print(f"Building the scale-{args.scale} database (seed {args.seed}) in {where}…", flush=True)
        print(f"Built in {build(args.scale, args.seed, key):.0f} s.", flush=True)
    with database_copy(keep=args.keep) as copy:
        county = BenchContext().county
        with serve(threads=args.concurrency) as base_url:
            print(f"Sending {args.requests:,} sign-ups to {base_url} ({copy})…", flush=True)
            result = run(
                base_url,
                organization=county,
                requests=args.requests,
                concurrency=args.concurrency,
                places=args.places,
                waitlist=not args.no_waitlist,
            )
        print()
        print(summary(result, f"scale {args.scale} · {copy}"))
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())

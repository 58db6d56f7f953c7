"""Run the benchmark scenarios against a scale-M demo database: `python -m bench`.

The database is built once with `seed_demo` and reused while its cache key (scale, seed and
the code and data that shape it: the demo generator, the organization services and models,
the division list, every migration) is unchanged. SQLite by default, in
var/bench/bench-<scale>-<seed>.sqlite3; with DATABASE_URL set, a PostgreSQL database named
after it with a `_bench_<scale>` suffix on the same server (the database you work in is
never touched).

    python -m bench [--scale M] [--seed 2026] [--repeat 20] [--warmup 3] [--only TEXT] [--rebuild]
                    [--migrate] [--add-signups]

`--migrate` brings a database whose key no longer matches up to date by running the new
migrations on it instead of building it again, and records the new key: for a change of
indexes or of a migration that derives data (an L build takes hours), never for a change
of the demo generator, whose data it would not produce.

`--add-signups` completes a database built before the demo had sign-ups: when its key is
the one the code gives without the sign-ups generator, it runs that generator alone (it
reads the activities already there and draws from its own random stream, so the result is
what a full build writes) and records the new key.
"""

import argparse
import hashlib
import math
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SIGNUPS_INPUT = "kexie/activities/demo_signups.py"  # see --add-signups
KEY_INPUTS = [
    "kexie/orgs/demo.py",
    "kexie/orgs/services.py",
    "kexie/orgs/models.py",
    "kexie/orgs/data/*",
    "kexie/people/demo.py",
    "kexie/people/services/people.py",
    "kexie/people/models.py",
    "kexie/core/chinese.py",
    "kexie/activities/demo.py",
    SIGNUPS_INPUT,
    "kexie/activities/models.py",
    "kexie/activities/data/*",
    "kexie/reports/demo.py",
    "kexie/volunteers/demo.py",
    "kexie/volunteers/models.py",
    "kexie/*/migrations/*.py",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="M", choices=("S", "M", "L"), help="demo scale (default M)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per scenario (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--only", default="", help="run only scenarios whose name contains this text")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database even if cached")
    parser.add_argument(
        "--add-signups",
        action="store_true",
        help="on a key mismatch, add the demo sign-ups to a database built before they existed",
    )
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="on a key mismatch, migrate the existing database instead of rebuilding it",
    )
    return parser.parse_args(argv)


def cache_key(scale: str, seed: int, inputs: list[str] = KEY_INPUTS) -> str:
    digest = hashlib.sha256(f"{scale}/{seed}".encode())
    for pattern in inputs:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def configure_database(scale: str, seed: int) -> str:
    """Point the settings at the benchmark database (before Django reads them); describe it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"  # no query log growing through thousands of runs
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'kexie'}_bench_{scale.lower()}"
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
        return f"PostgreSQL database {name}"
    path = ROOT / "var" / "bench" / f"bench-{scale}-{seed}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["KEXIE_SQLITE_PATH"] = str(path)
    return f"SQLite {path.relative_to(ROOT)}"


def stored_key() -> str | None:
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM bench_meta")
            row = cursor.fetchone()
    except DatabaseError:
        connection.close()
        return None
    return row[0] if row else None


def recreate_database() -> None:
    from django.conf import settings
    from django.db import connection

    connection.close()
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db['NAME']}{suffix}").unlink(missing_ok=True)
        return
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
        name = sql.Identifier(db["NAME"])
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        # A UTF-8 ctype, as the test databases get (kexie/core/db/postgresql): CJK trigram search.
        admin.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(name)
        )


def build(scale: str, seed: int, key: str) -> float:
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    recreate_database()
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        # A build only (the connection closes before the scenarios run): a 4 GB page cache
        # keeps the growing indexes in memory instead of spilling the one transaction's
        # pages to the WAL, and no fsync (a build that fails is built again anyway).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-4194304")
            cursor.execute("PRAGMA synchronous=OFF")
    call_command("seed_demo", scale=scale, seed=seed)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As autovacuum does soon after a bulk load (PostgreSQL 13+ vacuums after inserts):
            # planner statistics, and the visibility map that lets index-only scans skip the table.
            cursor.execute("VACUUM ANALYZE")
        cursor.execute("CREATE TABLE bench_meta (cache_key varchar(64) NOT NULL)")
        cursor.execute("INSERT INTO bench_meta (cache_key) VALUES (%s)", [key])
    connection.close()  # the scenarios start from a connection with the usual settings
    return time.monotonic() - started


def migrate(key: str) -> float:
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", verbosity=1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            call_command("analyze_database", verbosity=0)
        cursor.execute("UPDATE bench_meta SET cache_key = %s", [key])
    return time.monotonic() - started


def add_signups(scale: str, seed: int, key: str) -> float:
    import random

    from django.db import connection

    from kexie.activities.demo_signups import seed_signups

    started = time.monotonic()
    result = seed_signups(scale=scale, rng=random.Random(f"kexie-demo-signups/{scale}/{seed}"))
    print(result.summary(), flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the new rows only: the rest was vacuumed when built
            cursor.execute("VACUUM ANALYZE activities_signupsettings, activities_signup")
        else:
            cursor.execute("ANALYZE activities_signupsettings")
            cursor.execute("ANALYZE activities_signup")
        cursor.execute("UPDATE bench_meta SET cache_key = %s", [key])
    return time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run(scenarios, *, repeat: int, warmup: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.scenarios import BenchContext

    ctx = BenchContext()
    results = []
    for item in scenarios:
        for _ in range(warmup):
            item.func(ctx)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            item.func(ctx)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:  # counted apart: capturing costs time
            item.func(ctx)
        results.append((item.name, statistics.median(timings), percentile(timings, 0.95), len(captured)))
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    where = configure_database(args.scale, args.seed)

    import django

    django.setup()
    from bench.scenarios import SCENARIOS
    from kexie.orgs.models import Organization

    key = cache_key(args.scale, args.seed)
    stored = stored_key()
    without_signups = cache_key(args.scale, args.seed, [p for p in KEY_INPUTS if p != SIGNUPS_INPUT])
    if args.add_signups and not args.rebuild and stored == without_signups:
        print(f"Adding the demo sign-ups to the scale-{args.scale} database in {where}…", flush=True)
        seconds = add_signups(args.scale, args.seed, key)
        print(f"Added in {seconds:.0f} s.", flush=True)
    elif args.migrate and not args.rebuild and stored not in (None, key):
        print(f"Migrating the scale-{args.scale} database in {where}…", flush=True)
        seconds = migrate(key)
        print(f"Migrated in {seconds:.0f} s.", flush=True)
    elif args.rebuild or stored != key:
        print(f"Building the scale-{args.scale} database (seed {args.seed}) in {where}…", flush=True)
        seconds = build(args.scale, args.seed, key)
        print(f"Built in {seconds:.0f} s.", flush=True)
    chosen = [s for s in SCENARIOS if args.only.lower() in s.name.lower()]
    if not chosen:
        print(f"No scenario matches “{args.only}”.", file=sys.stderr)
        return 2
    results = run(chosen, repeat=args.repeat, warmup=args.warmup)

    print()
    print(
        f"Kexie benchmarks · scale {args.scale} (seed {args.seed}) · {where} · "
        f"{Organization.objects.count()} organizations · {args.repeat} runs after {args.warmup} warm-up"
    )
    width = max(len("scenario"), *(len(name) for name, *_ in results))
    print(f"{'scenario'.ljust(width)}  {'median ms':>9}  {'p95 ms':>8}  {'queries':>7}")
    for name, median, p95, queries in results:
        print(f"{name.ljust(width)}  {median:9.1f}  {p95:8.1f}  {queries:7d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The settings module in its production mode passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A browser test in the same worker sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a
    # deployment never has it, and the deployment check rightly refuses it.
    ignored = {"DATABASE_URL", "KEXIE_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "KEXIE_ENV": "production",
    "SECRET_KEY": "x7Qp2vL9sK4mN8rT1wZ6yB3cF5hJ0dG-prod-key-for-checks-only_aa",
    "ALLOWED_HOSTS": "kexie.example.org",
    "KEXIE_PERSONAL_DATA_KEYS": "lq9ZbS7yKk0qkqT3v6Yb4q2lJk0gq0m2cXbR6rZ0sC8=",
    "KEXIE_BLIND_INDEX_KEY": "blind-index-key-for-checks-only",
}


def test_production_mode_passes_the_deployment_checks_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", REDIS_URL="redis://127.0.0.1:6379/0", **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_shared_cache_is_warned_that_rate_limits_are_per_process():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", REDIS_URL="", **PRODUCTION)
    assert result.returncode != 0
    assert "kexie.W001" in result.stderr and "REDIS_URL" in result.stderr


def test_redis_url_gives_every_process_one_shared_cache():
    result = run_manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.core.cache import caches; print(type(caches['default']).__name__, "
        "caches['default']._cache._servers)",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCache", "['redis://127.0.0.1:6379/3']"]


def test_production_mode_refuses_to_start_without_the_personal_data_keys():
    result = run_manage(
        "check",
        KEXIE_ENV="production",
        SECRET_KEY="x7Qp2vL9sK4mN8rT1wZ6yB3cF5hJ0dG-prod-key-for-checks-only_aa",
        ALLOWED_HOSTS="kexie.example.org",
    )
    assert result.returncode != 0
    assert "KEXIE_BLIND_INDEX_KEY" in result.stderr or "KEXIE_PERSONAL_DATA_KEYS" in result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_manage("check", KEXIE_ENV="production", ALLOWED_HOSTS="kexie.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_a_response_carries_a_content_security_policy_with_a_nonce(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy


def _redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


TRY_SIGNUPS = """
from kexie.activities.services.signups import RateLimited, rate_check
refused = 0
for _ in range({tries}):
    try:
        rate_check(ip=None, mobile="13800138000")
    except RateLimited:
        refused += 1
print(refused)
"""


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_two_processes_sharing_redis_count_one_mobiles_sign_ups_together():
    import redis

    url = "redis://127.0.0.1:6379/3"
    redis.Redis.from_url(url).flushdb()
    try:
        # Five tries a mobile in ten minutes: three in one process, three in another.
        first = run_manage("shell", "--verbosity=0", "-c", TRY_SIGNUPS.format(tries=3), REDIS_URL=url)
        second = run_manage("shell", "--verbosity=0", "-c", TRY_SIGNUPS.format(tries=3), REDIS_URL=url)
    finally:
        redis.Redis.from_url(url).flushdb()
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert (first.stdout.split()[-1], second.stdout.split()[-1]) == ("0", "1")

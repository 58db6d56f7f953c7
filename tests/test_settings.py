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


def test_production_mode_passes_the_deployment_checks_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        KEXIE_ENV="production",
        SECRET_KEY="x7Qp2vL9sK4mN8rT1wZ6yB3cF5hJ0dG-prod-key-for-checks-only_aa",
        ALLOWED_HOSTS="kexie.example.org",
        KEXIE_PERSONAL_DATA_KEYS="lq9ZbS7yKk0qkqT3v6Yb4q2lJk0gq0m2cXbR6rZ0sC8=",
        KEXIE_BLIND_INDEX_KEY="blind-index-key-for-checks-only",
    )
    assert result.returncode == 0, result.stdout + result.stderr


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

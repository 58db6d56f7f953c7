"""Shared test world: a small 科协 network and one user per role (see kexie/core/testing.py)."""

import pytest

from kexie.activities.testing import *  # noqa: F403  fixtures
from kexie.core.testing import *  # noqa: F403  fixtures
from kexie.people.testing import *  # noqa: F403  fixtures
from kexie.statistics.testing import *  # noqa: F403  fixtures
from kexie.volunteers.testing import *  # noqa: F403  fixtures
from tests.browser import *  # noqa: F403  browser fixtures


@pytest.fixture(autouse=True)
def chinese_ui(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded and generated files of a test go to a directory of its own, not var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rate-limit counters (public sign-up) left by an
    earlier test in the same worker must not refuse this one's requests."""
    from django.core.cache import cache

    cache.clear()
    yield

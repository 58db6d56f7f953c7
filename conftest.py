"""Shared test world: a small 科协 network and one user per role (see kexie/core/testing.py)."""

import pytest

from kexie.activities.testing import *  # noqa: F403  fixtures
from tests.browser import *  # noqa: F403  browser fixtures
from kexie.core.testing import *  # noqa: F403  fixtures
from kexie.people.testing import *  # noqa: F403  fixtures


@pytest.fixture(autouse=True)
def chinese_ui(settings):
    settings.LANGUAGE_CODE = "zh-hans"

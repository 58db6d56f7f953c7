import pytest


@pytest.fixture(autouse=True)
def english_ui(settings):
    """These tests read the pages' English msgids; tests/test_i18n.py checks the translations."""
    settings.LANGUAGE_CODE = "en"

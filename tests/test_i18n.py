"""Every UI string has a Simplified Chinese translation, and zh_Hant is derived from it."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from kexie.core.i18n import HANS_PO, HANT_PO, derive_hant, untranslated

BASE = Path(settings.BASE_DIR)
SOURCES = ["kexie", "config", "templates", "locale"]


@pytest.fixture
def extracted_catalogue(tmp_path, settings, monkeypatch):
    """Run makemessages for zh_Hans over a scratch copy of the sources (the real locale/ is untouched)."""
    for name in SOURCES:
        shutil.copytree(BASE / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)
    return (tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8")


def test_every_ui_string_has_a_simplified_chinese_translation(extracted_catalogue):
    missing = untranslated(extracted_catalogue)
    assert missing == [], f"{len(missing)} msgids lack a zh_Hans translation, e.g. {missing[:10]}"


def test_traditional_chinese_is_regenerated_from_simplified():
    hans = (BASE / HANS_PO).read_text(encoding="utf-8")
    assert (BASE / HANT_PO).read_text(encoding="utf-8") == derive_hant(hans), (
        "locale/zh_Hant is out of date: run `manage.py locale_hant`"
    )


def test_traditional_conversion_uses_taiwan_phrasing():
    assert "軟體" in derive_hant('msgid ""\nmsgstr ""\n\nmsgid "Software"\nmsgstr "软件"\n')

"""The zh_Hant catalogue is derived from zh_Hans; this module knows how."""

import polib

from kexie.core.chinese import to_traditional

HANS_PO = "locale/zh_Hans/LC_MESSAGES/django.po"
HANT_PO = "locale/zh_Hant/LC_MESSAGES/django.po"


def derive_hant(hans_text: str) -> str:
    catalogue = polib.pofile(hans_text)
    catalogue.metadata["Language"] = "zh_Hant"
    catalogue.header = "Generated from zh_Hans by `manage.py locale_hant` (OpenCC s2twp). Do not edit."
    for entry in catalogue:
        if entry.msgstr:
            entry.msgstr = to_traditional(entry.msgstr)
        for index, text in list(entry.msgstr_plural.items()):
            entry.msgstr_plural[index] = to_traditional(text)
    return str(catalogue)


def untranslated(hans_text: str) -> list[str]:
    """msgids of zh_Hans that have no translation (or only a fuzzy one)."""
    catalogue = polib.pofile(hans_text)
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    missing += [entry.msgid for entry in catalogue.fuzzy_entries()]
    return missing

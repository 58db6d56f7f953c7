"""docs/statistics.md explains every figure users see: a definition added to the registry
without a line in the user documentation fails here."""

from pathlib import Path

from django.conf import settings

from kexie.statistics.definitions import all_definitions

DOCS = Path(settings.BASE_DIR) / "docs" / "statistics.md"


def test_every_definition_is_explained_in_the_user_documentation():
    text = DOCS.read_text(encoding="utf-8")
    missing = [definition.code for definition in all_definitions() if f"`{definition.code}`" not in text]
    assert missing == [], f"add these figures to docs/statistics.md: {missing}"

"""Generate locale/zh_Hant from locale/zh_Hans with OpenCC (s2twp: Taiwan phrasing).

zh_Hans is the translation people maintain; zh_Hant is derived and never edited by hand.
`--check` exits non-zero when zh_Hant is out of date, which the test suite uses.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kexie.core.i18n import HANS_PO, HANT_PO, derive_hant


class Command(BaseCommand):
    help = "Derive locale/zh_Hant/LC_MESSAGES/django.po from zh_Hans with OpenCC."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only report whether zh_Hant is up to date.")

    def handle(self, *args, check: bool, **options):
        base = Path(settings.BASE_DIR)
        source, target = base / HANS_PO, base / HANT_PO
        if not source.exists():
            raise CommandError(f"{source} does not exist")
        derived = derive_hant(source.read_text(encoding="utf-8"))
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if check:
            if derived != current:
                raise CommandError("locale/zh_Hant is out of date: run `manage.py locale_hant`.")
            self.stdout.write("zh_Hant is up to date.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(derived, encoding="utf-8")
        self.stdout.write(f"Wrote {target.relative_to(base)}")

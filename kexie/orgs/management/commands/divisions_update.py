"""Bring the GB/T 2260 division table to a new edition of the Ministry of Civil Affairs' list.

    manage.py divisions_update list.txt --edition 2026-06-30

The file is ``code<TAB>name`` (our format, see kexie/orgs/data/) or ``code name`` as the
Ministry publishes it. New codes are added, renamed ones updated, missing ones marked as
no longer current (never deleted). One transaction and one audit record; a bad line stops
everything with its line number.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kexie.orgs.divisions import DivisionFileError, divisions_update, read_division_file


def _edition(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--edition must be a date like 2026-06-30, not “{value}”.") from exc


class Command(BaseCommand):
    help = "Update the administrative divisions (GB/T 2260) from a code list file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="code list: 'code<TAB>name' or 'code name' lines, UTF-8 or GB 18030")
        parser.add_argument("--edition", type=_edition, help="edition date (YYYY-MM-DD) if the file has none")
        parser.add_argument(
            "--allow-mass-withdrawal",
            action="store_true",
            help="apply even if more than half of the current divisions would be withdrawn",
        )

    def handle(
        self, *args, file: str, edition: date | None, allow_mass_withdrawal: bool, verbosity: int, **options
    ):
        try:
            division_list = read_division_file(file)
            summary = divisions_update(
                actor=None,
                division_list=division_list,
                edition=edition,
                allow_mass_withdrawal=allow_mass_withdrawal,
            )
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {file}") from exc
        except DivisionFileError as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write(
            f"Divisions updated to the {summary.edition} edition: {len(summary.added)} added, "
            f"{len(summary.renamed)} renamed, {len(summary.withdrawn)} withdrawn, "
            f"{len(summary.restored)} restored, {summary.unchanged} unchanged."
        )
        if verbosity < 1 or len(summary.added) > 200:  # a first load need not list 3000 codes
            return
        for code, name in summary.added:
            self.stdout.write(f"  + {code} {name}")
        for code, old, new in summary.renamed:
            self.stdout.write(f"  ~ {code} {old} → {new}")
        for code, name in summary.withdrawn:
            self.stdout.write(f"  - {code} {name} (no longer current)")
        for code, name in summary.restored:
            self.stdout.write(f"  ↺ {code} {name} (current again)")

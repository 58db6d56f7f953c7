"""Write an organization's annual work summary (or a review of several years) for scripting:

    manage.py annual_report --org 示例市科协 --year 2025 --out 2025.docx
    manage.py annual_report --org 12 --years 2019-2023 --out review.docx --traditional

The organization is given by its id, name, short name or unified social credit code. The
.xlsx of the tables is written beside the .docx (same name, .xlsx)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from kexie.orgs.models import Organization
from kexie.reports.annual import annual_report, render_docx, render_xlsx


class Command(BaseCommand):
    help = "Write an organization's annual work summary (.docx and .xlsx) from the records."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="id, name, short name or credit code")
        years = parser.add_mutually_exclusive_group(required=True)
        years.add_argument("--year", type=int)
        years.add_argument("--years", help="a review of several years, e.g. 2019-2023")
        parser.add_argument("--out", required=True, help="the .docx to write")
        parser.add_argument("--traditional", action="store_true", help="in Traditional characters")

    def handle(self, *args, **options):
        organization = self._organization(options["org"])
        if options["year"]:
            first = last = options["year"]
        else:
            try:
                first, last = (int(part) for part in options["years"].split("-"))
            except ValueError:
                raise CommandError("--years takes two years, e.g. 2019-2023") from None
            if last < first:
                raise CommandError("--years: the last year is before the first")
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise CommandError("--out must name a .docx file")
        report = annual_report(
            organization=organization, first_year=first, last_year=last, traditional=options["traditional"]
        )
        out.write_bytes(render_docx(report))
        out.with_suffix(".xlsx").write_bytes(render_xlsx(report))
        self.stdout.write(f"{out} and {out.with_suffix('.xlsx')}: {len(report.figures)} figures in the text")

    def _organization(self, key: str) -> Organization:
        lookup = Q(name=key) | Q(short_name=key) | Q(credit_code=key)
        if key.isdigit():
            lookup |= Q(pk=int(key))
        found = list(Organization.objects.filter(lookup)[:2])
        if len(found) != 1:
            raise CommandError(f"--org {key!r}: {'no' if not found else 'more than one'} organization")
        return found[0]

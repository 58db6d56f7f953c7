"""Dashboard benchmarks: the whole home page as the city and the county persona see it
after logging in (this year to date), and for the last full year, rendered through the
Django test client; and the city's annual work summary of the last full year, computed and
written as .docx and .xlsx (what the background task does). Issue targets: a city's
dashboard at L under 500 ms on PostgreSQL, its annual report in under 5 seconds."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.scenarios import BenchContext, scenario

USERS = [("city", "city_admin"), ("county", "county_staff")]


def _client(ctx: BenchContext, username: str) -> Client:
    cache = ctx.__dict__.setdefault("dashboard_clients", {})
    if username not in cache:
        cache[username] = Client()
        cache[username].force_login(ctx.scope(username).user)
    return cache[username]


def _register(level: str, username: str) -> None:
    @scenario(f"dashboard rendered, this year to date ({level})")
    def to_date(ctx: BenchContext):
        response = _client(ctx, username).get(reverse("reports:dashboard"))
        assert response.status_code == 200, response.status_code
        return len(response.content)

    @scenario(f"dashboard rendered, last full year ({level})")
    def last_year(ctx: BenchContext):
        year = timezone.localdate().year - 1
        response = _client(ctx, username).get(reverse("reports:dashboard"), {"year": year})
        assert response.status_code == 200, response.status_code
        return len(response.content)


for _level, _username in USERS:
    _register(_level, _username)


@scenario("annual report of the city, last full year (document and workbook)")
def annual_report_city(ctx: BenchContext):
    from kexie.reports.annual import annual_report, render_docx, render_xlsx

    report = annual_report(organization=ctx.city, first_year=timezone.localdate().year - 1)
    return len(render_docx(report)) + len(render_xlsx(report))

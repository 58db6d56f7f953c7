"""Reading reports upward: the submissions a scope may see (its subtree's), and where each
direct child association stands for a period."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kexie.activities.services.periods import ancestor_paths, period_bounds
from kexie.core.scoping import Scope
from kexie.orgs.models import Organization, Status
from kexie.orgs.selectors import AREA_KINDS
from kexie.reports.models import ReportPeriod, ReportPreference, SectionText, Submission
from kexie.reports.texts import SECTIONS


def submission_queryset(*, scope: Scope) -> QuerySet:
    """The submissions of the scope's subtree, newest period first."""
    return scope.filter(Submission.objects.all()).select_related(
        "organization", "submitted_by", "reviewed_by"
    )


def submission_get(*, scope: Scope, pk) -> Submission:
    """One submission of an organization in the scope, else 404."""
    return scope.get(
        Submission.objects.select_related("organization", "organization__parent", "lock"),
        via="organization",
        pk=pk,
    )


def period_label(period: str, year: int, number: int) -> str:
    if period == ReportPeriod.QUARTER:
        return _("Quarter %(quarter)s of %(year)s") % {"quarter": number, "year": year}
    if period == ReportPeriod.HALF_YEAR:
        half = _("first half") if number == 1 else _("second half")
        return _("%(half)s of %(year)s") % {"half": half, "year": year}
    return _("Year %(year)s") % {"year": year}


@dataclass(frozen=True)
class ReportingPeriod:
    period: str
    year: int
    number: int
    start: date
    end: date

    @property
    def label(self) -> str:
        return period_label(self.period, self.year, self.number)

    @classmethod
    def of(cls, period: str, year: int, number: int = 1) -> "ReportingPeriod":
        start, end = period_bounds(period, year, number)
        return cls(period, year, number if period != ReportPeriod.YEAR else 1, start, end)


def last_ended(period: str, today: date) -> ReportingPeriod:
    """The last quarter, half year or year that has ended by `today`."""
    months = {ReportPeriod.QUARTER: 3, ReportPeriod.HALF_YEAR: 6, ReportPeriod.YEAR: 12}[period]
    number = (today.month - 1) // months  # the one before today's; 0: the last of last year
    year = today.year if number else today.year - 1
    return ReportingPeriod.of(period, year, number or 12 // months)


@dataclass
class ChildReport:
    organization: Organization
    submission: Submission | None  # the latest, returned ones included

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else ""

    @property
    def reported(self) -> bool:
        return self.state in (Submission.State.SUBMITTED, Submission.State.ACCEPTED)


def child_reports(*, organization: Organization, period: ReportingPeriod) -> list[ChildReport]:
    """Each direct child association of the organization with its latest submission of the
    period (None: not submitted), in tree order (two queries)."""
    children = list(
        Organization.objects.filter(parent=organization, kind__in=AREA_KINDS, status=Status.ACTIVE).order_by(
            "path"
        )
    )
    latest: dict[int, Submission] = {}
    submissions = Submission.objects.filter(
        organization__in=children, starts_on=period.start, ends_on=period.end
    ).order_by("submitted_at", "pk")
    for submission in submissions:
        latest[submission.organization_id] = submission
    return [ChildReport(child, latest.get(child.pk)) for child in children]


@dataclass
class CurrentText:
    """The template a section of an organization's summary uses now, and where it comes from."""

    section: str
    body: str
    version: SectionText | None  # None: the platform's default
    inherited: bool  # set by an organization above


def current_texts(organization: Organization) -> dict[str, CurrentText]:
    """Each section's template for the organization: the latest version set by it or by the
    nearest organization above it, else the platform's default (one query)."""
    chain = ancestor_paths(organization)
    depth = {path: index for index, path in enumerate(chain)}
    found: dict[str, SectionText] = {}
    versions = SectionText.objects.filter(organization__path__in=chain).select_related(
        "organization", "created_by"
    )
    for version in versions:
        best = found.get(version.section)
        key = (depth[version.organization.path], version.version)
        if best is None or key > (depth[best.organization.path], best.version):
            found[version.section] = version
    return {
        spec.code: CurrentText(
            spec.code,
            found[spec.code].body if spec.code in found else spec.default,
            found.get(spec.code),
            spec.code in found and found[spec.code].organization_id != organization.pk,
        )
        for spec in SECTIONS
    }


def texts_for(organization: Organization) -> dict[str, str]:
    return {code: current.body for code, current in current_texts(organization).items()}


def section_versions(organization: Organization, section: str) -> QuerySet:
    """The organization's own versions of a section's template, newest first."""
    return SectionText.objects.filter(organization=organization, section=section).select_related("created_by")


def prefers_traditional(organization: Organization) -> bool:
    """Whether the organization's documents are written in Traditional characters: its own
    preference, else the nearest organization's above it (Simplified without one)."""
    chain = ancestor_paths(organization)
    rows = ReportPreference.objects.filter(organization__path__in=chain).values_list(
        "organization__path", "traditional"
    )
    preferences = dict(rows)
    return next((preferences[path] for path in reversed(chain) if path in preferences), False)

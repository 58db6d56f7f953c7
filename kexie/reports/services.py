"""Writes of reporting upward (submit, return, accept) and of generated documents (request,
write). Each runs in one transaction and writes its audit record in it (the lock and
unlock of the period write theirs too)."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.activities.models import PeriodLock
from kexie.activities.services import periods
from kexie.audit.services import record
from kexie.core.errors import DomainError
from kexie.orgs.models import Organization, Status
from kexie.reports import selectors
from kexie.reports.models import GeneratedReport, ReportPeriod, ReportPreference, SectionText, Submission
from kexie.reports.texts import section_spec, template_errors
from kexie.statistics.selectors import statistic_values

MAX_REMARKS = 2000


def figures_of(organization: Organization, starts_on, ends_on) -> dict:
    """Every definition's value for the subtree and the period, as a submission keeps it
    (a decimal as its text, so that nothing is rounded)."""
    table = statistic_values(organization=organization, start=starts_on, end=ends_on)
    return {code: str(value) if isinstance(value, Decimal) else value for code, value in table.totals.items()}


def _clean_text(text: str, *, limit: int, field: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise DomainError(_("Write at most %(limit)s characters.") % {"limit": limit}, field=field)
    return text


@transaction.atomic
def report_submit(
    *, actor, organization: Organization, period: str, year: int, number: int = 1, remarks: str = ""
) -> Submission:
    """Submit a period's figures upward: lock the period for the subtree and keep the
    figures as they are now."""
    if period not in ReportPeriod.values:
        raise DomainError(_("Choose a quarter, a half year or a year."), field="period")
    if organization.parent_id is None:
        raise DomainError(_("The root of the network has no organization above it to report to."))
    # Serializes submissions of one organization: the second waits, then finds the first.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status != Status.ACTIVE:
        raise DomainError(_("A dissolved organization does not report."))
    starts_on, ends_on = periods.period_bounds(period, year, number)
    remarks = _clean_text(remarks, limit=MAX_REMARKS, field="remarks")
    if (
        Submission.objects.filter(organization=organization, starts_on=starts_on, ends_on=ends_on)
        .exclude(state=Submission.State.RETURNED)
        .exists()
    ):
        raise DomainError(_("This period has been reported already."), field="period")
    lock = PeriodLock.objects.filter(
        organization=organization, starts_on=starts_on, ends_on=ends_on, unlocked_at__isnull=True
    ).first()
    if lock is None:
        lock = periods.period_lock(
            actor=actor, organization=organization, period=period, year=year, number=number
        )
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                organization=organization,
                period=period,
                year=year,
                number=number,
                starts_on=starts_on,
                ends_on=ends_on,
                remarks=remarks,
                figures=figures_of(organization, starts_on, ends_on),
                lock=lock,
                submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise DomainError(_("This period has been reported already."), field="period") from None
    record(actor, "report.submit", submission, starts_on=starts_on, ends_on=ends_on, period=period)
    return submission


def may_review(scope, submission: Submission) -> bool:
    """The organization directly above the submitter reviews its reports."""
    return scope.organization.pk == submission.organization.parent_id


def _open_for_review(submission: Submission) -> Submission:
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("organization", "lock")
        .get(pk=submission.pk)
    )
    if submission.state != Submission.State.SUBMITTED:
        raise DomainError(_("This report has been returned or accepted already."))
    return submission


@transaction.atomic
def report_return(*, actor, submission: Submission, reason: str) -> Submission:
    """Send a report back with a reason: the period is unlocked so that the submitter can
    correct its records and submit again."""
    submission = _open_for_review(submission)
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Say why the report is returned."), field="reason")
    reason = _clean_text(reason, limit=255, field="reason")
    if submission.lock is not None and submission.lock.unlocked_at is None:
        periods.period_unlock(actor=actor, lock=submission.lock, reason=reason)
    submission.state = Submission.State.RETURNED
    submission.return_reason = reason
    submission.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["state", "return_reason", "reviewed_by", "reviewed_at"])
    record(actor, "report.return", submission, reason=reason)
    return submission


@transaction.atomic
def report_accept(*, actor, submission: Submission) -> Submission:
    """Accept a report: its figures stay as submitted from now on."""
    submission = _open_for_review(submission)
    submission.state = Submission.State.ACCEPTED
    submission.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    record(actor, "report.accept", submission)
    return submission


# --- generated documents -----------------------------------------------------------------

FIRST_YEAR = 2000
LONGEST_REVIEW_YEARS = 10


@transaction.atomic
def document_request(
    *,
    actor,
    organization: Organization,
    first_year: int,
    last_year: int | None = None,
    month: int | None = None,
    traditional: bool | None = None,
) -> GeneratedReport:
    """Ask for an annual summary, a review of several years, or (with `month`) the monthly
    bulletin of that month; a background task writes it. In Traditional characters when
    asked, or (`traditional` None) when the organization prefers them."""
    today = timezone.localdate()
    last_year = first_year if month else (last_year or first_year)
    if month is not None and (not 1 <= month <= 12 or (first_year, month) > (today.year, today.month)):
        raise DomainError(_("Choose a month that has begun."), field="month")
    if not FIRST_YEAR <= first_year <= today.year or not FIRST_YEAR <= last_year <= today.year:
        raise DomainError(
            _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": today.year},
            field="year",
        )
    if last_year < first_year:
        raise DomainError(_("The last year is before the first year."), field="last_year")
    if last_year - first_year + 1 > LONGEST_REVIEW_YEARS:
        raise DomainError(
            _("A review covers at most %(years)s years.") % {"years": LONGEST_REVIEW_YEARS}, field="last_year"
        )
    kind = GeneratedReport.Kind.REVIEW if last_year > first_year else GeneratedReport.Kind.ANNUAL
    if month:
        kind = GeneratedReport.Kind.BULLETIN
    document = GeneratedReport.objects.create(
        organization=organization,
        kind=kind,
        first_year=first_year,
        last_year=last_year,
        month=month or None,
        traditional=selectors.prefers_traditional(organization) if traditional is None else bool(traditional),
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor, "report.document.request", document, first_year=first_year, last_year=last_year)
    from kexie.reports.tasks import generate_document_task

    transaction.on_commit(lambda: generate_document_task.enqueue(document.pk))
    return document


def _progress(document: GeneratedReport, percent: int, message: str = "") -> None:
    """Bookkeeping the page polls: written at once, outside any transaction of the writing."""
    GeneratedReport.objects.filter(pk=document.pk).update(progress=percent, message=message[:255])


def document_generate(document: GeneratedReport) -> GeneratedReport:
    """Write the document and its workbook (the background task's work); a failure is kept
    on the document, with its reason, rather than lost."""
    from kexie.reports.annual import annual_report, render_docx, render_xlsx
    from kexie.reports.bulletin import monthly_bulletin, render_bulletin_docx, render_bulletin_xlsx

    GeneratedReport.objects.filter(pk=document.pk).update(state=GeneratedReport.State.RUNNING, progress=1)
    try:
        if document.kind == GeneratedReport.Kind.BULLETIN:
            report = monthly_bulletin(
                organization=document.organization, year=document.first_year, month=document.month
            )
            docx, xlsx = render_bulletin_docx(report), render_bulletin_xlsx(report)
        else:
            report = annual_report(
                organization=document.organization,
                first_year=document.first_year,
                last_year=document.last_year,
                traditional=document.traditional,
                progress=lambda percent, message: _progress(document, percent, message),
            )
            docx, xlsx = render_docx(report), render_xlsx(report)
    except Exception as error:
        with transaction.atomic():
            GeneratedReport.objects.filter(pk=document.pk).update(
                state=GeneratedReport.State.FAILED, message=str(error)[:255], finished_at=timezone.now()
            )
            record(None, "report.document.failed", document, error=str(error)[:255])
        raise
    # The stored name; a download is named after the organization and the years.
    name = f"{document.organization.pk}-{document.first_year}-{document.month or document.last_year}"
    with transaction.atomic():
        document = GeneratedReport.objects.select_for_update().get(pk=document.pk)
        document.docx.save(f"{name}.docx", ContentFile(docx), save=False)
        document.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        document.state = GeneratedReport.State.DONE
        document.progress = 100
        document.message = ""
        document.finished_at = timezone.now()
        document.save()
        record(None, "report.document.generated", document, figures=len(report.figures))
    return document


# --- the texts of the summary ------------------------------------------------------------


@transaction.atomic
def section_text_save(
    *, actor, organization: Organization, section: str, body: str, note: str = ""
) -> SectionText:
    """A new version of a section's template for the organization's subtree."""
    spec = section_spec(section)
    if spec is None:
        raise DomainError(_("There is no such section."), field="section")
    body = "\n".join(line.rstrip() for line in (body or "").strip().splitlines())
    if not body:
        raise DomainError(_("Write the text of the section."), field="body")
    if len(body) > MAX_REMARKS:
        raise DomainError(_("Write at most %(limit)s characters.") % {"limit": MAX_REMARKS}, field="body")
    errors = template_errors(body)
    if errors:
        raise DomainError(" ".join(errors), field="body")
    note = _clean_text(note, limit=255, field="note")
    # Serializes the versions of one organization: two editors get two numbers.
    Organization.objects.select_for_update().get(pk=organization.pk)
    latest = (
        SectionText.objects.filter(organization=organization, section=section).order_by("-version").first()
    )
    text = SectionText.objects.create(
        organization=organization,
        section=section,
        version=(latest.version if latest else 0) + 1,
        body=body,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor, "report.text.save", text, section=section, version=text.version)
    return text


def section_text_restore(
    *, actor, organization: Organization, section: str, version: int | None
) -> SectionText:
    """A new version with the text of an earlier one (None: the platform's default)."""
    if version is None:
        spec = section_spec(section)
        if spec is None:
            raise DomainError(_("There is no such section."), field="section")
        return section_text_save(
            actor=actor,
            organization=organization,
            section=section,
            body=spec.default,
            note=_("Platform default"),
        )
    earlier = SectionText.objects.filter(organization=organization, section=section, version=version).first()
    if earlier is None:
        raise DomainError(_("There is no such version."), field="version")
    note = _("Restored version %(version)s") % {"version": version}
    return section_text_save(
        actor=actor, organization=organization, section=section, body=earlier.body, note=note
    )


@transaction.atomic
def preference_set(*, actor, organization: Organization, traditional: bool) -> ReportPreference:
    """Write the organization's documents (and those of its subtree) in Traditional or
    Simplified characters."""
    preference, created = ReportPreference.objects.select_for_update().get_or_create(
        organization=organization, defaults={"traditional": bool(traditional)}
    )
    old = None if created else preference.traditional
    if not created and preference.traditional != bool(traditional):
        preference.traditional = bool(traditional)
        preference.save(update_fields=["traditional", "updated_at"])
    record(actor, "report.preference.set", preference, changes={"traditional": (old, bool(traditional))})
    return preference

"""The dashboard, the home page of every staff user (see `dashboard.py`), and reporting
upward (层层上报): submitting a period, the children's reports, returning and accepting."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm, Role
from kexie.activities.forms import ReasonForm
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.listing import page_of, page_range
from kexie.core.scoping import scoped
from kexie.reports import selectors, services
from kexie.reports.dashboard import HEADLINE, RANKING_SHOWN
from kexie.reports.dashboard import dashboard as dashboard_of
from kexie.reports.forms import DashboardForm, DocumentForm, ReportingPeriodForm, SectionTextForm, SubmitForm
from kexie.reports.models import GeneratedReport, ReportPeriod, Submission
from kexie.reports.texts import NUMBERS, SECTIONS, TEXTS, section_spec
from kexie.statistics.definitions import Definition, Service, all_definitions, definitions_for
from kexie.statistics.exporting import cell
from kexie.statistics.figures import trend_chart
from kexie.statistics.selectors import statistic_values

# The separated administrators (三员) work in their own consoles; the dashboard is not theirs.
_ADMIN_LANDING = {
    Role.AUDIT_ADMIN: "audit:list",
    Role.SYSTEM_ADMIN: "accounts:user_list",
    Role.SECURITY_ADMIN: "accounts:membership_list",
}


def dashboard(request):
    """The landing page after login: the work of the active organization's network."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = request.scope
    if scope and scope.role in _ADMIN_LANDING:
        return redirect(_ADMIN_LANDING[scope.role])
    if not scope and hasattr(request.user, "person"):
        # A scientist's own portal account: their profile is their home page.
        return redirect("people:me")
    if not scope or not scope.has(Perm.STATISTICS_VIEW):
        if scope and scope.has(Perm.ORG_VIEW):
            return redirect("orgs:overview")
        # No role yet (or none that reads the network): a friendly page, not a 403 at login.
        return render(request, "orgs/no_access.html")
    today = timezone.localdate()
    form = DashboardForm(request.GET or None, today=today)
    board = dashboard_of(
        scope=scope, period=form.period(), today=today, trend=form.trend_code(), rank=form.rank_code()
    )
    period = list(form.period_params().items())
    trend = [("trend", board.trend.code)]
    rank = [("rank", board.rank.code)]
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "form": form,
            "period": board.period,
            "year_choices": form.year_choices,
            "definitions": all_definitions(),
            "trend_chart": trend_chart(board.trend, board.monthly, board.monthly_last),
            "keep": {"period": trend + rank, "trend": period + rank, "rank": period + trend},
            "period_query": urlencode(period),
            "today": today,
            "ranking_limit": RANKING_SHOWN,
            "ranking_shown": f":{RANKING_SHOWN}",
        },
    )


dashboard.kexie_scoped = True  # it checks login and scope itself, so that no role gets a 403 at login


# --- reporting upward (层层上报) -----------------------------------------------------------

HISTORY_PAGE_SIZE = 25


@dataclass
class FigureRow:
    """One figure of a submission: as submitted, as the records give it today."""

    definition: Definition
    submitted: int | Decimal | None  # None: a figure defined after the report was submitted
    current: int | Decimal

    @property
    def difference(self):
        return None if self.submitted is None else self.current - self.submitted


def _submitted_value(value):
    return Decimal(value) if isinstance(value, str) else value


def figure_rows(submission: Submission, current: dict) -> list[tuple[str, list[FigureRow]]]:
    """The submission's figures beside today's, grouped by service."""
    groups = []
    for service in Service:
        rows = [
            FigureRow(
                definition,
                _submitted_value(submission.figures.get(definition.code)),
                current.get(definition.code, 0),
            )
            for definition in all_definitions()
            if definition.service == service.value
        ]
        if rows:
            groups.append((str(service.label), rows))
    return groups


def _preview(organization, period) -> list:
    """The figures a submission of the period would keep, as they are now."""
    figures = services.figures_of(organization, period.start, period.end)
    return figure_rows(Submission(figures=figures), figures)


def _reporting_page(request, *, submit_form=None, status=200):
    scope = request.scope
    today = timezone.localdate()
    form = ReportingPeriodForm(request.GET or None, today=today)
    period = form.reporting_period()
    organization = scope.organization
    own = (
        Submission.objects.filter(organization=organization, starts_on=period.start, ends_on=period.end)
        .select_related("submitted_by", "reviewed_by")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    may_submit = (
        scope.has(Perm.ACTIVITY_APPROVE)
        and organization.parent_id is not None
        and period.end < today
        and (own is None or own.state == Submission.State.RETURNED)
    )
    children = selectors.child_reports(organization=organization, period=period)
    history = page_of(
        request,
        selectors.submission_queryset(scope=scope).filter(organization=organization),
        per_page=HISTORY_PAGE_SIZE,
    )
    context = {
        "form": form,
        "period": period,
        "periods": ReportPeriod.choices,
        "own": own,
        "may_submit": may_submit,
        "submit_form": submit_form
        or SubmitForm(initial={"period": period.period, "year": period.year, "number": period.number}),
        "preview": _preview(organization, period) if may_submit else [],
        "children": children,
        "children_reported": sum(1 for row in children if row.reported),
        "children_accepted": sum(1 for row in children if row.state == Submission.State.ACCEPTED),
        "page_obj": history,
        "page_range": page_range(history),
        "period_query": urlencode({"period": period.period, "year": period.year, "number": period.number}),
        "ended": period.end < today,
    }
    return render(request, "reports/submissions.html", context, status=status)


@scoped(perm=Perm.STATISTICS_VIEW)
def submissions(request):
    """The period's report of the user's organization, its children's, and its history."""
    return _reporting_page(request)


@scoped(perm=Perm.ACTIVITY_APPROVE)
@require_POST
def submit(request):
    form = SubmitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.report_submit(
                actor=request.user,
                organization=request.scope.organization,
                period=data["period"],
                year=data["year"],
                number=data["number"],
                remarks=data["remarks"],
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(
                request,
                _("%(period)s has been reported upward and locked.")
                % {"period": selectors.period_label(submission.period, submission.year, submission.number)},
            )
            return redirect("reports:submission", submission.pk)
    request.GET = QueryDict(urlencode({k: request.POST.get(k, "") for k in ("period", "year", "number")}))
    return _reporting_page(request, submit_form=form, status=400)


@scoped(perm=Perm.STATISTICS_VIEW)
def submission_detail(request, pk):
    scope = request.scope
    submission = selectors.submission_get(scope=scope, pk=pk)
    current = statistic_values(
        organization=submission.organization, start=submission.starts_on, end=submission.ends_on
    ).totals
    groups = figure_rows(submission, current)
    context = {
        "submission": submission,
        "label": selectors.period_label(submission.period, submission.year, submission.number),
        "groups": groups,
        "changed": [row for _label, rows in groups for row in rows if row.difference],
        "may_review": submission.is_open
        and scope.has(Perm.ACTIVITY_APPROVE)
        and services.may_review(scope, submission),
        "is_own": submission.organization_id == scope.organization.pk,
        "reason_form": ReasonForm(),
        "period_query": urlencode(
            {"period": submission.period, "year": submission.year, "number": submission.number}
        ),
    }
    return render(request, "reports/submission_detail.html", context)


def _reviewed(request, pk):
    scope = request.scope
    submission = selectors.submission_get(scope=scope, pk=pk)
    scope.require(Perm.ACTIVITY_APPROVE)
    if not services.may_review(scope, submission):
        raise PermissionDenied(_("Only the organization directly above reviews its reports."))
    return submission


@scoped
@require_POST
def submission_return(request, pk):
    submission = _reviewed(request, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Say why the report is returned."), field="reason")
        services.report_return(actor=request.user, submission=submission, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The report has been returned and its period unlocked."))
    return redirect("reports:submission", submission.pk)


@scoped
@require_POST
def submission_accept(request, pk):
    submission = _reviewed(request, pk)
    try:
        services.report_accept(actor=request.user, submission=submission)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The report has been accepted: its figures are kept as submitted."))
    return redirect("reports:submission", submission.pk)


# --- generated documents -------------------------------------------------------------------

DOCUMENTS_PAGE_SIZE = 20


def _documents_page(request, *, form=None, status=200):
    scope = request.scope
    documents = page_of(
        request,
        GeneratedReport.objects.filter(organization=scope.organization).select_related("requested_by"),
        per_page=DOCUMENTS_PAGE_SIZE,
    )
    preferred = selectors.prefers_traditional(scope.organization)
    context = {
        "form": form or DocumentForm(today=timezone.localdate(), initial={"traditional": preferred}),
        "page_obj": documents,
        "page_range": page_range(documents),
        "pending": any(document.is_pending for document in documents.object_list),
    }
    template = "reports/_documents.html" if request.htmx and form is None else "reports/documents.html"
    return render(request, template, context, status=status)


@scoped(perm=Perm.STATISTICS_VIEW)
def documents(request):
    """The annual summaries and reviews of the user's organization, and the form that asks
    for one (the list refreshes itself while a document is being written)."""
    return _documents_page(request)


@scoped(perm=Perm.STATISTICS_VIEW)
@require_POST
def document_request(request):
    form = DocumentForm(request.POST, today=timezone.localdate())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_request(
                actor=request.user,
                organization=request.scope.organization,
                first_year=data["first_year"],
                last_year=data.get("last_year"),
                month=data.get("month"),
                traditional=data["traditional"],
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The document is being written: it will be ready in a few seconds."))
            return redirect("reports:documents")
    return _documents_page(request, form=form, status=400)


@scoped(perm=Perm.STATISTICS_VIEW)
def document_download(request, pk, fmt):
    document = request.scope.get(GeneratedReport.objects.all(), pk=pk)
    file = {"docx": document.docx, "xlsx": document.xlsx}.get(fmt)
    if document.state != GeneratedReport.State.DONE or not file:
        raise Http404
    record(request.user, "report.document.download", document, format=fmt)
    name = f"{document.organization.display_name}{document.label}.{fmt}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name)


# --- the texts of the summary ------------------------------------------------------------


@scoped(perm=Perm.STATISTICS_VIEW)
def texts(request):
    """Each section's template for the user's organization, and where it comes from."""
    organization = request.scope.organization
    current = selectors.current_texts(organization)
    rows = [(spec, current[spec.code]) for spec in SECTIONS]
    return render(
        request,
        "reports/texts.html",
        {
            "rows": rows,
            "may_edit": request.scope.has(Perm.ORG_MANAGE),
            "traditional": selectors.prefers_traditional(organization),
        },
    )


@scoped(perm=Perm.ORG_MANAGE)
@require_POST
def preference(request):
    """Write the organization's documents in Traditional (or Simplified) characters."""
    traditional = request.POST.get("traditional") == "1"
    services.preference_set(
        actor=request.user, organization=request.scope.organization, traditional=traditional
    )
    messages.success(request, _("Your organization's documents will be written in the characters chosen."))
    return redirect("reports:texts")


@scoped(perm=Perm.STATISTICS_VIEW)
def text_edit(request, section):
    scope = request.scope
    spec = section_spec(section)
    if spec is None:
        raise Http404
    organization = scope.organization
    current = selectors.current_texts(organization)[section]
    form = SectionTextForm(request.POST or None, initial={"body": current.body})
    status = 200
    if request.method == "POST":
        scope.require(Perm.ORG_MANAGE)
        try:
            if "restore" in request.POST:
                version = request.POST.get("restore")
                services.section_text_restore(
                    actor=request.user,
                    organization=organization,
                    section=section,
                    version=int(version) if version and version.isdigit() else None,
                )
            elif form.is_valid():
                services.section_text_save(
                    actor=request.user,
                    organization=organization,
                    section=section,
                    body=form.cleaned_data["body"],
                    note=form.cleaned_data["note"],
                )
            else:
                raise DomainError(_("Correct the text below."))
        except DomainError as error:
            form.show_domain_error(error)
            status = 400
        else:
            messages.success(request, _("The text has been saved as a new version."))
            return redirect("reports:text_edit", section)
    definitions = [(d.code, d.name, d.unit) for d in all_definitions()]
    return render(
        request,
        "reports/text_edit.html",
        {
            "spec": spec,
            "current": current,
            "form": form,
            "versions": selectors.section_versions(organization, section)[:50],
            "may_edit": scope.has(Perm.ORG_MANAGE),
            "definitions": definitions,
            "numbers": NUMBERS,
            "texts": TEXTS,
        },
        status=status,
    )


@scoped(perm=Perm.STATISTICS_VIEW)
def submissions_export(request):
    """The period's reports of the associations under the user's organization (and its own),
    with the main figures as submitted, as .xlsx; audited like every export."""
    scope = request.scope
    form = ReportingPeriodForm(request.GET or None, today=timezone.localdate())
    period = form.reporting_period()
    organization = scope.organization
    rows = selectors.child_reports(organization=organization, period=period)
    own = (
        Submission.objects.filter(organization=organization, starts_on=period.start, ends_on=period.end)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    figures = definitions_for(HEADLINE)
    states = dict(Submission.State.choices)
    headers = [
        _("Organization"),
        _("State"),
        _("Submitted on"),
        _("Reviewed on"),
        _("Reason for returning"),
        *(f"{d.name}（{d.unit}）" for d in figures),
    ]

    def line(org, submission):
        values = [_submitted_value(submission.figures.get(d.code)) if submission else None for d in figures]
        return [
            org.name,
            str(states[submission.state]) if submission else str(pgettext("report state", "Not submitted")),
            timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M") if submission else "",
            timezone.localtime(submission.reviewed_at).strftime("%Y-%m-%d %H:%M")
            if submission and submission.reviewed_at
            else "",
            submission.return_reason if submission else "",
            *(cell(value) for value in values),
        ]

    table = [line(organization, own), *(line(row.organization, row.submission) for row in rows)]
    record(
        request.user,
        "report.submissions.export",
        None,
        org_path=organization.path,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
    )
    content = xlsx.workbook(headers, table, title=period.label)
    return xlsx.download(content, f"{organization.display_name}-{period.label}-{_('reports upward')}")

"""The activity pages: the list (and the records behind a statistic), its export, the month
calendar, an activity's page with its workflow, the form, corrections and files.

Each view fetches its object through the scope (404 outside the user's subtree), then checks
the permission (403), validates its form and calls one service.
"""

import calendar
from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.activities import exporting, selectors
from kexie.activities.forms import ActivityFilterForm, ActivityForm, AttachmentForm, ReasonForm, month_of
from kexie.activities.models import Activity, ActivityAttachment, ActivityKind, CampaignEdition, Status
from kexie.activities.services import activities as services
from kexie.activities.services.periods import lock_covering
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.chinese import normalize_query
from kexie.core.errors import DomainError
from kexie.core.listing import page_of, page_range, querystring
from kexie.core.scoping import scoped
from kexie.orgs.models import Division
from kexie.people.selectors.people import PersonFilter, person_list, person_queryset
from kexie.statistics.definitions import get_definition

SEARCH_RESULTS = 10
ORGANIZATION_OPTIONS = 30


def _posted(request):
    return request.POST if request.method == "POST" else None


def _is_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _detail(activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


# --- the list --------------------------------------------------------------------------


def _statistic_heading(filters, scope):
    """What a statistic's link asked for: the definition, the organization and the period."""
    if not filters.statistic:
        return None
    definition = get_definition(filters.statistic)
    if definition is None or definition.source.code != "activities":
        raise Http404
    organization = (
        scope.get_organization(filters.organization) if filters.organization else scope.organization
    )
    return {
        "definition": definition,
        "organization": organization,
        "own": filters.own,
        "start": filters.start,
        "end": filters.end,
    }


def _filtered(request):
    """The list's filter form, the statistic it was opened from (if any) and the rows: the
    page and the export read the same query."""
    scope = request.scope
    form = ActivityFilterForm(request.GET or None, scope=scope)
    filters = form.to_filter()
    statistic = _statistic_heading(filters, scope)
    activities = selectors.activity_list(scope=scope, filters=filters)
    if form.oldest_first:
        activities = activities.order_by("starts_at", "id")
    return form, statistic, activities


@scoped(perm=Perm.ACTIVITY_VIEW)
def activity_list(request):
    form, statistic, activities = _filtered(request)
    page = page_of(request, activities)
    context = {
        "form": form,
        "statistic": statistic,
        "page_obj": page,
        "page_range": page_range(page),
        "export_query": querystring(request, drop=("page",)),
    }
    response = render(
        request,
        "activities/_activity_table.html" if _is_partial(request) else "activities/activity_list.html",
        context,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@scoped(perm=Perm.ACTIVITY_EXPORT)
def activity_export(request):
    """The filtered list (or the records behind a figure) as .xlsx; audited."""
    scope = request.scope
    _form, _statistic, activities = _filtered(request)
    rows = activities.count()
    if rows > exporting.EXPORT_ROW_LIMIT:
        message = _("The export would hold %(rows)s rows; at most %(limit)s can be exported at once.")
        messages.error(
            request,
            f"{message % {'rows': rows, 'limit': exporting.EXPORT_ROW_LIMIT}} {_('Filter the list first.')}",
        )
        return redirect(reverse("activities:list") + querystring(request))
    content = exporting.activity_workbook(activities=activities)
    record(
        request.user,
        "activity.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        filters=querystring(request, drop=("page",)).lstrip("?"),
    )
    return xlsx.download(content, f"{scope.organization.display_name}-{_('activities')}")


@scoped(perm=Perm.ACTIVITY_VIEW)
def organization_options(request):
    """<option>s of the organizations in scope matching `find` (the organizer picker)."""
    scope = request.scope
    query = normalize_query(request.GET.get("find") or "")[:64]
    chosen = request.GET.get("org") or ""
    organizations = scope.organizations()
    options = []
    if chosen.isdigit():
        options = list(organizations.filter(pk=chosen))
    if query:
        found = organizations.filter(search_text__contains=query).order_by("path")[:ORGANIZATION_OPTIONS]
        options += [org for org in found if all(org.pk != o.pk for o in options)]
    return render(
        request,
        "activities/_organization_options.html",
        {"options": options, "chosen": chosen, "query": query},
    )


# --- the calendar ----------------------------------------------------------------------


@scoped(perm=Perm.ACTIVITY_VIEW)
def activity_calendar(request):
    """A month of the scope's activities (cancelled ones left out): a grid on a wide
    screen, a list of the days with activities on a phone."""
    scope = request.scope
    month = month_of(request.GET.get("month"))
    last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    activities = list(
        selectors.activity_queryset(scope=scope)
        .filter(held_on__gte=month, held_on__lte=last)
        .exclude(status=Status.CANCELLED)
        .select_related("organization", "kind")
        .order_by("starts_at", "id")[:1000]
    )
    by_day: dict[date, list[Activity]] = {}
    for activity in activities:
        by_day.setdefault(activity.held_on, []).append(activity)
    weeks = [
        [
            {"day": day, "in_month": day.month == month.month, "activities": by_day.get(day, [])}
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    previous = (month - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    context = {
        "month": month,
        "weeks": weeks,
        "days": sorted(by_day.items()),
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
        "today": timezone.localdate(),
        "count": len(activities),
    }
    return render(request, "activities/calendar.html", context)


# --- an activity's page and its workflow -------------------------------------------------


def _may_approve(scope, activity) -> bool:
    try:
        services.require_approver(scope, activity)
    except PermissionDenied:
        return False
    return True


def _actions(scope, activity, *, lock) -> dict:
    """Which workflow buttons the user sees now (the services check again on POST)."""
    change = scope.has(Perm.ACTIVITY_CHANGE) and lock is None
    status = activity.status
    submitted = status == Status.SUBMITTED and lock is None and scope.has(Perm.ACTIVITY_APPROVE)
    return {
        "edit": change and status in services.EDITABLE,
        "submit": change and status == Status.DRAFT,
        "approve": submitted and _may_approve(scope, activity),
        "held": change and status == Status.APPROVED and activity.starts_at <= timezone.now(),
        "report": change and status == Status.HELD,
        "cancel": change and status in (Status.DRAFT, Status.SUBMITTED, Status.APPROVED),
        "correct": change and status == Status.REPORTED,
        "attach": change and status != Status.CANCELLED,
        "detach": change and status not in (Status.REPORTED, Status.CANCELLED),
    }


@scoped
def activity_detail(request, pk):
    scope = request.scope
    activity = selectors.activity_get(scope=scope, pk=pk)
    scope.require(Perm.ACTIVITY_VIEW)
    lock = lock_covering(activity.organization, activity.held_on)
    attachments = list(activity.attachments.select_related("uploaded_by"))
    speakers = list(activity.speakers.order_by("sort_key"))
    visible = set(
        person_queryset(scope=scope).filter(pk__in=[p.pk for p in speakers]).values_list("pk", flat=True)
        if speakers
        else []
    )
    context = {
        "activity": activity,
        "figures": activity.figure_values(),
        "co_organizers": list(activity.co_organizers.order_by("path")),
        "target_groups": list(activity.target_groups.all()),
        "speakers": [(person, person.pk in visible) for person in speakers],
        "photos": [a for a in attachments if a.kind == ActivityAttachment.Kind.PHOTO],
        "documents": [a for a in attachments if a.kind == ActivityAttachment.Kind.DOCUMENT],
        "corrections": _corrections(activity),
        "lock": lock,
        "can": _actions(scope, activity, lock=lock),
        "reason_form": ReasonForm(),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "activities/activity_detail.html", context)


def _field_labels() -> dict:
    labels = {field.attname: str(field.verbose_name) for field in Activity._meta.concrete_fields}
    labels |= {field.name: str(field.verbose_name) for field in Activity._meta.concrete_fields}
    return labels


def _corrections(activity) -> list[dict]:
    """Each correction with its changed fields as (label, before, after), ids named."""
    corrections = list(activity.corrections.select_related("corrected_by"))
    if not corrections:
        return []
    labels = _field_labels()
    named = {
        "kind_id": dict(ActivityKind.objects.values_list("pk", "name")),
        "mode": dict(Activity._meta.get_field("mode").choices),
    }
    values = [v for c in corrections for v in (*c.old_values.items(), *c.new_values.items())]
    editions = {str(v) for name, v in values if name == "campaign_edition_id" and v}
    if editions:
        found = CampaignEdition.objects.filter(pk__in=editions).select_related("campaign")
        named["campaign_edition_id"] = {str(edition.pk): str(edition) for edition in found}
    divisions = {v for name, v in values if name == "division_id" and v}
    if divisions:
        named["division_id"] = dict(Division.objects.filter(code__in=divisions).values_list("code", "name"))

    def shown(name, value):
        if value in (None, ""):
            return "—"
        if name in named:
            return named[name].get(value if name != "kind_id" else int(value), value)
        if name in ("starts_at", "ends_at"):
            try:
                return f"{timezone.localtime(datetime.fromisoformat(value)):%Y-%m-%d %H:%M}"
            except ValueError:
                return value
        return value

    return [
        {
            "correction": correction,
            "changes": [
                (labels.get(name, name), shown(name, correction.old_values.get(name)), shown(name, value))
                for name, value in correction.new_values.items()
            ],
        }
        for correction in corrections
    ]


def _workflow(request, pk, *, perm, step, success, reason=False):
    """Fetch in scope (404), check the permission (403), run one service step."""
    scope = request.scope
    activity = selectors.activity_get(scope=scope, pk=pk)
    scope.require(perm)
    try:
        if reason:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Give the reason."), field="reason")
            step(activity, form.cleaned_data["reason"])
        else:
            step(activity, None)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success % {"title": activity.title})
    return redirect(_next_url(request, _detail(activity)))


@scoped
@require_POST
def activity_submit(request, pk):
    return _workflow(
        request,
        pk,
        perm=Perm.ACTIVITY_CHANGE,
        step=lambda a, _r: services.activity_submit(actor=request.user, activity=a),
        success=_("“%(title)s” has been submitted for approval."),
    )


def _approver_step(request, service, **kwargs):
    def step(activity, reason):
        services.require_approver(request.scope, activity)
        extra = {"reason": reason} if reason is not None else {}
        service(actor=request.user, activity=activity, **extra)

    return step


@scoped
@require_POST
def activity_approve(request, pk):
    return _workflow(
        request,
        pk,
        perm=Perm.ACTIVITY_APPROVE,
        step=_approver_step(request, services.activity_approve),
        success=_("“%(title)s” has been approved."),
    )


@scoped
@require_POST
def activity_send_back(request, pk):
    return _workflow(
        request,
        pk,
        perm=Perm.ACTIVITY_APPROVE,
        step=_approver_step(request, services.activity_return),
        success=_("“%(title)s” has been returned to its organizer."),
        reason=True,
    )


@scoped
@require_POST
def activity_mark_held(request, pk):
    return _workflow(
        request,
        pk,
        perm=Perm.ACTIVITY_CHANGE,
        step=lambda a, _r: services.activity_mark_held(actor=request.user, activity=a),
        success=_("“%(title)s” has been marked as held: fill in its figures and report it."),
    )


@scoped
@require_POST
def activity_report(request, pk):
    return _workflow(
        request,
        pk,
        perm=Perm.ACTIVITY_CHANGE,
        step=lambda a, _r: services.activity_report(actor=request.user, activity=a),
        success=_("“%(title)s” has been reported; its figures now count in the statistics."),
    )


@scoped
@require_POST
def activity_cancel(request, pk):
    return _workflow(
        request,
        pk,
        perm=Perm.ACTIVITY_CHANGE,
        step=lambda a, r: services.activity_cancel(actor=request.user, activity=a, reason=r),
        success=_("“%(title)s” has been cancelled."),
        reason=True,
    )


# --- the form ----------------------------------------------------------------------------


def _speaker_results(request, *, form=None):
    """People in scope matching `?find=`, those chosen already left out."""
    query = " ".join((request.GET.get("find") or "").split())[:64]
    if not query:
        return query, []
    chosen = {str(pk) for pk in request.GET.getlist("speakers")}
    found = list(person_list(scope=request.scope, filters=PersonFilter(query=query))[:SEARCH_RESULTS])
    return query, [person for person in found if str(person.pk) not in chosen]


@scoped(perm=Perm.ACTIVITY_CHANGE)
def speaker_choices(request):
    """The speaker picker's search results (checkboxes of the activity form)."""
    query, people = _speaker_results(request)
    return render(request, "activities/_speaker_choices.html", {"query": query, "people": people})


@scoped(perm=Perm.ACTIVITY_CHANGE)
def figure_fields(request):
    """The figures fieldset of the kind chosen in the form (`?kind=`), values kept."""
    chosen = request.GET.get("kind") or ""
    kind = ActivityKind.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    form = ActivityForm(None, scope=request.scope, kind=kind, initial=request.GET.dict())
    return render(request, "activities/_figure_fields.html", {"form": form})


def _form_page(request, form, *, activity=None, correcting=False):
    cancel = _detail(activity) if activity is not None else reverse("activities:list")
    context = {"form": form, "activity": activity, "correcting": correcting, "cancel_url": cancel}
    return render(request, "activities/activity_form.html", context)


@scoped(perm=Perm.ACTIVITY_CHANGE)
def activity_create(request):
    """Record an activity as a draft of the user's organization."""
    scope = request.scope
    form = ActivityForm(_posted(request), scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, organization=scope.organization, data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(
                request, _("“%(title)s” has been recorded as a draft.") % {"title": activity.title}
            )
            return redirect(_detail(activity))
    return _form_page(request, form)


@scoped
def activity_update(request, pk):
    scope = request.scope
    activity = selectors.activity_get(scope=scope, pk=pk)
    scope.require(Perm.ACTIVITY_CHANGE)
    if activity.status not in services.EDITABLE:
        messages.error(request, services.edit_refusal(activity))
        return redirect(_detail(activity))
    form = ActivityForm(_posted(request), scope=scope, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_detail(activity))
    return _form_page(request, form, activity=activity)


@scoped
def activity_correct(request, pk):
    """Change a reported activity with a reason; the replaced values stay in its history."""
    scope = request.scope
    activity = selectors.activity_get(scope=scope, pk=pk)
    scope.require(Perm.ACTIVITY_CHANGE)
    if activity.status != Status.REPORTED:
        messages.error(request, _("Only a reported activity is corrected; edit the others."))
        return redirect(_detail(activity))
    form = ActivityForm(_posted(request), scope=scope, instance=activity, correcting=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_correct(
                actor=request.user, activity=activity, data=form.to_data(), reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The correction has been saved and added to the history."))
            return redirect(_detail(activity))
    return _form_page(request, form, activity=activity, correcting=True)


# --- photos and documents ---------------------------------------------------------------


@scoped
@require_POST
def attachment_add(request, pk):
    scope = request.scope
    activity = selectors.activity_get(scope=scope, pk=pk)
    scope.require(Perm.ACTIVITY_CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file and whether it is a photo or a document."))
        return redirect(_detail(activity))
    try:
        attachment = services.attachment_add(
            actor=request.user,
            activity=activity,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("“%(name)s” has been attached.") % {"name": attachment.name})
    return redirect(_detail(activity))


def _attachment_get(request, pk, attachment_pk):
    activity = selectors.activity_get(scope=request.scope, pk=pk)
    try:
        return activity, activity.attachments.get(pk=attachment_pk)
    except ActivityAttachment.DoesNotExist:
        raise Http404 from None


@scoped
def attachment_download(request, pk, attachment_pk):
    """A photo or document of an activity in scope (`?inline=1` shows a photo in the page);
    files are never served from a public address."""
    scope = request.scope
    activity, attachment = _attachment_get(request, pk, attachment_pk)
    scope.require(Perm.ACTIVITY_VIEW)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        messages.error(
            request, _("The file “%(name)s” is missing from the file store.") % {"name": attachment.name}
        )
        return redirect(_detail(activity))
    inline = request.GET.get("inline") == "1" and attachment.kind == ActivityAttachment.Kind.PHOTO
    response = FileResponse(handle, as_attachment=not inline, filename=attachment.name)
    response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    if Path(attachment.name).suffix.lower() not in (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".xlsx"):
        response["Content-Type"] = "application/octet-stream"
    return response


@scoped
@require_POST
def attachment_remove(request, pk, attachment_pk):
    scope = request.scope
    activity, attachment = _attachment_get(request, pk, attachment_pk)
    scope.require(Perm.ACTIVITY_CHANGE)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("“%(name)s” has been removed.") % {"name": attachment.name})
    return redirect(_detail(activity))

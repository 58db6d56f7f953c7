"""Reading the organization network: overview, tree, list, detail, re-elections, statistics.

Every read goes through the request's scope and `selectors`; the exports here write an
audit record each, as do reveals of a contact phone in clear.
"""

import json

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.listing import page_of as _page
from kexie.core.listing import page_range as _page_range
from kexie.core.listing import querystring as _querystring
from kexie.core.masking import mask_phone
from kexie.core.scoping import scoped

from .. import exporting, selectors
from ..filters import OrganizationFilterForm, branch_choices
from ..models import Kind, LeaderPosition, Organization

PAGE_SIZE = 25
UPCOMING_DAYS = 180
CHILDREN_SHOWN = 50
HOME_LIST_SIZE = 5

# The brand palette the charts share with app.css.
_CHART_COLORS = ["#0b5cab", "#c0392b", "#2e8b57", "#e08e0b", "#6c5ce7", "#16a2b8", "#7f8c8d"]


# --- overview ----------------------------------------------------------------------------


@scoped(perm=Perm.ORG_VIEW)
def overview(request):
    """The organization network at a glance: organizations by kind, re-elections, party
    coverage, recent foundings (the dashboard links here for the network's state)."""
    scope = request.scope
    today = timezone.localdate()
    stats = selectors.network_statistics(scope=scope, today=today)
    overdue = _with_days(selectors.overdue_reelections(scope=scope, today=today)[:HOME_LIST_SIZE], today)
    upcoming_all = selectors.upcoming_reelections(scope=scope, today=today, within_days=UPCOMING_DAYS)
    upcoming = _with_days(upcoming_all[:HOME_LIST_SIZE], today)
    recent = selectors.organization_list(
        scope=scope, filters=selectors.OrganizationFilter(ordering="-founded_on")
    ).filter(founded_on__isnull=False)[:HOME_LIST_SIZE]
    return render(
        request,
        "orgs/overview.html",
        {
            "stats": stats,
            "today": today,
            "overdue": overdue,
            "upcoming": upcoming,
            "upcoming_count": upcoming_all.count(),
            "upcoming_days": UPCOMING_DAYS,
            "recent": recent,
            "kind_chart": _json(_kind_pie(stats)) if stats.by_kind else "",
        },
    )


# --- tree --------------------------------------------------------------------------------


@scoped(perm=Perm.ORG_VIEW)
def tree(request):
    scope = request.scope
    return render(
        request,
        "orgs/tree.html",
        {
            "root": selectors.tree_children(scope=scope, parent=None).first(),
            "children": selectors.tree_children(scope=scope, parent=scope.organization),
        },
    )


@scoped
def tree_children(request, pk):
    parent = request.scope.get_organization(pk)
    request.scope.require(Perm.ORG_VIEW)
    children = selectors.tree_children(scope=request.scope, parent=parent)
    return render(request, "orgs/_tree_children.html", {"parent": parent, "children": children})


# --- list and export ---------------------------------------------------------------------


@scoped(perm=Perm.ORG_VIEW)
def organization_list(request):
    form = OrganizationFilterForm(request.GET or None, scope=request.scope)
    organizations = selectors.organization_list(scope=request.scope, filters=form.to_filter())
    page = _page(request, organizations)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": _page_range(page),
        "kinds": Kind.choices,
        "export_params": [(k, v) for k, values in request.GET.lists() if k != "page" for v in values],
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "orgs/_list_table.html" if partial else "orgs/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@scoped(perm=Perm.ORG_EXPORT)
def organization_export(request):
    """The filtered list as .xlsx; phones in clear only with the permission and a reason."""
    scope = request.scope
    unmask, reason = _unmask_request(request)
    back = reverse("orgs:list") + _querystring(request, drop=("page", "unmask", "reason"))
    if unmask and not reason:
        messages.error(request, _("Give a reason for exporting full phone numbers."))
        return redirect(back)
    form = OrganizationFilterForm(request.GET or None, scope=scope)
    organizations = selectors.organization_list(scope=scope, filters=form.to_filter())
    rows = organizations.count()
    if rows > exporting.EXPORT_ROW_LIMIT:
        messages.error(request, _too_many_rows(rows))
        return redirect(back)
    content = exporting.organization_workbook(organizations=organizations, unmask=unmask)
    record(
        request.user,
        "org.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        unmasked=unmask,
        reason=reason,
        filters=_querystring(request, drop=("unmask", "reason")).lstrip("?"),
    )
    return xlsx.download(content, f"{scope.organization.display_name}-{_('organizations')}")


# --- one organization --------------------------------------------------------------------


@scoped
def organization_detail(request, pk):
    scope = request.scope
    organization = scope.get_organization(pk)
    scope.require(Perm.ORG_VIEW)
    today = timezone.localdate()
    children = selectors.tree_children(scope=scope, parent=organization)
    terms = list(organization.board_terms.order_by("-number")) if organization.has_board else []
    for term in terms:
        term.overdue = term.is_overdue(today)
        term.days_overdue = (today - term.due_on).days if term.overdue else 0
    appointments = list(
        organization.appointments.select_related("board_term").order_by("position", "-started_on")
    )
    history = list(selectors.organization_history(organization=organization))
    for event in history:
        event.field_label = _field_label(event.field)
    covering = organization.covering_party_branches.order_by("status", "sort_key")
    covered = organization.covered_organizations.order_by("status", "sort_key")
    return render(
        request,
        "orgs/detail.html",
        {
            "organization": organization,
            "ancestors": selectors.organization_ancestors(scope=scope, organization=organization),
            "parent_in_scope": scope.contains(organization.parent),
            "children": children[:CHILDREN_SHOWN],
            "children_total": children.count(),
            "terms": terms,
            "current_term": next((t for t in terms if t.is_current), None),
            "current_leaders": [a for a in appointments if a.ended_on is None],
            "past_leaders": [a for a in appointments if a.ended_on is not None],
            "covering": [(branch, scope.contains(branch)) for branch in covering],
            "covered": [(org, scope.contains(org)) for org in covered],
            "shows_party_charter": organization.kind in {Kind.SOCIETY, Kind.SOCIETY_CONSORTIUM},
            "is_party_branch": organization.kind == Kind.PARTY_BRANCH,
            "history": history,
            "masked_phone": mask_phone(organization.contact_phone),
        },
    )


@scoped
@require_POST
def contact_reveal(request, pk):
    """The contact phone in clear, for a stated reason; each reveal is audited."""
    scope = request.scope
    organization = scope.get_organization(pk)
    scope.require(Perm.PERSONAL_UNMASK)
    reason = ((request.htmx.prompt if request.htmx else None) or request.POST.get("reason", "")).strip()
    context = {"organization": organization, "masked_phone": mask_phone(organization.contact_phone)}
    if not reason:
        context["error"] = _("Give a reason to see the full number.")
        return render(request, "orgs/_contact.html", context, status=400)
    record(request.user, "personal.unmask", organization, field="contact_phone", reason=reason[:500])
    return render(request, "orgs/_contact.html", {**context, "revealed": True})


# --- re-elections ------------------------------------------------------------------------


@scoped(perm=Perm.ORG_VIEW)
def reelection_list(request):
    """Board terms past their due date (or due within 180 days); ?format=xlsx exports them."""
    scope = request.scope
    today = timezone.localdate()
    show = "upcoming" if request.GET.get("show") == "upcoming" else "overdue"
    overdue = selectors.overdue_reelections(scope=scope, today=today)
    upcoming = selectors.upcoming_reelections(scope=scope, today=today, within_days=UPCOMING_DAYS)
    terms = overdue if show == "overdue" else upcoming
    if request.GET.get("format") == "xlsx":
        scope.require(Perm.ORG_EXPORT)
        rows = terms.count()
        if rows > exporting.EXPORT_ROW_LIMIT:
            messages.error(request, _too_many_rows(rows))
            return redirect(reverse("orgs:reelections") + _querystring(request, drop=("format", "page")))
        content = exporting.reelection_workbook(
            terms=terms.iterator(), today=today, overdue=show == "overdue"
        )
        record(
            request.user,
            "org.reelections_export",
            None,
            org_path=scope.organization.path,
            rows=rows,
            show=show,
        )
        name = _("overdue re-elections") if show == "overdue" else _("upcoming re-elections")
        return xlsx.download(content, f"{scope.organization.display_name}-{name}")
    page = _page(request, terms)
    _with_days(page.object_list, today)
    return render(
        request,
        "orgs/reelections.html",
        {
            "show": show,
            "page_obj": page,
            "page_range": _page_range(page),
            "overdue_count": overdue.count(),
            "upcoming_count": upcoming.count(),
            "upcoming_days": UPCOMING_DAYS,
            "today": today,
        },
    )


# --- statistics --------------------------------------------------------------------------


@scoped(perm=Perm.ORG_VIEW)
def statistics(request):
    stats, children = _statistics(request)
    year_rows = exporting.statistics_year_rows(stats)
    return render(
        request,
        "orgs/stats.html",
        {
            "stats": stats,
            "children": children,
            "year_rows": year_rows,
            "kind_chart": _json(_kind_bars(stats)) if stats.by_kind else "",
            "year_chart": _json(_year_lines(year_rows)) if year_rows else "",
            "root_choices": branch_choices(request.scope, include=stats.root),
            "is_scope_root": stats.root.pk == request.scope.organization.pk,
        },
    )


@scoped(perm=Perm.ORG_EXPORT)
def statistics_export(request):
    stats, children = _statistics(request)
    content = exporting.statistics_workbook(stats=stats, children=children)
    record(
        request.user, "org.stats_export", None, org_path=request.scope.organization.path, root=stats.root.pk
    )
    return xlsx.download(content, f"{stats.root.display_name}-{_('network statistics')}")


def _statistics(request):
    """The figures of the chosen root (404 outside the scope) and of each direct child association."""
    scope = request.scope
    root = scope.get_organization(request.GET["root"]) if request.GET.get("root") else scope.organization
    today = timezone.localdate()
    stats = selectors.network_statistics(scope=scope, root=root, today=today)
    children = selectors.network_statistics_by_child(scope=scope, root=root, today=today)
    return stats, children


# --- helpers -----------------------------------------------------------------------------


def _with_days(terms, today):
    """Attach how many days a term is overdue (or has left) for the tables."""
    terms = list(terms)
    for term in terms:
        term.days = abs((today - term.due_on).days)
    return terms


def _unmask_request(request) -> tuple[bool, str]:
    unmask = request.GET.get("unmask") == "1"
    if unmask:
        request.scope.require(Perm.PERSONAL_UNMASK)
    return unmask, request.GET.get("reason", "").strip()[:500] if unmask else ""


def _too_many_rows(rows: int) -> str:
    message = _("The export would hold %(rows)s rows; at most %(limit)s can be exported at once.")
    return f"{message % {'rows': rows, 'limit': exporting.EXPORT_ROW_LIMIT}} {_('Filter the list first.')}"


def _field_label(field: str) -> str:
    """What a history entry's field is called on screen."""
    if not field:
        return ""
    if field in LeaderPosition.values:
        return str(LeaderPosition(field).label)
    if field == "board_term":
        return _("Term number")
    try:
        return str(Organization._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def _json(option: dict) -> str:
    return json.dumps(option, ensure_ascii=False)


def _kind_pie(stats) -> dict:
    return {
        "color": _CHART_COLORS,
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["40%", "68%"],
                "center": ["50%", "45%"],
                "label": {"show": False},
                "data": [{"name": str(k.label), "value": k.active} for k in stats.by_kind if k.active],
            }
        ],
    }


def _kind_bars(stats) -> dict:
    labels = [str(k.label) for k in stats.by_kind]
    return {
        "color": _CHART_COLORS,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": labels, "inverse": True},
        "series": [
            {"name": _("Active"), "type": "bar", "stack": "total", "data": [k.active for k in stats.by_kind]},
            {
                "name": _("Dissolved"),
                "type": "bar",
                "stack": "total",
                "data": [k.dissolved for k in stats.by_kind],
            },
        ],
    }


def _year_lines(year_rows) -> dict:
    return {
        "color": [_CHART_COLORS[0], _CHART_COLORS[1]],
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(year) for year, _f, _d in year_rows]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": _("Founded"), "type": "bar", "data": [f for _y, f, _d in year_rows]},
            {"name": _("Dissolved"), "type": "line", "data": [d for _y, _f, d in year_rows]},
        ],
    }

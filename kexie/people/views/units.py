"""Units (employers, institutions) and teams of S&T workers: lists, exports, records.

Each view fetches its unit or team through the scope (404 outside the user's subtree),
checks the permission (403), validates its form and calls one service; a DomainError
appears on the form field it names, or as a message on the page it returns to.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.listing import page_of, page_range
from kexie.core.masking import mask_phone
from kexie.core.scoping import scoped
from kexie.people.exporting import units as exporting
from kexie.people.forms.units import TeamFilterForm, TeamForm, TeamMemberAddForm, UnitFilterForm, UnitForm
from kexie.people.models import Team, TeamMember, Unit
from kexie.people.selectors import units as selectors
from kexie.people.selectors.people import PersonFilter, person_list, person_queryset
from kexie.people.services import units as services

PAGE_SIZE = 25
SEARCH_RESULTS = 20
UNIT_OPTIONS = 50  # units a unit picker's search shows
UNIT_PEOPLE_SHOWN = 100


# --- shared by the talent-pool list pages ------------------------------------------------


def querystring(request, *, drop=()) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return f"?{params.urlencode()}" if params else ""


def list_response(request, template: str, partial: str, context: dict):
    """The whole page, or only its results when htmx asks (filtering, paging)."""
    is_partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, partial if is_partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def too_many_rows(rows: int) -> str:
    message = _("The export would hold %(rows)s rows; at most %(limit)s can be exported at once.")
    return f"{message % {'rows': rows, 'limit': exporting.EXPORT_ROW_LIMIT}} {_('Filter the list first.')}"


def search_query(request) -> str:
    return (request.GET.get("q") or "").strip()[:64]


def person_search(request, *, query: str) -> list:
    """People in scope matching a search box (name, pinyin, initials), best first."""
    if not query:
        return []
    return list(person_list(scope=request.scope, filters=PersonFilter(query=query))[:SEARCH_RESULTS])


def visible_people(request, people_ids) -> set[int]:
    """Which of these people the user may open (their profiles are in scope)."""
    return set(
        person_queryset(scope=request.scope).filter(pk__in=list(people_ids)).values_list("pk", flat=True)
    )


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- units -------------------------------------------------------------------------------


def _unit_queryset():
    return Unit.objects.select_related("organization", "division")


@scoped(perm=Perm.PEOPLE_VIEW)
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    units = selectors.unit_list(scope=request.scope, filters=form.to_filter())
    page = page_of(request, units)
    context = {"form": form, "page_obj": page, "page_range": page_range(page)}
    return list_response(request, "people/unit_list.html", "people/_unit_list_table.html", context)


@scoped(perm=Perm.PEOPLE_VIEW)
def unit_options(request):
    """The <option>s of a unit picker (`core.widgets.SearchSelect`): the units its search
    box finds, keeping the unit chosen so far (the select's `unit`) first and selected."""
    scope = request.scope
    find = request.GET.get("find", "")[:64]
    found = list(selectors.unit_search(scope=scope, query=find).values_list("pk", "name")[: UNIT_OPTIONS + 1])
    chosen = None
    pk = request.GET.get("unit", "")
    if pk.isdigit():
        chosen = selectors.scope_units(scope).filter(pk=pk).values_list("pk", "name").first()
    units = found[:UNIT_OPTIONS]
    return render(
        request,
        "people/_unit_options.html",
        {
            "units": [unit for unit in units if chosen is None or unit[0] != chosen[0]],
            "chosen": chosen,
            "more": len(found) > UNIT_OPTIONS,
            "limit": UNIT_OPTIONS,
            "searched": bool(find.strip()),
            "blank_label": "---------" if request.GET.get("blank") == "none" else _("Any unit"),
        },
    )


@scoped(perm=Perm.PEOPLE_EXPORT)
def unit_export(request):
    """The filtered unit list as .xlsx (contact phones masked); the export is audited."""
    scope = request.scope
    form = UnitFilterForm(request.GET or None)
    units = selectors.unit_list(scope=scope, filters=form.to_filter())
    rows = units.count()
    if rows > exporting.EXPORT_ROW_LIMIT:
        messages.error(request, too_many_rows(rows))
        return redirect(reverse("people:unit_list") + querystring(request, drop=("page",)))
    content = exporting.unit_workbook(units=units)
    record(
        request.user,
        "unit.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        filters=querystring(request, drop=("page",)).lstrip("?"),
    )
    return xlsx.download(content, "-".join([scope.organization.display_name, _("units")]))


@scoped
def unit_create(request):
    """Register a unit kept by the organization the user works in."""
    scope = request.scope
    scope.require(Perm.PEOPLE_CHANGE)
    form = UnitForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user, organization=scope.organization, data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("Unit “%(name)s” registered.") % {"name": unit.name})
            return redirect("people:unit_detail", pk=unit.pk)
    return render(request, "people/unit_form.html", {"form": form, "cancel_url": reverse("people:unit_list")})


@scoped
def unit_detail(request, pk):
    scope = request.scope
    unit = scope.get(_unit_queryset(), pk=pk)
    scope.require(Perm.PEOPLE_VIEW)
    people = (
        person_queryset(scope=scope).filter(unit=unit).select_related("discipline").order_by("sort_key", "id")
    )
    memberships = list(selectors.unit_memberships(unit=unit))
    for membership in memberships:
        membership.in_scope = scope.contains(membership.society)
    teams = scope.filter(unit.teams.select_related("leader"), via="organization").order_by("sort_key", "id")
    return render(
        request,
        "people/unit_detail.html",
        {
            "unit": unit,
            "masked_phone": mask_phone(unit.contact_phone),
            "people": people[:UNIT_PEOPLE_SHOWN],
            "people_total": people.count(),
            "memberships": memberships,
            "teams": teams,
        },
    )


@scoped
def unit_update(request, pk):
    scope = request.scope
    unit = scope.get(_unit_queryset(), pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    form = UnitForm(_posted(request), instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:unit_detail", pk=unit.pk)
    return render(
        request,
        "people/unit_form.html",
        {"form": form, "unit": unit, "cancel_url": reverse("people:unit_detail", args=[unit.pk])},
    )


# --- teams -------------------------------------------------------------------------------


def _team_queryset():
    return Team.objects.select_related("organization", "leader", "unit", "discipline")


@scoped(perm=Perm.PEOPLE_VIEW)
def team_list(request):
    form = TeamFilterForm(request.GET or None)
    teams = selectors.team_list(scope=request.scope, filters=form.to_filter())
    page = page_of(request, teams)
    context = {"form": form, "page_obj": page, "page_range": page_range(page)}
    return list_response(request, "people/team_list.html", "people/_team_list_table.html", context)


@scoped(perm=Perm.PEOPLE_EXPORT)
def team_export(request):
    scope = request.scope
    form = TeamFilterForm(request.GET or None)
    teams = selectors.team_list(scope=scope, filters=form.to_filter())
    rows = teams.count()
    if rows > exporting.EXPORT_ROW_LIMIT:
        messages.error(request, too_many_rows(rows))
        return redirect(reverse("people:team_list") + querystring(request, drop=("page",)))
    content = exporting.team_workbook(teams=teams)
    record(
        request.user,
        "team.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        filters=querystring(request, drop=("page",)).lstrip("?"),
    )
    return xlsx.download(content, "-".join([scope.organization.display_name, _("teams")]))


def _leader_choices(request, *, form, query: str) -> dict:
    """The leader picker of a new team: search results as radio buttons, the chosen one kept."""
    results = person_search(request, query=query)
    chosen = form.chosen_leader
    if chosen is not None and all(p.pk != chosen.pk for p in results):
        results.insert(0, chosen)
    return {
        "choices": results,
        "field_name": "leader",
        "form_id": "kx-team-form",
        "checked": chosen.pk if chosen else None,
        "query": query,
    }


@scoped
def team_create(request):
    """Create a team; its leader is found with the search box and joins as its first member."""
    scope = request.scope
    scope.require(Perm.PEOPLE_CHANGE)
    form = TeamForm(_posted(request), scope=scope)
    query = search_query(request)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=request.user, organization=scope.organization, data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("Team “%(name)s” set up.") % {"name": team.name})
            return redirect("people:team_detail", pk=team.pk)
    picker = _leader_choices(request, form=form, query=query)
    if request.htmx and request.method == "GET":
        return render(request, "people/_member_person_choices.html", {"picker": picker})
    return render(
        request,
        "people/team_form.html",
        {"form": form, "picker": picker, "cancel_url": reverse("people:team_list")},
    )


@scoped
def team_detail(request, pk):
    """A team and its members; the search box finds people in scope to add (htmx results)."""
    scope = request.scope
    team = scope.get(_team_queryset(), pk=pk)
    scope.require(Perm.PEOPLE_VIEW)
    query = search_query(request)
    members = list(selectors.team_members(team=team))
    member_ids = {m.person_id for m in members}
    results = person_search(request, query=query) if scope.has(Perm.PEOPLE_CHANGE) else []
    for person in results:
        person.is_member = person.pk in member_ids
    search = {"team": team, "results": results, "query": query}
    if request.htmx and "q" in request.GET:
        return render(request, "people/_team_person_results.html", search)
    return render(
        request,
        "people/team_detail.html",
        {
            "team": team,
            "members": members,
            "linked": visible_people(request, member_ids),
            **search,
        },
    )


@scoped
def team_update(request, pk):
    scope = request.scope
    team = scope.get(_team_queryset(), pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    form = TeamForm(_posted(request), scope=scope, instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(actor=request.user, team=team, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:team_detail", pk=team.pk)
    return render(
        request,
        "people/team_form.html",
        {"form": form, "team": team, "cancel_url": reverse("people:team_detail", args=[team.pk])},
    )


@scoped
@require_POST
def team_member_add(request, pk):
    """Add a person in scope (chosen in the search results) to the team."""
    scope = request.scope
    team = scope.get(_team_queryset(), pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    form = TeamMemberAddForm(request.POST, scope=scope)
    if not form.is_valid():
        errors = [str(e) for field in form for e in field.errors]
        messages.error(request, errors[0] if errors else _("The form has errors."))
        return redirect("people:team_detail", pk=team.pk)
    person = form.cleaned_data["person"]
    try:
        services.team_member_add(
            actor=request.user,
            team=team,
            person=person,
            role=form.cleaned_data["role"],
            joined_on=form.cleaned_data["joined_on"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        added = _("%(name)s has been added to the team “%(team)s”.")
        messages.success(request, added % {"name": person.name, "team": team.name})
    return redirect("people:team_detail", pk=team.pk)


@scoped
@require_POST
def team_member_remove(request, pk, person_pk):
    scope = request.scope
    team = scope.get(_team_queryset(), pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    member = get_object_or_404(TeamMember.objects.select_related("person"), team=team, person_id=person_pk)
    try:
        services.team_member_remove(actor=request.user, team=team, person=member.person)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        removed = _("%(name)s has been removed from the team “%(team)s”.")
        messages.success(request, removed % {"name": member.person.name, "team": team.name})
    return redirect("people:team_detail", pk=team.pk)

"""Society rosters for secretaries: members, dues and board positions.

A society is fetched with `scope.get_organization` (404 outside the user's subtree, and
for organizations that have no members); memberships and seats through the scope by their
society. A society secretary's scope is the society itself, so they manage only its roster.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.chinese import normalize_query
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped
from kexie.people.exporting import units as exporting
from kexie.people.forms.members import (
    DuesForm,
    MembershipCreateForm,
    MembershipEndForm,
    MembershipUpdateForm,
    RosterFilterForm,
    SeatEndForm,
    SeatForm,
)
from kexie.people.models import SocietyMembership
from kexie.people.selectors import members as selectors
from kexie.people.selectors.members import INDIVIDUAL, INSTITUTIONAL
from kexie.people.selectors.units import unit_search
from kexie.people.services import members as services

from .units import (
    SEARCH_RESULTS,
    list_response,
    page_of,
    page_range,
    person_search,
    querystring,
    search_query,
    too_many_rows,
)


def _society(request, pk):
    """A body with members in scope, else 404."""
    society = request.scope.get_organization(pk)
    if not selectors.is_member_body(society):
        raise Http404(_("Rosters exist only for societies and similar bodies."))
    return society


def _posted(request):
    return request.POST if request.method == "POST" else None


def _first_error(form) -> str:
    errors = [str(e) for field in form for e in field.errors] + [str(e) for e in form.non_field_errors()]
    return errors[0] if errors else _("The form has errors.")


# --- societies and rosters ---------------------------------------------------------------


@scoped(perm=Perm.PEOPLE_VIEW)
def society_list(request):
    """The societies in scope with their numbers of active members."""
    societies = selectors.society_list(scope=request.scope)
    page = page_of(request, societies)
    return render(request, "people/society_list.html", {"page_obj": page, "page_range": page_range(page)})


@scoped
def roster(request, pk):
    """A society's members (filter, search, page) with this year's dues, and its current board."""
    scope = request.scope
    society = _society(request, pk)
    scope.require(Perm.PEOPLE_VIEW)
    form = RosterFilterForm(request.GET or None)
    year = timezone.localdate().year
    memberships = selectors.roster(scope=scope, society=society, filters=form.to_filter(), year=year)
    page = page_of(request, memberships)
    context = {
        "society": society,
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "year": year,
    }
    if not (request.htmx and not request.htmx.history_restore_request):  # the whole page
        context["term"] = selectors.current_term(society=society)
        context["seats"] = selectors.current_board(society=society)
    return list_response(request, "people/roster.html", "people/_roster_table.html", context)


@scoped
def roster_export(request, pk):
    """The filtered roster as .xlsx, mobiles masked; the export is audited."""
    scope = request.scope
    society = _society(request, pk)
    scope.require(Perm.PEOPLE_EXPORT)
    form = RosterFilterForm(request.GET or None)
    year = timezone.localdate().year
    memberships = selectors.roster(scope=scope, society=society, filters=form.to_filter(), year=year)
    rows = memberships.count()
    if rows > exporting.EXPORT_ROW_LIMIT:
        messages.error(request, too_many_rows(rows))
        return redirect(reverse("people:roster", args=[society.pk]) + querystring(request, drop=("page",)))
    content = exporting.roster_workbook(
        memberships=memberships, year=year, seats=selectors.current_board(society=society)
    )
    record(
        request.user,
        "member.export",
        society,
        org_path=society.path,
        rows=rows,
        filters=querystring(request, drop=("page",)).lstrip("?"),
    )
    return xlsx.download(content, "-".join([society.display_name, _("roster")]))


# --- admitting members -------------------------------------------------------------------


def _unit_search(request, *, query: str) -> list:
    if not normalize_query(query):
        return []
    return list(unit_search(scope=request.scope, query=query)[:SEARCH_RESULTS])


def _member_choices(request, *, society, member_type: str, form, query: str) -> dict:
    """The picker of the new-member page: people (or units) matching the search, as radio
    buttons; those already on the roster cannot be chosen again."""
    if member_type == INDIVIDUAL:
        results = person_search(request, query=query)
        taken = set(
            SocietyMembership.objects.filter(society=society, person__isnull=False).values_list(
                "person_id", flat=True
            )
        )
    else:
        results = _unit_search(request, query=query)
        taken = set(
            SocietyMembership.objects.filter(society=society, unit__isnull=False).values_list(
                "unit_id", flat=True
            )
        )
    chosen = form.chosen
    if chosen is not None and all(item.pk != chosen.pk for item in results):
        results.insert(0, chosen)
    for item in results:
        item.is_member = item.pk in taken
    return {
        "choices": results,
        "field_name": "person" if member_type == INDIVIDUAL else "unit",
        "form_id": "kx-member-form",
        "checked": chosen.pk if chosen else None,
        "query": query,
        "units": member_type == INSTITUTIONAL,
    }


@scoped
def member_create(request, pk):
    """Admit an existing person (or unit) in scope to the society's roster."""
    scope = request.scope
    society = _society(request, pk)
    scope.require(Perm.PEOPLE_CHANGE)
    source = request.POST if request.method == "POST" else request.GET
    member_type = INSTITUTIONAL if source.get("type") == INSTITUTIONAL else INDIVIDUAL
    form = MembershipCreateForm(_posted(request), scope=scope, member_type=member_type)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen
        try:
            services.membership_create(
                actor=request.user,
                society=society,
                person=chosen if member_type == INDIVIDUAL else None,
                unit=chosen if member_type == INSTITUTIONAL else None,
                data=form.to_data(),
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            admitted = _("%(name)s has been admitted to %(society)s.")
            messages.success(request, admitted % {"name": chosen.name, "society": society.name})
            return redirect("people:roster", pk=society.pk)
    picker = _member_choices(
        request, society=society, member_type=member_type, form=form, query=search_query(request)
    )
    if request.htmx and request.method == "GET":
        return render(request, "people/_member_person_choices.html", {"picker": picker})
    return render(
        request,
        "people/member_form.html",
        {"society": society, "form": form, "member_type": member_type, "picker": picker},
    )


# --- one membership ----------------------------------------------------------------------


@scoped
def member_update(request, pk):
    scope = request.scope
    membership = selectors.membership_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    form = MembershipUpdateForm(_posted(request), instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(actor=request.user, membership=membership, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:roster", pk=membership.society_id)
    return render(
        request,
        "people/member_update.html",
        {
            "membership": membership,
            "society": membership.society,
            "form": form,
            "end_form": MembershipEndForm() if membership.status not in services.END_STATUSES else None,
        },
    )


@scoped
@require_POST
def member_end(request, pk):
    """Record that a member left (or lapsed) on a date."""
    scope = request.scope
    membership = selectors.membership_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    form = MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("people:member_update", pk=membership.pk)
    try:
        services.membership_end(
            actor=request.user,
            membership=membership,
            left_on=form.cleaned_data["left_on"],
            status=form.cleaned_data["status"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("people:member_update", pk=membership.pk)
    ended = _("The membership of %(name)s has been ended.")
    messages.success(request, ended % {"name": membership.member_name})
    return redirect("people:roster", pk=membership.society_id)


@scoped
def dues_record(request, pk):
    """A member's dues, year by year; the form records a year (again, to correct it)."""
    scope = request.scope
    membership = selectors.membership_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE if request.method == "POST" else Perm.PEOPLE_VIEW)
    form = DuesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.dues_record(
                actor=request.user,
                membership=membership,
                year=data["year"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                receipt_number=data["receipt_number"],
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            recorded = _("Dues of %(amount)s yuan for %(year)s have been recorded for %(name)s.")
            messages.success(
                request,
                recorded % {"amount": payment.amount, "year": payment.year, "name": membership.member_name},
            )
            return redirect("people:dues_record", pk=membership.pk)
    return render(
        request,
        "people/member_dues.html",
        {
            "membership": membership,
            "society": membership.society,
            "form": form,
            "payments": selectors.member_dues(membership=membership),
        },
    )


# --- board positions ---------------------------------------------------------------------


@scoped
def seat_create(request, pk):
    """Assign a position on the society's current board (the term in office)."""
    scope = request.scope
    society = _society(request, pk)
    scope.require(Perm.PEOPLE_CHANGE)
    term = selectors.current_term(society=society)
    form = SeatForm(_posted(request), scope=scope)
    if term is not None and request.method == "POST" and form.is_valid():
        person = form.chosen
        try:
            seat = services.seat_assign(
                actor=request.user,
                board_term=term,
                person=person,
                role=form.cleaned_data["role"],
                started_on=form.cleaned_data["started_on"],
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            assigned = _("%(name)s now holds the position of %(role)s.")
            messages.success(request, assigned % {"name": person.name, "role": seat.get_role_display()})
            return redirect("people:roster", pk=society.pk)
    query = search_query(request)
    results = person_search(request, query=query)
    if form.chosen is not None and all(p.pk != form.chosen.pk for p in results):
        results.insert(0, form.chosen)
    picker = {
        "choices": results,
        "field_name": "person",
        "form_id": "kx-seat-form",
        "checked": form.chosen.pk if form.chosen else None,
        "query": query,
    }
    if request.htmx and request.method == "GET":
        return render(request, "people/_member_person_choices.html", {"picker": picker})
    return render(
        request,
        "people/seat_form.html",
        {
            "society": society,
            "term": term,
            "form": form,
            "picker": picker,
            "seats": selectors.current_board(society=society),
        },
    )


@scoped
@require_POST
def seat_end(request, pk):
    scope = request.scope
    seat = selectors.seat_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    society = seat.board_term.organization
    form = SeatEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("people:roster", pk=society.pk)
    try:
        services.seat_end(actor=request.user, seat=seat, ended_on=form.cleaned_data["ended_on"])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        ended = _("%(name)s no longer holds the position of %(role)s.")
        messages.success(request, ended % {"name": seat.person.name, "role": seat.get_role_display()})
    return redirect("people:roster", pk=society.pk)

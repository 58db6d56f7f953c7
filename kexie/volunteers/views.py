"""Staff pages of the volunteer service: the dispatch board, an order with its steps and the
suggestion panel, the registers of volunteers and teams, the menu and the hours ledger.

Each view fetches through the scope (404 outside the user's subtree), then checks the
permission (403), validates its form and calls one service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.listing import page_of, page_range
from kexie.core.scoping import scoped
from kexie.people.models import Person
from kexie.volunteers import selectors
from kexie.volunteers.forms import (
    BoardFilterForm,
    DeliveryForm,
    HoursForm,
    MenuItemForm,
    OrderForm,
    PolicyForm,
    StarsForm,
    TeamForm,
    UnavailabilityForm,
    VolunteerForm,
    VolunteerStatusForm,
)
from kexie.volunteers.models import (
    HoursEntry,
    MenuItem,
    MenuStatus,
    OrderStatus,
    ServiceOrder,
    Volunteer,
    VolunteerStatus,
    VolunteerTeam,
)
from kexie.volunteers.services import hours as hours_services
from kexie.volunteers.services import menu as menu_services
from kexie.volunteers.services import orders as services
from kexie.volunteers.services import volunteers as volunteer_services
from kexie.volunteers.services.policy import (
    policy_for,
    policy_set,
    star_levels_set,
    star_thresholds,
    stars_for,
)


def _order(request, pk) -> ServiceOrder:
    return request.scope.get(
        ServiceOrder.objects.select_related(
            "organization",
            "received_by",
            "discipline__parent",
            "division",
            "menu_item",
            "volunteer__person",
            "team__leader__person",
            "pool",
            "activity",
        ),
        pk=pk,
    )


# --- the dispatch board ---------------------------------------------------------------


def _board_rows(request):
    """The board's filter form, the statistic it was opened from (if any) and the orders:
    the page and the export read the same query."""
    form = BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    link = form.statistic()
    default = "" if link or request.GET else "open_steps"
    orders = selectors.order_list(
        scope=request.scope,
        status=filters.get("status", "") or default,
        query=filters.get("q", ""),
        overdue=filters.get("overdue", False),
    )
    heading = None
    if link is not None:
        orders, heading = selectors.statistic_records(
            scope=request.scope, link=link, sources=selectors.ORDER_SOURCES, queryset=orders
        )
    return form, heading, orders


@scoped(perm=Perm.VOLUNTEER_VIEW)
def board(request):
    """Orders by state, those not accepted in time first; or the orders behind a figure."""
    form, heading, orders = _board_rows(request)
    page = page_of(request, orders)
    counts = selectors.board_counts(scope=request.scope)
    return render(
        request,
        "volunteers/board.html",
        {
            "form": form,
            "statistic": heading,
            "page_obj": page,
            "page_range": page_range(page),
            "overdue": counts["overdue"],
            "steps": [(step, OrderStatus(step).label, counts.get(step, 0)) for step in selectors.BOARD_ORDER],
        },
    )


@scoped(perm=Perm.VOLUNTEER_EXPORT)
def board_export(request):
    _form, _heading, orders = _board_rows(request)
    headers = [
        _("Order number"),
        _("Service wanted"),
        _("Field of science"),
        _("Status"),
        _("Organization"),
        _("Region"),
        _("Place"),
        _("Preferred date"),
        _("Requesting unit"),
        _("Contact person"),
        _("Mobile"),
        _("Volunteer or team"),
        _("Ordered at"),
        _("Dispatched at"),
        _("Accepted at"),
        _("Delivered at"),
        _("Service hours"),
        _("Rating"),
    ]

    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = (
        [
            order.number,
            order.title,
            order.discipline.name,
            order.get_status_display(),
            order.organization.name,
            order.division.name,
            order.address,
            order.preferred_on,
            order.requester_unit,
            order.requester_name,
            order.mobile_masked,
            str(order.provider or ""),
            local(order.created_at),
            local(order.dispatched_at),
            local(order.accepted_at),
            local(order.delivered_at),
            order.hours,
            order.rating,
        ]
        for order in orders.iterator(chunk_size=1000)
    )
    content = xlsx.workbook(headers, rows, title=_("Service orders"))
    from kexie.audit.services import record

    record(request.user, "service_order.export", org_path=request.scope.organization.path, masked=True)
    return xlsx.download(content, f"{request.scope.organization.display_name}-{_('service orders')}")


# --- one order --------------------------------------------------------------------------


@scoped(perm=Perm.VOLUNTEER_VIEW)
def order_detail(request, pk):
    order = _order(request, pk)
    scope = request.scope
    context = {
        "order": order,
        "events": order.events.select_related("organization", "volunteer__person", "team"),
        "can_dispatch": scope.has(Perm.VOLUNTEER_DISPATCH),
        "deadline_passed": order.accept_by is not None and order.accept_by <= timezone.now(),
        "can_cancel": order.status in services.CANCELLABLE,
    }
    if scope.has(Perm.VOLUNTEER_DISPATCH):
        if order.status == OrderStatus.REVIEWED:
            context["suggestions"] = selectors.suggestions(order=order, scope_organization=scope.organization)
            context["teams"] = selectors.dispatch_teams(order=order, scope_organization=scope.organization)[
                :20
            ]
            context["children"] = order.organization.children.filter(status="active").order_by("path")
        if order.status == OrderStatus.ACCEPTED:
            context["delivery_form"] = DeliveryForm.for_order(order)
    return render(request, "volunteers/order_detail.html", context)


def _chosen(request, model, name):
    pk = request.POST.get(name)
    if not pk:
        return None
    try:
        return model.objects.select_related("organization").get(pk=pk)
    except (model.DoesNotExist, ValueError):
        raise Http404 from None


STEPS = {
    # step: (what the service needs from the form, the message after it)
    "approve": gettext_lazy("The order is accepted for dispatch."),
    "reject": gettext_lazy("The order is rejected; the requester is told why."),
    "pass_down": gettext_lazy("The order is passed down."),
    "dispatch": gettext_lazy("The order is dispatched."),
    "open": gettext_lazy("The order is open for grabbing."),
    "withdraw": gettext_lazy("The dispatch is withdrawn."),
    "accept": gettext_lazy("Recorded as accepted."),
    "decline": gettext_lazy("Recorded as declined; the order waits for dispatch again."),
    "deliver": gettext_lazy("The service is recorded; the requester is asked to rate it."),
    "cancel": gettext_lazy("The order is cancelled."),
}


@require_POST
@scoped(perm=Perm.VOLUNTEER_VIEW)
def order_step(request, pk, step):
    """One step of an order taken by its association (review, dispatch, or recording what a
    volunteer said on the phone)."""
    if step not in STEPS:
        raise Http404
    order = _order(request, pk)
    scope = request.scope
    scope.require(Perm.VOLUNTEER_DISPATCH)
    actor = request.user
    reason = request.POST.get("reason", "")
    try:
        if step == "approve":
            services.order_approve(actor=actor, order=order)
        elif step == "reject":
            services.order_reject(actor=actor, order=order, reason=reason)
        elif step == "pass_down":
            target = scope.get_organization(request.POST.get("organization"))
            services.order_pass_down(actor=actor, order=order, organization=target)
        elif step == "dispatch":
            services.order_dispatch(
                actor=actor,
                order=order,
                scope_organization=scope.organization,
                volunteer=_chosen(request, Volunteer, "volunteer"),
                team=_chosen(request, VolunteerTeam, "team"),
            )
        elif step == "open":
            services.order_open(actor=actor, order=order, scope_organization=scope.organization)
        elif step == "withdraw":
            services.order_withdraw(actor=actor, order=order, reason=reason)
        elif step == "accept":
            services.order_accept(actor=actor, order=order)
        elif step == "decline":
            services.order_decline(actor=actor, order=order, reason=reason)
        elif step == "deliver":
            form = DeliveryForm(request.POST, request.FILES, order=order)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return redirect("volunteers:order", pk=order.pk)
            services.order_deliver(actor=actor, order=order, data=form.to_data())
        elif step == "cancel":
            services.order_cancel(actor=actor, order=order, reason=reason)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("volunteers:order", pk=order.pk)
    messages.success(request, STEPS[step])
    return redirect("volunteers:order", pk=order.pk)


@scoped(perm=Perm.VOLUNTEER_CHANGE)
def order_create(request):
    """Take an order received by phone or in person for a requester."""
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(
                actor=request.user, data=form.to_data(), organization=request.scope.organization, via="staff"
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("Order %(number)s is recorded.") % {"number": order.number})
            return redirect("volunteers:order", pk=order.pk)
    return render(request, "volunteers/order_form.html", {"form": form})


# --- registers ----------------------------------------------------------------------------


@scoped(perm=Perm.VOLUNTEER_VIEW)
def volunteer_list(request):
    status = request.GET.get("status", "")
    if status not in VolunteerStatus.values:
        status = ""
    volunteers = selectors.volunteer_list(scope=request.scope, query=request.GET.get("q", ""), status=status)
    page = page_of(request, volunteers.prefetch_related("disciplines"))
    thresholds = star_thresholds()
    for volunteer in page.object_list:
        volunteer.stars = stars_for(volunteer.hours_total, thresholds)
    return render(
        request,
        "volunteers/volunteer_list.html",
        {
            "page_obj": page,
            "page_range": page_range(page),
            "statuses": VolunteerStatus.choices,
            "status": status,
        },
    )


@scoped(perm=Perm.VOLUNTEER_VIEW)
def volunteer_detail(request, pk):
    volunteer = request.scope.get(
        Volunteer.objects.select_related("person", "organization", "home_division"), pk=pk
    )
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "can_change": request.scope.has(Perm.VOLUNTEER_CHANGE),
            "status_form": VolunteerStatusForm(initial={"status": volunteer.status}),
            "unavailable_form": UnavailabilityForm(),
            "hours_form": HoursForm(),
            "hours_url": reverse("volunteers:volunteer_step", args=[volunteer.pk, "hours"]),
            "stars": stars_for(volunteer.hours_total),
            "ledger": selectors.ledger(volunteer=volunteer)[:50],
            "orders": selectors.volunteer_orders(volunteer=volunteer)[:20],
            "unavailable": volunteer.unavailable.filter(ends_on__gte=timezone.localdate()),
            "teams": volunteer.teams.all(),
        },
    )


@scoped(perm=Perm.VOLUNTEER_VIEW)
def team_list(request):
    teams = selectors.team_list(scope=request.scope, query=request.GET.get("q", ""))
    page = page_of(request, teams)
    return render(request, "volunteers/team_list.html", {"page_obj": page, "page_range": page_range(page)})


@scoped(perm=Perm.VOLUNTEER_VIEW)
def team_detail(request, pk):
    team = request.scope.get(VolunteerTeam.objects.select_related("organization", "leader__person"), pk=pk)
    find = " ".join((request.GET.get("find") or "").split())[:64]
    candidates = []
    if find and request.scope.has(Perm.VOLUNTEER_CHANGE):
        candidates = (
            selectors.volunteer_list(scope=request.scope, query=find, status=VolunteerStatus.ACTIVE)
            .filter(selectors.in_network(team.organization))
            .exclude(team_memberships__team=team)[:20]
        )
    return render(
        request,
        "volunteers/team_detail.html",
        {
            "team": team,
            "can_change": request.scope.has(Perm.VOLUNTEER_CHANGE),
            "find": find,
            "candidates": candidates,
            "members": team.memberships.select_related("volunteer__person"),
            "ledger": selectors.ledger(team=team)[:50],
            "items": team.menu_items.all(),
        },
    )


@scoped(perm=Perm.VOLUNTEER_VIEW)
def menu(request):
    status = request.GET.get("status", "")
    if status not in MenuStatus.values:
        status = ""
    items = selectors.menu_list(scope=request.scope, query=request.GET.get("q", ""), status=status)
    page = page_of(request, items)
    return render(
        request,
        "volunteers/menu.html",
        {
            "page_obj": page,
            "page_range": page_range(page),
            "statuses": MenuStatus.choices,
            "status": status,
            "can_manage": request.scope.has(Perm.VOLUNTEER_MANAGE),
            "can_change": request.scope.has(Perm.VOLUNTEER_CHANGE),
        },
    )


@require_POST
@scoped(perm=Perm.VOLUNTEER_VIEW)
def menu_item_step(request, pk, step):
    item = request.scope.get(MenuItem.objects.all(), pk=pk)
    request.scope.require(Perm.VOLUNTEER_MANAGE)
    try:
        if step == "publish":
            menu_services.menu_item_publish(actor=request.user, item=item)
        elif step == "return":
            menu_services.menu_item_return(
                actor=request.user, item=item, reason=request.POST.get("reason", "")
            )
        elif step == "withdraw":
            menu_services.menu_item_withdraw(
                actor=request.user, item=item, reason=request.POST.get("reason", "")
            )
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The menu item is updated."))
    return redirect("volunteers:menu")


# --- hours ------------------------------------------------------------------------------


@scoped(perm=Perm.VOLUNTEER_VIEW)
def hours(request):
    """Hours waiting for approval, and the year's ranking of the network."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    return render(
        request,
        "volunteers/hours.html",
        {
            "pending": selectors.hours_pending(scope=request.scope)[:100],
            "ranking": selectors.hours_ranking(scope=request.scope, year=year),
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "can_manage": request.scope.has(Perm.VOLUNTEER_MANAGE),
        },
    )


@require_POST
@scoped(perm=Perm.VOLUNTEER_VIEW)
def hours_step(request, pk, step):
    entry = request.scope.get(HoursEntry.objects.all(), via="volunteer__organization", pk=pk)
    request.scope.require(Perm.VOLUNTEER_MANAGE)
    try:
        if step == "approve":
            hours_services.hours_approve(actor=request.user, entry=entry)
        elif step == "reject":
            hours_services.hours_reject(
                actor=request.user, entry=entry, reason=request.POST.get("reason", "")
            )
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The hours are decided."))
    return redirect("volunteers:hours")


# --- registering volunteers -------------------------------------------------------------


def _person_in_scope(request, pk):
    from kexie.people.selectors.people import person_queryset

    try:
        return person_queryset(scope=request.scope).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@scoped(perm=Perm.VOLUNTEER_CHANGE)
def volunteer_create(request):
    """Register a person of the talent pool: find them first, then the registration form."""
    from kexie.people.selectors.people import PersonFilter, person_list

    scope = request.scope
    person = (
        _person_in_scope(request, request.GET.get("person") or request.POST.get("person"))
        if (request.GET.get("person") or request.POST.get("person"))
        else None
    )
    if person is None:
        query = " ".join((request.GET.get("q") or "").split())[:64]
        found = list(person_list(scope=scope, filters=PersonFilter(query=query))[:20]) if query else []
        return render(request, "volunteers/volunteer_find.html", {"query": query, "found": found})
    if hasattr(person, "volunteer"):
        messages.info(request, _("%(name)s is registered as a volunteer already.") % {"name": person.name})
        return redirect("volunteers:volunteer", pk=person.volunteer.pk)
    form = VolunteerForm(
        request.POST or None, organization=scope.organization, initial={"home_division": person.division_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = volunteer_services.volunteer_register(
                actor=request.user, organization=scope.organization, person=person, data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("%(name)s is registered as a volunteer.") % {"name": person.name})
            return redirect("volunteers:volunteer", pk=volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "person": person})


def _volunteer(request, pk) -> Volunteer:
    return request.scope.get(
        Volunteer.objects.select_related("person", "organization", "home_division"), pk=pk
    )


@scoped(perm=Perm.VOLUNTEER_VIEW)
def volunteer_update(request, pk):
    volunteer = _volunteer(request, pk)
    request.scope.require(Perm.VOLUNTEER_CHANGE)
    initial = {
        "disciplines": volunteer.disciplines.all(),
        "divisions": volunteer.divisions.all(),
        "expertise": volunteer.expertise,
        "home_division": volunteer.home_division_id,
        "on_workdays": volunteer.on_workdays,
        "on_rest_days": volunteer.on_rest_days,
        "languages": volunteer.languages,
        "qualifications": volunteer.qualifications,
        "consent_on": volunteer.consent_on,
    }
    form = VolunteerForm(request.POST or None, organization=volunteer.organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer_services.volunteer_update(actor=request.user, volunteer=volunteer, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The registration is saved."))
            return redirect("volunteers:volunteer", pk=volunteer.pk)
    return render(
        request,
        "volunteers/volunteer_form.html",
        {"form": form, "person": volunteer.person, "volunteer": volunteer},
    )


@require_POST
@scoped(perm=Perm.VOLUNTEER_VIEW)
def volunteer_step(request, pk, step):
    """Change the status, add or remove a period unavailable, or enter hours served
    outside the platform (with evidence, waiting for approval)."""
    volunteer = _volunteer(request, pk)
    request.scope.require(Perm.VOLUNTEER_CHANGE)
    try:
        if step == "status":
            form = VolunteerStatusForm(request.POST)
            if form.is_valid():
                volunteer_services.volunteer_set_status(
                    actor=request.user,
                    volunteer=volunteer,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
        elif step == "unavailable":
            form = UnavailabilityForm(request.POST)
            if form.is_valid():
                volunteer_services.unavailability_add(
                    actor=request.user, volunteer=volunteer, **form.cleaned_data
                )
        elif step == "available":
            period = volunteer.unavailable.filter(pk=request.POST.get("period")).first()
            if period is None:
                raise Http404
            volunteer_services.unavailability_remove(actor=request.user, period=period)
            form = None
        elif step == "hours":
            form = HoursForm(request.POST, request.FILES)
            if form.is_valid():
                hours_services.hours_enter(actor=request.user, volunteer=volunteer, data=form.to_data())
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if form is not None and form.errors:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("Saved."))
    return redirect("volunteers:volunteer", pk=volunteer.pk)


@scoped(perm=Perm.VOLUNTEER_VIEW)
def volunteer_certificate(request, pk):
    """The certificate of service hours (.docx); the download is audited."""
    from kexie.audit.services import record
    from kexie.volunteers.certificate import certificate_docx

    volunteer = _volunteer(request, pk)
    content = certificate_docx(volunteer)
    record(request.user, "volunteer.certificate", volunteer)
    return docx_response(content, f"{volunteer.person.name}-{_('service hours certificate')}")


def docx_response(content: bytes, filename: str):
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"certificate.docx\"; filename*=UTF-8''{quote(filename)}.docx"
    )
    return response


# --- teams ------------------------------------------------------------------------------


def _leaders(scope):
    """A new team's leader: an active volunteer registered with the organization itself
    (a team's leader is later chosen among its members)."""
    return (
        Volunteer.objects.filter(organization=scope.organization, status=VolunteerStatus.ACTIVE)
        .select_related("person")
        .order_by("person__sort_key")
    )


@scoped(perm=Perm.VOLUNTEER_CHANGE)
def team_create(request):
    form = TeamForm(request.POST or None, leaders=_leaders(request.scope))
    if request.method == "POST" and form.is_valid():
        try:
            team = volunteer_services.team_create(
                actor=request.user, organization=request.scope.organization, data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The team is created."))
            return redirect("volunteers:team", pk=team.pk)
    return render(request, "volunteers/team_form.html", {"form": form})


def _team(request, pk) -> VolunteerTeam:
    return request.scope.get(VolunteerTeam.objects.select_related("organization", "leader__person"), pk=pk)


@scoped(perm=Perm.VOLUNTEER_VIEW)
def team_update(request, pk):
    team = _team(request, pk)
    request.scope.require(Perm.VOLUNTEER_CHANGE)
    initial = {
        "name": team.name,
        "kind": team.kind,
        "leader": team.leader_id,
        "founded_on": team.founded_on,
        "description": team.description,
    }
    form = TeamForm(request.POST or None, leaders=team.members.select_related("person"), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer_services.team_update(actor=request.user, team=team, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The team is saved."))
            return redirect("volunteers:team", pk=team.pk)
    return render(request, "volunteers/team_form.html", {"form": form, "team": team})


@require_POST
@scoped(perm=Perm.VOLUNTEER_VIEW)
def team_step(request, pk, step):
    """Add or remove a member, or stop or restart the team."""
    team = _team(request, pk)
    request.scope.require(Perm.VOLUNTEER_CHANGE)
    try:
        if step in ("member_add", "member_remove"):
            volunteer = request.scope.get(
                Volunteer.objects.select_related("person", "organization"), pk=request.POST.get("volunteer")
            )
            if step == "member_add":
                volunteer_services.team_member_add(actor=request.user, team=team, volunteer=volunteer)
            else:
                volunteer_services.team_member_remove(actor=request.user, team=team, volunteer=volunteer)
        elif step in ("stop", "restart"):
            volunteer_services.team_set_active(actor=request.user, team=team, is_active=step == "restart")
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("volunteers:team", pk=team.pk)


# --- the menu: drafting -------------------------------------------------------------------


def _provider(request):
    """The volunteer (?volunteer=) or team (?team=) a new menu item is offered by."""
    source = request.POST if request.method == "POST" else request.GET
    if source.get("team"):
        return None, _team(request, source.get("team"))
    if source.get("volunteer"):
        return _volunteer(request, source.get("volunteer")), None
    raise Http404


@scoped(perm=Perm.VOLUNTEER_CHANGE)
def menu_item_create(request):
    volunteer, team = _provider(request)
    provider = volunteer or team
    form = MenuItemForm(request.POST or None, organization=provider.organization)
    if request.method == "POST" and form.is_valid():
        try:
            item = menu_services.menu_item_create(
                actor=request.user,
                organization=provider.organization,
                data=form.to_data(volunteer=volunteer, team=team),
            )
            if request.POST.get("submit_for_review"):
                menu_services.menu_item_submit(actor=request.user, item=item)
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The menu item is saved."))
            return redirect("volunteers:menu")
    return render(
        request,
        "volunteers/menu_item_form.html",
        {"form": form, "provider": provider, "volunteer": volunteer, "team": team},
    )


@scoped(perm=Perm.VOLUNTEER_VIEW)
def menu_item_update(request, pk):
    item = request.scope.get(
        MenuItem.objects.select_related("organization", "volunteer__person", "team"), pk=pk
    )
    request.scope.require(Perm.VOLUNTEER_CHANGE)
    initial = {
        "title": item.title,
        "discipline": item.discipline_id,
        "form": item.form,
        "audience": item.audience,
        "duration_hours": item.duration_hours,
        "description": item.description,
        "requirements": item.requirements,
        "divisions": item.divisions.all(),
    }
    form = MenuItemForm(request.POST or None, organization=item.organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            menu_services.menu_item_update(
                actor=request.user, item=item, data=form.to_data(volunteer=item.volunteer, team=item.team)
            )
            if request.POST.get("submit_for_review") and item.status == MenuStatus.DRAFT:
                menu_services.menu_item_submit(actor=request.user, item=item)
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The menu item is saved."))
            return redirect("volunteers:menu")
    return render(
        request,
        "volunteers/menu_item_form.html",
        {
            "form": form,
            "item": item,
            "provider": item.provider,
            "volunteer": item.volunteer,
            "team": item.team,
        },
    )


# --- settings -------------------------------------------------------------------------------


@scoped(perm=Perm.VOLUNTEER_VIEW)
def settings_page(request):
    """The deadlines of the network and the star levels (the root association's administrator
    sets the star levels for every network)."""
    scope = request.scope
    policy = policy_for(scope.organization)
    can_manage = scope.has(Perm.VOLUNTEER_MANAGE)
    can_set_stars = can_manage and scope.organization.parent_id is None
    policy_form = PolicyForm(
        request.POST if request.POST.get("form") == "policy" else None,
        initial={"accept_workdays": policy.accept_workdays, "rating_days": policy.rating_days},
    )
    thresholds = star_thresholds()
    stars_form = StarsForm(
        request.POST if request.POST.get("form") == "stars" else None,
        initial={"hours": ", ".join(str(hours) for _stars, hours in thresholds)},
    )
    if request.method == "POST":
        scope.require(Perm.VOLUNTEER_MANAGE)
        try:
            if request.POST.get("form") == "policy" and policy_form.is_valid():
                policy_set(actor=request.user, organization=scope.organization, **policy_form.cleaned_data)
                messages.success(request, _("The deadlines are saved."))
                return redirect("volunteers:settings")
            if request.POST.get("form") == "stars" and stars_form.is_valid():
                if not can_set_stars:
                    raise PermissionDenied
                star_levels_set(actor=request.user, hours=stars_form.cleaned_data["hours"])
                messages.success(request, _("The star levels are saved."))
                return redirect("volunteers:settings")
        except DomainError as error:
            (policy_form if request.POST.get("form") == "policy" else stars_form).show_domain_error(error)
    return render(
        request,
        "volunteers/settings.html",
        {
            "policy": policy,
            "policy_form": policy_form,
            "stars_form": stars_form,
            "thresholds": thresholds,
            "can_manage": can_manage,
            "can_set_stars": can_set_stars,
        },
    )


# --- the hours ledger of the network ----------------------------------------------------------


def _ledger_rows(request):
    form = BoardFilterForm(request.GET or None)
    link = form.statistic()
    lines = selectors.hours_lines(scope=request.scope)
    heading = None
    if link is not None:
        lines, heading = selectors.statistic_records(
            scope=request.scope, link=link, sources=selectors.HOURS_SOURCES, queryset=lines
        )
    return heading, lines


@scoped(perm=Perm.VOLUNTEER_VIEW)
def ledger(request):
    """The approved service hours of the network's volunteers, or those behind a figure."""
    heading, lines = _ledger_rows(request)
    page = page_of(request, lines)
    return render(
        request,
        "volunteers/ledger.html",
        {"statistic": heading, "page_obj": page, "page_range": page_range(page)},
    )


@scoped(perm=Perm.VOLUNTEER_EXPORT)
def ledger_export(request):
    from kexie.audit.services import record

    _heading, lines = _ledger_rows(request)
    headers = [
        _("Served on"),
        _("Volunteer"),
        _("Organization"),
        _("Team"),
        _("Service"),
        _("Source"),
        _("Hours"),
    ]
    rows = (
        [
            line.served_on,
            line.volunteer.person.name,
            line.volunteer.organization.name,
            line.team.name if line.team else "",
            line.description,
            line.get_source_display(),
            line.hours,
        ]
        for line in lines.iterator(chunk_size=1000)
    )
    content = xlsx.workbook(headers, rows, title=_("Service hours"))
    record(request.user, "volunteer_hours.export", org_path=request.scope.organization.path)
    return xlsx.download(content, f"{request.scope.organization.display_name}-{_('service hours')}")

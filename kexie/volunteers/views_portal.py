"""The volunteer's own pages: the orders dispatched to them (or to the teams they lead) to
accept or decline, open orders to grab, recording a service held, their hours, star level
and certificate.

These pages have no scope: they reach the volunteer registration of the person linked to
the logged-in account; an account without one gets 404, and an order they do not hold (or
may not grab) is 404 too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kexie.core.errors import DomainError
from kexie.volunteers import selectors
from kexie.volunteers.forms import DeliveryForm, HoursForm
from kexie.volunteers.models import IN_HAND, OrderStatus, ServiceOrder, Volunteer
from kexie.volunteers.services import orders as services
from kexie.volunteers.services.policy import star_thresholds, stars_for


def own_volunteer(request) -> Volunteer:
    try:
        return Volunteer.objects.select_related("person", "organization").get(person__user=request.user)
    except Volunteer.DoesNotExist:
        raise Http404(_("Your account is not registered as a volunteer.")) from None


def _order_of(volunteer: Volunteer, pk) -> ServiceOrder:
    order = (
        ServiceOrder.objects.select_related(
            "organization", "discipline", "division", "team__leader", "volunteer", "pool"
        )
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    holds = order.volunteer_id == volunteer.pk or (order.team_id and order.team.leader_id == volunteer.pk)
    if not holds and not (order.status == OrderStatus.OPEN and services.may_grab(order, volunteer)):
        raise Http404
    return order


@login_required
def home(request):
    volunteer = own_volunteer(request)
    orders = list(selectors.volunteer_orders(volunteer=volunteer)[:50])
    thresholds = star_thresholds()
    stars = stars_for(volunteer.hours_total, thresholds)
    following = next(((s, h) for s, h in thresholds if s > stars), None)
    return render(
        request,
        "volunteers/portal/home.html",
        {
            "volunteer": volunteer,
            "in_hand": [o for o in orders if o.status in IN_HAND],
            "history": [o for o in orders if o.status not in IN_HAND],
            "open_orders": selectors.grabbable(volunteer=volunteer)[:20],
            "stars": stars,
            "next_level": following,
            "ledger": selectors.ledger(volunteer=volunteer)[:20],
            "hours_form": HoursForm(),
            "hours_url": reverse("volunteers_portal:hours_enter"),
        },
    )


@login_required
def order(request, pk):
    volunteer = own_volunteer(request)
    order = _order_of(volunteer, pk)
    context = {"order": order, "volunteer": volunteer}
    if order.status == OrderStatus.ACCEPTED:
        context["delivery_form"] = DeliveryForm.for_order(order)
    return render(request, "volunteers/portal/order.html", context)


MESSAGES = {
    "accept": gettext_lazy("You have accepted the order."),
    "decline": gettext_lazy("You have declined the order; the association will dispatch it again."),
    "grab": gettext_lazy("The order is yours."),
    "deliver": gettext_lazy("The service is recorded; thank you. The requester is asked to rate it."),
}


@require_POST
@login_required
def order_step(request, pk, step):
    volunteer = own_volunteer(request)
    order = _order_of(volunteer, pk)
    if step not in MESSAGES or (step != "grab" and not services.acts_for(request.user, order)):
        raise Http404
    try:
        if step == "accept":
            services.order_accept(actor=request.user, order=order)
        elif step == "decline":
            services.order_decline(actor=request.user, order=order, reason=request.POST.get("reason", ""))
        elif step == "grab":
            services.order_grab(actor=request.user, order=order, volunteer=volunteer)
        elif step == "deliver":
            form = DeliveryForm(request.POST, request.FILES, order=order)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return redirect("volunteers_portal:order", pk=order.pk)
            services.order_deliver(actor=request.user, order=order, data=form.to_data())
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(
            "volunteers_portal:home" if step == "grab" else "volunteers_portal:order",
            **({} if step == "grab" else {"pk": order.pk}),
        )
    messages.success(request, MESSAGES[step])
    return redirect("volunteers_portal:order", pk=order.pk)


@require_POST
@login_required
def hours_enter(request):
    """Enter hours served outside the platform, with evidence; they count once approved."""
    from kexie.volunteers.services.hours import hours_enter as enter

    volunteer = own_volunteer(request)
    form = HoursForm(request.POST, request.FILES)
    try:
        if form.is_valid():
            enter(actor=request.user, volunteer=volunteer, data=form.to_data())
            messages.success(request, _("Your hours are sent for approval."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("volunteers_portal:home")


@login_required
def certificate(request):
    """The volunteer's own certificate of service hours (.docx)."""
    from kexie.audit.services import record
    from kexie.volunteers.certificate import certificate_docx
    from kexie.volunteers.views import docx_response

    volunteer = own_volunteer(request)
    content = certificate_docx(volunteer)
    record(request.user, "volunteer.certificate", volunteer, own=True)
    return docx_response(content, f"{volunteer.person.name}-{_('service hours certificate')}")

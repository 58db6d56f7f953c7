"""Public pages of the volunteer service: the menu, the order form (a logged-in user, or a
mobile proven by an SMS code), and the requester's own order page, where they follow the
order, rate the service or call it off. The order page is reached by its unguessable
link (sent by SMS), not by login."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.errors import DomainError
from kexie.core.middleware import client_ip
from kexie.core.views import public_page
from kexie.orgs.models import Division
from kexie.people.models import Discipline
from kexie.volunteers import selectors
from kexie.volunteers.forms import PublicOrderForm, RatingForm, county_choices
from kexie.volunteers.models import MenuItem, MenuStatus, OrderAction, OrderStatus, ServiceOrder
from kexie.volunteers.services import orders as services
from kexie.volunteers.services.mobile import mobile_check_send, mobile_check_verify

MENU_SHOWN = 60
# The steps a requester sees on their page (the dispatcher's inner steps are not theirs).
REQUESTER_STEPS = {
    OrderAction.ORDER,
    OrderAction.APPROVE,
    OrderAction.REJECT,
    OrderAction.ACCEPT,
    OrderAction.GRAB,
    OrderAction.DELIVER,
    OrderAction.RATE,
    OrderAction.CLOSE,
    OrderAction.CANCEL,
}


def _choice(model, value, **filters):
    if not value:
        return None
    return model.objects.filter(pk=value, **filters).first()


def menu(request):
    """The published menu, searchable by words, field and region."""
    field = _choice(Discipline, request.GET.get("field"), parent__isnull=True)
    division = _choice(Division, request.GET.get("region"))
    items = selectors.menu_list(query=request.GET.get("q", ""), discipline=field, division=division)
    return public_page(
        request,
        "volunteers/public/_menu.html",
        _("Science service menu"),
        {
            "items": items[:MENU_SHOWN],
            "fields": Discipline.objects.filter(parent__isnull=True, is_active=True).order_by("code"),
            "regions": county_choices(),
            "field": field,
            "region": division,
        },
    )


def order(request):
    """The order form (点单), from a menu item (?item=) or for a need of one's own."""
    item = None
    if request.GET.get("item") or request.POST.get("item"):
        item = (
            MenuItem.objects.filter(
                pk=request.GET.get("item") or request.POST.get("item"), status=MenuStatus.PUBLISHED
            )
            .select_related("discipline", "team", "volunteer__person")
            .first()
        )
        if item is None:
            raise Http404(_("This service is no longer on the menu."))
    form = PublicOrderForm(request.POST or None, item=item)
    needs_code = not request.user.is_authenticated
    code_sent = False
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        try:
            if needs_code and "send_code" in request.POST:
                mobile_check_send(mobile=data.mobile, ip=client_ip(request))
                code_sent = True
            elif needs_code and not mobile_check_verify(
                mobile=data.mobile, code=form.cleaned_data.get("code", "")
            ):
                form.add_error("code", _("The code is wrong or has expired: ask for a new one."))
            else:
                placed = services.order_create(actor=request.user, data=data)
                return redirect("volunteers_public:order_status", token=placed.token)
        except DomainError as error:
            form.show_domain_error(error)
    return public_page(
        request,
        "volunteers/public/_order.html",
        _("Order a science service"),
        {"form": form, "item": item, "needs_code": needs_code, "code_sent": code_sent},
        status=200 if request.method == "GET" or form.is_valid() or code_sent else 400,
    )


def _own(token) -> ServiceOrder:
    order = (
        ServiceOrder.objects.select_related(
            "organization", "discipline", "division", "volunteer__person", "team"
        )
        .filter(token=token)
        .first()
    )
    if order is None:
        raise Http404
    return order


def order_status(request, token):
    """The requester's page of their order."""
    order = _own(token)
    until = services.rating_open_until(order)
    context = {
        "order": order,
        "events": order.events.filter(action__in=REQUESTER_STEPS),
        "rating_form": RatingForm()
        if order.status == OrderStatus.DELIVERED and until and until > timezone.now()
        else None,
        "rate_until": until,
        "can_cancel": order.status in services.CANCELLABLE,
        "show_reason": bool(order.status_reason)
        and order.status in (OrderStatus.REJECTED, OrderStatus.CANCELLED),
    }
    return public_page(request, "volunteers/public/_status.html", order.title, context)


@require_POST
def order_rate(request, token):
    order = _own(token)
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose from one to five stars."), field="rating")
        services.order_rate(
            actor=request.user,
            order=order,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Thank you for rating the service."))
    return redirect("volunteers_public:order_status", token=order.token)


@require_POST
def order_cancel(request, token):
    order = _own(token)
    try:
        services.order_cancel(
            actor=request.user, order=order, reason=request.POST.get("reason", ""), by_requester=True
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The order is cancelled."))
    return redirect("volunteers_public:order_status", token=order.token)

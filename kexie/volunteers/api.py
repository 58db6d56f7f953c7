"""/api/v1/volunteers/: the volunteers, teams and service menu of the caller's scope, the
orders and every step of their life, the dispatch suggestion and the hours ledger.

Views are thin, like the activities API: find the object through the caller's scope (404
outside the subtree) → check the role (403) → validate the input serializer → call one
service, which audits → answer with the order's detail. Reads need VOLUNTEER_VIEW, taking an
order for a requester VOLUNTEER_CHANGE, and every step of an order (review, dispatch,
recording for the volunteer) and the suggestion VOLUNTEER_DISPATCH. A service's refusal
becomes a 400 naming the field (kexie.core.api.exception_handler).
"""

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from kexie.accounts.roles import Perm
from kexie.core.api_views import ScopedAPIView
from kexie.orgs.api import Pagination

from .models import MenuItem, OrderEvent, ServiceOrder, TeamMember, Unavailability, Volunteer, VolunteerTeam
from .selectors import ledger, menu_list, order_list, suggestions, team_list, volunteer_list
from .serializers import (
    HoursEntryOutputSerializer,
    MenuItemDetailOutputSerializer,
    MenuItemFilterSerializer,
    MenuItemOutputSerializer,
    OrderCreateInputSerializer,
    OrderDeliverInputSerializer,
    OrderDetailOutputSerializer,
    OrderDispatchInputSerializer,
    OrderFilterSerializer,
    OrderOutputSerializer,
    OrderPassDownInputSerializer,
    OrderReasonInputSerializer,
    SuggestionOutputSerializer,
    VolunteerDetailOutputSerializer,
    VolunteerFilterSerializer,
    VolunteerOutputSerializer,
    VolunteerTeamDetailOutputSerializer,
    VolunteerTeamFilterSerializer,
    VolunteerTeamOutputSerializer,
)
from .services.orders import (
    order_accept,
    order_approve,
    order_cancel,
    order_create,
    order_decline,
    order_deliver,
    order_dispatch,
    order_open,
    order_pass_down,
    order_reject,
    order_withdraw,
)
from .services.policy import star_thresholds

VOLUNTEERS = ["volunteers"]
ORDERS = ["service orders"]
STEPS = ["service order workflow"]

# What every endpoint may answer besides its success; documented once.
ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Your role does not allow this."),
}
BAD_INPUT = {
    400: OpenApiResponse(description="Invalid input or a refused step; the field at fault is named.")
}
OBJECT_ERRORS = {**ERRORS, 404: OpenApiResponse(description="Nothing with this id in your scope.")}
LIST_ERRORS = {**ERRORS, **BAD_INPUT}
WRITE_ERRORS = {**OBJECT_ERRORS, **BAD_INPUT}


class VolunteersAPIView(ScopedAPIView):
    """Reads need VOLUNTEER_VIEW, writes VOLUNTEER_CHANGE (ScopedPermission reads `required_perms`)."""

    required_perms = {"read": Perm.VOLUNTEER_VIEW, "write": Perm.VOLUNTEER_CHANGE}

    def query(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.query_params, context=self.context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ObjectAPIView(VolunteersAPIView):
    """An endpoint about one object, `pk` in the URL.

    The object is looked up through the scope *before* the role is checked, so one outside
    the caller's subtree is a 404 whatever the method and the role; only inside the subtree
    does a missing permission give 403 (the same order as the HTML views).
    """

    def fetch(self, scope, pk):
        raise NotImplementedError

    def check_permissions(self, request):
        if request.user and request.user.is_authenticated and request.scope:
            self.object = self.fetch(request.scope, self.kwargs["pk"])
        super().check_permissions(request)


# --- volunteers ----------------------------------------------------------------------


def _volunteer_in_scope(scope, pk) -> Volunteer:
    return scope.get(Volunteer.objects.select_related("person", "organization", "home_division"), pk=pk)


class VolunteerListAPI(VolunteersAPIView):
    pagination_class = Pagination

    @extend_schema(
        tags=VOLUNTEERS,
        summary="List the volunteers registered in your scope",
        description="By name (pinyin sort). Mobiles are masked; ID numbers are never shown.",
        parameters=[VolunteerFilterSerializer],
        responses={200: VolunteerOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        filters = self.query(VolunteerFilterSerializer)
        volunteers = volunteer_list(
            scope=request.scope,
            query=filters["q"],
            status=filters["status"],
            discipline=filters["discipline"],
            division=filters["division"],
        ).prefetch_related("disciplines", "divisions")
        return self.paginated(volunteers, VolunteerOutputSerializer)


class VolunteerDetailAPI(ObjectAPIView):
    def fetch(self, scope, pk):
        return _volunteer_in_scope(scope, pk)

    @extend_schema(
        tags=VOLUNTEERS,
        summary="One volunteer: fields, regions, availability, teams, load, hours and stars",
        responses={200: VolunteerDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        upcoming = Unavailability.objects.filter(ends_on__gte=timezone.localdate())
        volunteer = (
            Volunteer.objects.filter(pk=self.object.pk)
            .select_related("person", "organization", "home_division")
            .prefetch_related("disciplines", "divisions", "teams", Prefetch("unavailable", queryset=upcoming))
            .get()
        )
        context = {**self.context(), "star_thresholds": star_thresholds()}
        return Response(VolunteerDetailOutputSerializer(volunteer, context=context).data)


class VolunteerHoursAPI(ObjectAPIView):
    pagination_class = Pagination

    def fetch(self, scope, pk):
        return _volunteer_in_scope(scope, pk)

    @extend_schema(
        tags=VOLUNTEERS,
        summary="A volunteer's hours ledger, latest service first",
        description="Lines from delivered orders and lines entered with evidence (counted once approved).",
        responses={200: HoursEntryOutputSerializer(many=True), **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return self.paginated(ledger(volunteer=self.object), HoursEntryOutputSerializer)


# --- teams ---------------------------------------------------------------------------


class TeamListAPI(VolunteersAPIView):
    pagination_class = Pagination

    @extend_schema(
        tags=VOLUNTEERS,
        summary="List the volunteer teams of your scope",
        parameters=[VolunteerTeamFilterSerializer],
        responses={200: VolunteerTeamOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        filters = self.query(VolunteerTeamFilterSerializer)
        teams = team_list(scope=request.scope, query=filters["q"], kind=filters["kind"])
        return self.paginated(
            teams.annotate(member_count=Count("memberships")), VolunteerTeamOutputSerializer
        )


class TeamDetailAPI(ObjectAPIView):
    def fetch(self, scope, pk):
        return scope.get(VolunteerTeam.objects.all(), pk=pk)

    @extend_schema(
        tags=VOLUNTEERS,
        summary="One volunteer team with its members (mobiles masked)",
        responses={200: VolunteerTeamDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        members = TeamMember.objects.select_related("volunteer__person").order_by("joined_on", "pk")
        team = (
            VolunteerTeam.objects.filter(pk=self.object.pk)
            .select_related("organization", "leader__person")
            .annotate(member_count=Count("memberships"))
            .prefetch_related(Prefetch("memberships", queryset=members))
            .get()
        )
        return Response(VolunteerTeamDetailOutputSerializer(team, context=self.context()).data)


# --- the menu ------------------------------------------------------------------------


class MenuItemListAPI(VolunteersAPIView):
    pagination_class = Pagination

    @extend_schema(
        tags=VOLUNTEERS,
        summary="List the menu items of your scope, in any status",
        description="Newest published first. The public menu shows only published items.",
        parameters=[MenuItemFilterSerializer],
        responses={200: MenuItemOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        filters = self.query(MenuItemFilterSerializer)
        items = menu_list(
            scope=request.scope,
            query=filters["q"],
            discipline=filters["discipline"],
            division=filters["division"],
            status=filters["status"],
        )
        return self.paginated(items, MenuItemOutputSerializer)


class MenuItemDetailAPI(ObjectAPIView):
    def fetch(self, scope, pk):
        return scope.get(
            MenuItem.objects.select_related("organization", "discipline", "volunteer__person", "team"), pk=pk
        )

    @extend_schema(
        tags=VOLUNTEERS,
        summary="One menu item with its content, regions served and review note",
        responses={200: MenuItemDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        prefetch_related_objects([self.object], "divisions")
        return Response(MenuItemDetailOutputSerializer(self.object, context=self.context()).data)


# --- orders --------------------------------------------------------------------------


def _order_in_scope(scope, pk) -> ServiceOrder:
    return scope.get(
        ServiceOrder.objects.select_related("organization", "menu_item", "discipline", "division"), pk=pk
    )


def _order_detail(order: ServiceOrder) -> ServiceOrder:
    events = OrderEvent.objects.select_related("organization", "volunteer__person", "team")
    return (
        ServiceOrder.objects.filter(pk=order.pk)
        .select_related(
            "organization",
            "received_by",
            "pool",
            "menu_item",
            "discipline",
            "division",
            "volunteer__person",
            "team",
        )
        .prefetch_related(Prefetch("events", queryset=events))
        .get()
    )


class OrderListAPI(VolunteersAPIView):
    """The orders the caller's scope is responsible for; taking an order for a requester."""

    pagination_class = Pagination

    @extend_schema(
        tags=ORDERS,
        summary="List the orders your scope is responsible for",
        description="Orders not accepted in time first, then the oldest. The requester's mobile is masked.",
        parameters=[OrderFilterSerializer],
        responses={200: OrderOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request):
        filters = self.query(OrderFilterSerializer)
        orders = order_list(
            scope=request.scope,
            status=filters["status"],
            query=filters["q"],
            overdue=filters["overdue"],
            year=filters["year"],
        )
        return self.paginated(orders, OrderOutputSerializer)

    @extend_schema(
        tags=ORDERS,
        summary="Take an order for a requester (on the telephone, at a service point)",
        description="It waits for review at `organization` (default: your active organization). "
        "With a published `menu_item`, its topic, field and form are used where none is sent.",
        request=OrderCreateInputSerializer,
        responses={201: OrderDetailOutputSerializer, **BAD_INPUT, **ERRORS},
    )
    def post(self, request):
        serializer = OrderCreateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        organization = serializer.validated_data["organization"] or request.scope.organization
        order = order_create(
            actor=request.user, data=serializer.order_data(), organization=organization, via="staff"
        )
        return Response(
            OrderDetailOutputSerializer(_order_detail(order), context=self.context()).data,
            status=status.HTTP_201_CREATED,
        )


class OrderObjectAPIView(ObjectAPIView):
    def fetch(self, scope, pk):
        return _order_in_scope(scope, pk)

    def detail_response(self) -> Response:
        order = _order_detail(self.object)
        return Response(OrderDetailOutputSerializer(order, context=self.context()).data)


class OrderDetailAPI(OrderObjectAPIView):
    @extend_schema(
        tags=ORDERS,
        summary="One order with its service record, its rating and every step taken",
        responses={200: OrderDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return self.detail_response()


class OrderSuggestionsAPI(OrderObjectAPIView):
    required_perms = {"read": Perm.VOLUNTEER_DISPATCH}

    @extend_schema(
        tags=ORDERS,
        summary="The volunteers best placed to serve the order, best first, each with why",
        description="Active volunteers of your network and whoever offers the ordered menu item, "
        "ranked by field, region, being free on the preferred date, orders in hand and rating.",
        responses={200: SuggestionOutputSerializer(many=True), **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        ranked = suggestions(order=self.object, scope_organization=request.scope.organization)
        return Response(SuggestionOutputSerializer(ranked, many=True, context=self.context()).data)


# --- the order's steps ---------------------------------------------------------------


class OrderStepAPIView(OrderObjectAPIView):
    """A step of the order: VOLUNTEER_DISPATCH, on an order of the caller's scope."""

    required_perms = {"read": Perm.VOLUNTEER_VIEW, "write": Perm.VOLUNTEER_DISPATCH}

    def valid(self, serializer_class):
        """The request's input, validated, with the order in the context (ids it resolves)."""
        context = {**self.context(), "order": self.object}
        serializer = serializer_class(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer


def _step_schema(name: str, summary: str, request=None, description: str = ""):
    return extend_schema(
        tags=STEPS,
        operation_id=f"v1_volunteers_orders_{name}",
        summary=summary,
        description=description,
        request=request,
        responses={200: OrderDetailOutputSerializer, **WRITE_ERRORS},
    )


class OrderApproveAPI(OrderStepAPIView):
    @_step_schema("approve", "Accept an order waiting for review, for dispatch")
    def post(self, request, pk):
        order_approve(actor=request.user, order=self.object)
        return self.detail_response()


class OrderRejectAPI(OrderStepAPIView):
    @_step_schema(
        "reject",
        "Reject an order waiting for review; the requester reads the reason",
        OrderReasonInputSerializer,
    )
    def post(self, request, pk):
        reason = self.valid(OrderReasonInputSerializer).validated_data["reason"]
        order_reject(actor=request.user, order=self.object, reason=reason)
        return self.detail_response()


class OrderPassDownAPI(OrderStepAPIView):
    @_step_schema(
        "pass_down",
        "Pass an order waiting for dispatch to an association below, which takes it over",
        OrderPassDownInputSerializer,
    )
    def post(self, request, pk):
        organization = self.valid(OrderPassDownInputSerializer).validated_data["organization"]
        order_pass_down(actor=request.user, order=self.object, organization=organization)
        return self.detail_response()


class OrderDispatchAPI(OrderStepAPIView):
    @_step_schema(
        "dispatch",
        "Dispatch an order to one volunteer or one team",
        OrderDispatchInputSerializer,
        "They have until `accept_by` (working days of your network's policy) to accept it.",
    )
    def post(self, request, pk):
        chosen = self.valid(OrderDispatchInputSerializer).validated_data
        order_dispatch(
            actor=request.user,
            order=self.object,
            scope_organization=request.scope.organization,
            volunteer=chosen["volunteer"],
            team=chosen["team"],
        )
        return self.detail_response()


class OrderOpenAPI(OrderStepAPIView):
    @_step_schema(
        "open",
        "Open an order for grabbing by the volunteers of your network",
        description="The active volunteers of your network working in its field or serving its "
        "region may grab it; the first to do so has it.",
    )
    def post(self, request, pk):
        order_open(actor=request.user, order=self.object, scope_organization=request.scope.organization)
        return self.detail_response()


class OrderWithdrawAPI(OrderStepAPIView):
    @_step_schema(
        "withdraw", "Take a dispatched or open order back to dispatch it again", OrderReasonInputSerializer
    )
    def post(self, request, pk):
        reason = self.valid(OrderReasonInputSerializer).validated_data["reason"]
        order_withdraw(actor=request.user, order=self.object, reason=reason)
        return self.detail_response()


class OrderAcceptAPI(OrderStepAPIView):
    @_step_schema("accept", "Record that the volunteer or team accepted a dispatched order")
    def post(self, request, pk):
        order_accept(actor=request.user, order=self.object)
        return self.detail_response()


class OrderDeclineAPI(OrderStepAPIView):
    @_step_schema(
        "decline",
        "Record that the volunteer or team declined; the order waits for dispatch again",
        OrderReasonInputSerializer,
    )
    def post(self, request, pk):
        reason = self.valid(OrderReasonInputSerializer).validated_data["reason"]
        order_decline(actor=request.user, order=self.object, reason=reason)
        return self.detail_response()


class OrderDeliverAPI(OrderStepAPIView):
    @_step_schema(
        "deliver",
        "Record an accepted order's service: a reported activity and the volunteers' hours",
        OrderDeliverInputSerializer,
        "The requester is then asked to rate it.",
    )
    def post(self, request, pk):
        data = self.valid(OrderDeliverInputSerializer).delivery_data()
        order_deliver(actor=request.user, order=self.object, data=data)
        return self.detail_response()


class OrderCancelAPI(OrderStepAPIView):
    @_step_schema(
        "cancel",
        "Cancel an order not yet delivered; the requester reads the reason",
        OrderReasonInputSerializer,
    )
    def post(self, request, pk):
        reason = self.valid(OrderReasonInputSerializer).validated_data["reason"]
        order_cancel(actor=request.user, order=self.object, reason=reason)
        return self.detail_response()

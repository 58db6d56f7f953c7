"""/api/v1/ for the organization network.

Views are thin: find the organization through the caller's scope (404 outside the
subtree) → check the role (403) → validate the input serializer → call one service or
selector → answer with the output serializer. Domain errors become a 400 naming the
field (kexie.core.api.exception_handler).
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from kexie.accounts.roles import Perm
from kexie.core.api_views import ScopedAPIView

from . import selectors, services
from .models import Organization
from .serializers import (
    BoardTermOutputSerializer,
    BoardTermStartInputSerializer,
    LeaderAppointInputSerializer,
    LeaderAppointmentOutputSerializer,
    NetworkStatisticsOutputSerializer,
    NetworkStatisticsQuerySerializer,
    OrganizationCreateInputSerializer,
    OrganizationDetailOutputSerializer,
    OrganizationDissolveInputSerializer,
    OrganizationEventOutputSerializer,
    OrganizationFilterSerializer,
    OrganizationMoveInputSerializer,
    OrganizationOutputSerializer,
    OrganizationUpdateInputSerializer,
    OverdueReelectionOutputSerializer,
)

ORGANIZATIONS = ["organizations"]
STATISTICS = ["statistics"]

# What every endpoint may answer besides its success; documented once.
ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Your role does not allow this."),
}
OBJECT_ERRORS = {**ERRORS, 404: OpenApiResponse(description="No such organization in your scope.")}
WRITE_ERRORS = {
    **OBJECT_ERRORS,
    400: OpenApiResponse(description="Invalid input; the field at fault is named."),
}


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class OrganizationsAPIView(ScopedAPIView):
    """Reads need ORG_VIEW, writes ORG_CHANGE (ScopedPermission reads `required_perms`)."""

    required_perms = {"read": Perm.ORG_VIEW, "write": Perm.ORG_CHANGE}

    def detail_response(self, organization: Organization, status_code: int = status.HTTP_200_OK) -> Response:
        data = OrganizationDetailOutputSerializer(_with_details(organization), context=self.context()).data
        return Response(data, status=status_code)


class OrganizationObjectAPIView(OrganizationsAPIView):
    """An endpoint about one organization, `pk` in the URL.

    The organization is looked up through the scope *before* the role is checked, so an
    organization outside the caller's subtree is a 404 whatever the method and the role,
    exactly as in the HTML views; only inside the subtree does a missing permission give 403.
    """

    organization: Organization

    def check_permissions(self, request):
        if request.user and request.user.is_authenticated and request.scope:
            self.organization = request.scope.get_organization(self.kwargs["pk"])
        super().check_permissions(request)


def _with_details(organization: Organization) -> Organization:
    """Attach what the detail representation shows: current term and leaders, children count."""
    term = organization.board_terms.filter(ended_on__isnull=True).order_by("-number").first()
    organization.current_board_term = term
    organization.is_overdue = bool(term and term.is_overdue(timezone.localdate()))
    organization.current_leaders = list(
        organization.appointments.filter(ended_on__isnull=True)
        .select_related("board_term")
        .order_by("position", "-started_on")
    )
    organization.children_count = organization.children.count()
    return organization


class OrganizationListAPI(OrganizationsAPIView):
    """Organizations of the caller's subtree, filtered like the list page; creating one under a parent."""

    pagination_class = Pagination

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="List the organizations in your scope",
        parameters=[OrganizationFilterSerializer],
        responses={200: OrganizationOutputSerializer(many=True), **WRITE_ERRORS},
    )
    def get(self, request):
        query = OrganizationFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        under = request.scope.get_organization(params["under"]) if params["under"] is not None else None
        filters = selectors.OrganizationFilter(
            q=params["q"],
            kinds=params["kind"],
            status=params["status"],
            under=under,
            division_code=params["division_code"],
            founded_from=params["founded_from"],
            founded_to=params["founded_to"],
            overdue_only=params["overdue_only"],
            party_covered=params["party_covered"],
            ordering=params["ordering"],
        )
        return self.paginated(
            selectors.organization_list(scope=request.scope, filters=filters), OrganizationOutputSerializer
        )

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="Create an organization under a parent in your scope",
        request=OrganizationCreateInputSerializer,
        responses={201: OrganizationDetailOutputSerializer, 400: WRITE_ERRORS[400], **ERRORS},
    )
    def post(self, request):
        serializer = OrganizationCreateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        organization = services.organization_create(
            actor=request.user,
            parent=serializer.validated_data["parent"],
            data=serializer.organization_data(),
        )
        return self.detail_response(organization, status.HTTP_201_CREATED)


class OrganizationDetailAPI(OrganizationObjectAPIView):
    """One organization of the caller's subtree, with its current board term and leaders."""

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="One organization",
        responses={200: OrganizationDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return self.detail_response(self.organization)

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="Edit an organization (any subset of the editable fields)",
        request=OrganizationUpdateInputSerializer,
        responses={200: OrganizationDetailOutputSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        serializer = OrganizationUpdateInputSerializer(
            data=request.data, partial=True, context=self.context()
        )
        serializer.is_valid(raise_exception=True)
        organization = services.organization_update(
            actor=request.user,
            organization=self.organization,
            data=serializer.organization_data(self.organization),
        )
        return self.detail_response(organization)


class OrganizationMoveAPI(OrganizationObjectAPIView):
    """Moving needs the organization-administrator role; the new parent must be in scope."""

    required_perms = {"read": Perm.ORG_VIEW, "write": Perm.ORG_MANAGE}

    @extend_schema(
        tags=ORGANIZATIONS,
        operation_id="v1_organizations_move",
        summary="Move an organization and its subtree under another parent",
        request=OrganizationMoveInputSerializer,
        responses={200: OrganizationDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = OrganizationMoveInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        organization = services.organization_move(
            actor=request.user, organization=self.organization, new_parent=serializer.validated_data["parent"]
        )
        return self.detail_response(organization)


class OrganizationDissolveAPI(OrganizationObjectAPIView):
    """Dissolving needs the organization-administrator role; active children must go first."""

    required_perms = {"read": Perm.ORG_VIEW, "write": Perm.ORG_MANAGE}

    @extend_schema(
        tags=ORGANIZATIONS,
        operation_id="v1_organizations_dissolve",
        summary="Record the dissolution of an organization",
        request=OrganizationDissolveInputSerializer,
        responses={200: OrganizationDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = OrganizationDissolveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = services.organization_dissolve(
            actor=request.user, organization=self.organization, **serializer.validated_data
        )
        return self.detail_response(organization)


class BoardTermsAPI(OrganizationObjectAPIView):
    """Board terms (届) of a society or similar body; a new term starts a re-election (换届)."""

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="The board terms of an organization, newest first",
        responses={200: BoardTermOutputSerializer(many=True), **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        terms = self.organization.board_terms.order_by("-number")
        return Response(BoardTermOutputSerializer(terms, many=True).data)

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="Record a board election (the current term ends, a new one begins)",
        request=BoardTermStartInputSerializer,
        responses={201: BoardTermOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = BoardTermStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        term = services.board_term_start(
            actor=request.user, organization=self.organization, **serializer.validated_data
        )
        return Response(BoardTermOutputSerializer(term).data, status=status.HTTP_201_CREATED)


class LeadersAPI(OrganizationObjectAPIView):
    """Leader appointments (任职); a new appointment ends the previous holder's."""

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="The leader appointments of an organization, current and past",
        responses={200: LeaderAppointmentOutputSerializer(many=True), **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        appointments = self.organization.appointments.select_related("board_term").order_by(
            "position", "-started_on", "-id"
        )
        return Response(LeaderAppointmentOutputSerializer(appointments, many=True).data)

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="Record who now holds a leading position",
        request=LeaderAppointInputSerializer,
        responses={201: LeaderAppointmentOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = LeaderAppointInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.leader_appoint(
            actor=request.user, organization=self.organization, **serializer.validated_data
        )
        return Response(LeaderAppointmentOutputSerializer(appointment).data, status=status.HTTP_201_CREATED)


class HistoryAPI(OrganizationObjectAPIView):
    """Lifecycle events with old and new values: founding, changes, moves, appointments, dissolution."""

    pagination_class = Pagination

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="The history of an organization, newest first",
        responses={200: OrganizationEventOutputSerializer(many=True), **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return self.paginated(
            selectors.organization_history(organization=self.organization), OrganizationEventOutputSerializer
        )


class ChildrenAPI(OrganizationObjectAPIView):
    """The organizations directly under this one, by name (pinyin)."""

    pagination_class = Pagination

    @extend_schema(
        tags=ORGANIZATIONS,
        summary="The direct children of an organization",
        responses={200: OrganizationOutputSerializer(many=True), **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        subtree = selectors.organization_list(
            scope=request.scope,
            filters=selectors.OrganizationFilter(under=self.organization, ordering="name"),
        )
        return self.paginated(subtree.filter(parent=self.organization), OrganizationOutputSerializer)


class OverdueReelectionsAPI(OrganizationsAPIView):
    """The compliance list: current board terms in the caller's subtree past their due date."""

    pagination_class = Pagination

    @extend_schema(
        tags=STATISTICS,
        summary="Board terms past their re-election date, oldest first",
        responses={200: OverdueReelectionOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        return self.paginated(
            selectors.overdue_reelections(scope=request.scope), OverdueReelectionOutputSerializer
        )


class NetworkStatisticsAPI(OrganizationsAPIView):
    """The same figures as the statistics page and its export (selectors.network_statistics)."""

    @extend_schema(
        tags=STATISTICS,
        summary="The network figures of your scope or of a subtree inside it",
        parameters=[NetworkStatisticsQuerySerializer],
        responses={200: NetworkStatisticsOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request):
        query = NetworkStatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        root_id = query.validated_data["root"]
        root = request.scope.get_organization(root_id) if root_id is not None else None
        statistics = selectors.network_statistics(scope=request.scope, root=root)
        return Response(NetworkStatisticsOutputSerializer(statistics).data)

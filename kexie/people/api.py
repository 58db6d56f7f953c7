"""/api/v1/ for the talent pool: people, units, teams, society members, honours, visits.

Views are thin, like the organization API: find the object through the caller's scope
(404 outside the subtree) → check the role (403) → validate the input serializer → call
one service or selector → answer with the output serializer. Domain errors become a 400
naming the field (kexie.core.api.exception_handler).

ID numbers and mobiles are masked in every answer. The people list shows them in clear
only when asked (`unmask=true`) by a caller holding PERSONAL_UNMASK who gives a reason;
the page is then revealed through `people_reveal`, which writes one audit record.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from kexie.accounts.roles import Perm
from kexie.core.api_views import ScopedAPIView
from kexie.core.chinese import normalize_query
from kexie.orgs.api import Pagination

from .selectors.members import RosterFilter, membership_get, roster
from .selectors.people import PersonFilter, person_filter_from_query, person_get, person_list
from .selectors.records import HonourFilter, VisitFilter, honour_get, honour_list, visit_get, visit_list
from .selectors.units import TeamFilter, UnitFilter, team_list, team_members, unit_list
from .serializers import (
    HonourCreateInputSerializer,
    HonourFilterSerializer,
    HonourOutputSerializer,
    MembershipCreateInputSerializer,
    MembershipFilterSerializer,
    PersonCreateInputSerializer,
    PersonDetailOutputSerializer,
    PersonFilterSerializer,
    PersonOutputSerializer,
    PersonRevealInputSerializer,
    PersonRevealOutputSerializer,
    PersonUpdateInputSerializer,
    SearchQuerySerializer,
    SearchResultOutputSerializer,
    SocietyMembershipOutputSerializer,
    TeamDetailOutputSerializer,
    TeamFilterSerializer,
    TeamOutputSerializer,
    UnitCreateInputSerializer,
    UnitDetailOutputSerializer,
    UnitFilterSerializer,
    UnitOutputSerializer,
    UnitUpdateInputSerializer,
    VisitCreateInputSerializer,
    VisitFilterSerializer,
    VisitOutputSerializer,
)
from .services.members import membership_create
from .services.people import people_reveal, person_create, person_data_from, person_reveal, person_update
from .services.records import honour_create, visit_create
from .services.units import unit_create, unit_update

PEOPLE = ["people"]
UNITS = ["units and teams"]
MEMBERS = ["society members"]
RECORDS = ["honours and visits"]

SEARCH_LIMIT = 20  # suggestions an autocomplete shows

# What every endpoint may answer besides its success; documented once.
ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Your role does not allow this."),
}
BAD_INPUT = {400: OpenApiResponse(description="Invalid input; the field at fault is named.")}
OBJECT_ERRORS = {**ERRORS, 404: OpenApiResponse(description="Nothing with this id in your scope.")}
WRITE_ERRORS = {**OBJECT_ERRORS, **BAD_INPUT}


class PeopleAPIView(ScopedAPIView):
    """Reads need PEOPLE_VIEW, writes PEOPLE_CHANGE (ScopedPermission reads `required_perms`)."""

    required_perms = {"read": Perm.PEOPLE_VIEW, "write": Perm.PEOPLE_CHANGE}

    def keeper(self, validated: dict):
        """The organization that keeps a new record: the one given (in scope) or the caller's."""
        return validated.get("organization") or self.request.scope.organization


class ObjectAPIView(PeopleAPIView):
    """An endpoint about one record, `pk` in the URL; each subclass defines `fetch(scope, pk)`.

    The record is looked up through the scope *before* the role is checked, so a record
    outside the caller's subtree is a 404 whatever the method and the role; only inside
    the subtree does a missing permission give 403 (the same order as the HTML views).
    """

    def check_permissions(self, request):
        if request.user and request.user.is_authenticated and request.scope:
            self.object = self.fetch(request.scope, self.kwargs["pk"])
        super().check_permissions(request)


def _people(queryset):
    """What the person representation shows besides person_list's own joins."""
    return queryset.select_related("division", "native_place").prefetch_related("tags")


# --- people --------------------------------------------------------------------------


class PersonListAPI(PeopleAPIView):
    """The people of the caller's scope, filtered like the list page; registering a person."""

    pagination_class = Pagination

    @extend_schema(
        tags=PEOPLE,
        summary="List the people in your scope",
        description="ID numbers and mobiles are masked. With `unmask=true` and a `reason`, a caller "
        "holding the unmask permission sees this page's values in clear; the reveal is audited.",
        parameters=[PersonFilterSerializer],
        responses={200: PersonOutputSerializer(many=True), **WRITE_ERRORS},
    )
    def get(self, request):
        query = PersonFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if params["unmask"]:
            request.scope.require(Perm.PERSONAL_UNMASK)
        queryset = _people(person_list(scope=request.scope, filters=person_filter_from_query(params)))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        context = self.context()
        if params["unmask"]:
            context["revealed"] = people_reveal(
                actor=request.user, people=page, reason=params["reason"], where="api:people_list"
            )
        return paginator.get_paginated_response(PersonOutputSerializer(page, many=True, context=context).data)

    @extend_schema(
        tags=PEOPLE,
        summary="Register a person in the talent pool",
        request=PersonCreateInputSerializer,
        responses={201: PersonDetailOutputSerializer, **BAD_INPUT, **ERRORS},
    )
    def post(self, request):
        serializer = PersonCreateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        person = person_create(
            actor=request.user,
            organization=self.keeper(serializer.validated_data),
            data=serializer.person_data(),
        )
        data = PersonDetailOutputSerializer(
            person_get(scope=request.scope, pk=person.pk), context=self.context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)


class PersonDetailAPI(ObjectAPIView):
    """One person of the caller's scope; editing their record."""

    def fetch(self, scope, pk):
        return person_get(scope=scope, pk=pk)

    @extend_schema(
        tags=PEOPLE,
        summary="One person (identifiers masked)",
        responses={200: PersonDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return Response(PersonDetailOutputSerializer(self.object, context=self.context()).data)

    @extend_schema(
        tags=PEOPLE,
        summary="Edit a person (any subset of the editable fields)",
        request=PersonUpdateInputSerializer,
        responses={200: PersonDetailOutputSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        serializer = PersonUpdateInputSerializer(data=request.data, partial=True, context=self.context())
        serializer.is_valid(raise_exception=True)
        person = person_update(
            actor=request.user,
            person=self.object,
            data=serializer.person_data(person_data_from(self.object)),
        )
        data = PersonDetailOutputSerializer(
            person_get(scope=request.scope, pk=person.pk), context=self.context()
        ).data
        return Response(data)


class PersonRevealAPI(ObjectAPIView):
    """The ID number and mobile in clear, for a stated reason; each reveal is audited."""

    required_perms = {"read": Perm.PEOPLE_VIEW, "write": Perm.PERSONAL_UNMASK}

    def fetch(self, scope, pk):
        return person_get(scope=scope, pk=pk)

    @extend_schema(
        tags=PEOPLE,
        operation_id="v1_people_reveal",
        summary="Show a person's ID number and mobile in clear (audited with the reason)",
        request=PersonRevealInputSerializer,
        responses={200: PersonRevealOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = PersonRevealInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = person_reveal(
            actor=request.user, person=self.object, reason=serializer.validated_data["reason"]
        )
        return Response(PersonRevealOutputSerializer(values).data)


class SearchAPI(PeopleAPIView):
    """Quick search for autocompletes: the best matches first (exact, prefix, the rest)."""

    @extend_schema(
        tags=PEOPLE,
        summary="Find people by name, pinyin or initials (at most 20)",
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultOutputSerializer(many=True), **ERRORS, **BAD_INPUT},
    )
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = query.validated_data["q"].strip()
        if not normalize_query(text):
            return Response([])
        people = person_list(scope=request.scope, filters=PersonFilter(query=text))[:SEARCH_LIMIT]
        return Response(SearchResultOutputSerializer(people, many=True).data)


# --- units and teams ----------------------------------------------------------------


class UnitListAPI(PeopleAPIView):
    """Units (employers, institutions) kept in the caller's subtree; registering one."""

    pagination_class = Pagination

    @extend_schema(
        tags=UNITS,
        summary="List the units in your scope",
        parameters=[UnitFilterSerializer],
        responses={200: UnitOutputSerializer(many=True), **ERRORS, **BAD_INPUT},
    )
    def get(self, request):
        query = UnitFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.paginated(
            unit_list(scope=request.scope, filters=UnitFilter(**query.validated_data)), UnitOutputSerializer
        )

    @extend_schema(
        tags=UNITS,
        summary="Register a unit",
        request=UnitCreateInputSerializer,
        responses={201: UnitDetailOutputSerializer, **BAD_INPUT, **ERRORS},
    )
    def post(self, request):
        serializer = UnitCreateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        unit = unit_create(
            actor=request.user,
            organization=self.keeper(serializer.validated_data),
            data=serializer.unit_data(),
        )
        unit = request.scope.get(unit_list(scope=request.scope), pk=unit.pk)
        return Response(
            UnitDetailOutputSerializer(unit, context=self.context()).data, status=status.HTTP_201_CREATED
        )


class UnitDetailAPI(ObjectAPIView):
    def fetch(self, scope, pk):
        return scope.get(unit_list(scope=scope), pk=pk)

    @extend_schema(
        tags=UNITS,
        summary="One unit, with the number of people working there",
        responses={200: UnitDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return Response(UnitDetailOutputSerializer(self.object, context=self.context()).data)

    @extend_schema(
        tags=UNITS,
        summary="Edit a unit (any subset of the editable fields)",
        request=UnitUpdateInputSerializer,
        responses={200: UnitDetailOutputSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        serializer = UnitUpdateInputSerializer(data=request.data, partial=True, context=self.context())
        serializer.is_valid(raise_exception=True)
        unit = unit_update(actor=request.user, unit=self.object, data=serializer.unit_data(self.object))
        unit = request.scope.get(unit_list(scope=request.scope), pk=unit.pk)
        return Response(UnitDetailOutputSerializer(unit, context=self.context()).data)


class TeamListAPI(PeopleAPIView):
    """Teams of S&T workers kept in the caller's subtree."""

    pagination_class = Pagination

    @extend_schema(
        tags=UNITS,
        summary="List the teams in your scope",
        parameters=[TeamFilterSerializer],
        responses={200: TeamOutputSerializer(many=True), **ERRORS, **BAD_INPUT},
    )
    def get(self, request):
        query = TeamFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.paginated(
            team_list(scope=request.scope, filters=TeamFilter(**query.validated_data)), TeamOutputSerializer
        )


class TeamDetailAPI(ObjectAPIView):
    def fetch(self, scope, pk):
        team = scope.get(team_list(scope=scope), pk=pk)
        team.member_rows = list(team_members(team=team))
        return team

    @extend_schema(
        tags=UNITS,
        summary="One team with its members",
        responses={200: TeamDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return Response(TeamDetailOutputSerializer(self.object, context=self.context()).data)


# --- society memberships -------------------------------------------------------------


class MembershipListAPI(PeopleAPIView):
    """A society's members, individual and institutional (its roster); admitting one."""

    pagination_class = Pagination

    @extend_schema(
        tags=MEMBERS,
        summary="List the members of a society in your scope",
        parameters=[MembershipFilterSerializer],
        responses={200: SocietyMembershipOutputSerializer(many=True), **WRITE_ERRORS},
    )
    def get(self, request):
        query = MembershipFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        society = request.scope.get_organization(params.pop("society"))
        memberships = roster(scope=request.scope, society=society, filters=RosterFilter(**params))
        return self.paginated(memberships.select_related("society"), SocietyMembershipOutputSerializer)

    @extend_schema(
        tags=MEMBERS,
        summary="Admit a person or a unit to a society",
        request=MembershipCreateInputSerializer,
        responses={201: SocietyMembershipOutputSerializer, **BAD_INPUT, **ERRORS},
    )
    def post(self, request):
        serializer = MembershipCreateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        validated = serializer.validated_data
        membership = membership_create(
            actor=request.user,
            society=validated["society"],
            person=validated.get("person"),
            unit=validated.get("unit"),
            data=serializer.membership_data(),
        )
        membership = membership_get(scope=request.scope, pk=membership.pk)
        return Response(
            SocietyMembershipOutputSerializer(membership, context=self.context()).data,
            status=status.HTTP_201_CREATED,
        )


class MembershipDetailAPI(ObjectAPIView):
    def fetch(self, scope, pk):
        return membership_get(scope=scope, pk=pk)

    @extend_schema(
        tags=MEMBERS,
        summary="One society membership",
        responses={200: SocietyMembershipOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return Response(SocietyMembershipOutputSerializer(self.object, context=self.context()).data)


# --- honours and visits --------------------------------------------------------------


class HonourListAPI(PeopleAPIView):
    """Honours recorded in the caller's subtree, newest year first; recording one."""

    pagination_class = Pagination
    # Evidence (a PDF or a scan) comes as multipart; the rest may come as JSON.
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=RECORDS,
        summary="List the honours recorded in your scope",
        parameters=[HonourFilterSerializer],
        responses={200: HonourOutputSerializer(many=True), **ERRORS, **BAD_INPUT},
    )
    def get(self, request):
        query = HonourFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.paginated(
            honour_list(scope=request.scope, filters=HonourFilter(**query.validated_data)),
            HonourOutputSerializer,
        )

    @extend_schema(
        tags=RECORDS,
        summary="Record an honour of a person or of an organization",
        request=HonourCreateInputSerializer,
        responses={201: HonourOutputSerializer, **BAD_INPUT, **ERRORS},
    )
    def post(self, request):
        serializer = HonourCreateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        validated = serializer.validated_data
        honour = honour_create(
            actor=request.user,
            organization=self.keeper(validated),
            person=validated.get("person"),
            recipient_organization=validated.get("recipient_organization"),
            data=serializer.honour_data(),
            evidence=validated.get("evidence"),
        )
        honour = honour_get(scope=request.scope, pk=honour.pk)
        return Response(
            HonourOutputSerializer(honour, context=self.context()).data, status=status.HTTP_201_CREATED
        )


class HonourDetailAPI(ObjectAPIView):
    def fetch(self, scope, pk):
        return honour_get(scope=scope, pk=pk)

    @extend_schema(
        tags=RECORDS, summary="One honour", responses={200: HonourOutputSerializer, **OBJECT_ERRORS}
    )
    def get(self, request, pk):
        return Response(HonourOutputSerializer(self.object, context=self.context()).data)


class VisitListAPI(PeopleAPIView):
    """Visits and acts of care recorded in the caller's subtree, newest first; recording one."""

    pagination_class = Pagination

    @extend_schema(
        tags=RECORDS,
        summary="List the visits recorded in your scope",
        parameters=[VisitFilterSerializer],
        responses={200: VisitOutputSerializer(many=True), **ERRORS, **BAD_INPUT},
    )
    def get(self, request):
        query = VisitFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.paginated(
            visit_list(scope=request.scope, filters=VisitFilter(**query.validated_data)),
            VisitOutputSerializer,
        )

    @extend_schema(
        tags=RECORDS,
        summary="Record a visit to a person",
        request=VisitCreateInputSerializer,
        responses={201: VisitOutputSerializer, **BAD_INPUT, **ERRORS},
    )
    def post(self, request):
        serializer = VisitCreateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        validated = serializer.validated_data
        visit = visit_create(
            actor=request.user,
            organization=self.keeper(validated),
            person=validated["person"],
            data=serializer.visit_data(),
        )
        visit = visit_get(scope=request.scope, pk=visit.pk)
        return Response(
            VisitOutputSerializer(visit, context=self.context()).data, status=status.HTTP_201_CREATED
        )


class VisitDetailAPI(ObjectAPIView):
    def fetch(self, scope, pk):
        return visit_get(scope=scope, pk=pk)

    @extend_schema(tags=RECORDS, summary="One visit", responses={200: VisitOutputSerializer, **OBJECT_ERRORS})
    def get(self, request, pk):
        return Response(VisitOutputSerializer(self.object, context=self.context()).data)

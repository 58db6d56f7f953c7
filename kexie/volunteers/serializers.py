"""Input and output shapes of the volunteer-service API, one pair per endpoint.

Input serializers check the shape of a request and resolve ids through the caller's scope
(a volunteer, team, organization or menu item outside it does not exist); every rule of
the service (dates, hours, the order's state, who may receive an order) lives in the
services, whose DomainError the API turns into a 400 naming the field. Fields the
services require are optional here so that their message, the same as the pages', is the
one the caller reads.

Output serializers never carry a mobile or an ID number in clear: a volunteer's and a
requester's mobile are the masked copies, and an order's private link (its token) is
never shown.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kexie.activities.serializers import OrganizationRefOutputSerializer
from kexie.orgs.serializers import ScopedOrganizationField
from kexie.people.models import Discipline
from kexie.people.serializers import (
    CodeChoiceField,
    DisciplineRefOutputSerializer,
    DivisionCodeField,
    DivisionRefOutputSerializer,
)

from .models import (
    HoursSource,
    HoursStatus,
    MenuItem,
    MenuStatus,
    OrderAction,
    OrderStatus,
    ServiceForm,
    TeamKind,
    TeamMember,
    Volunteer,
    VolunteerStatus,
    VolunteerTeam,
)
from .services.orders import DeliveryData, OrderData
from .services.policy import stars_for

# The order list's status filter: a status, or every order not yet closed.
ORDER_STATUS_FILTER = [("open_steps", _("Not closed")), *OrderStatus.choices]


# --- fields --------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class DisciplineField(serializers.Field):
    """A field of science by its code ("210") or its id (a number)."""

    default_error_messages = {"does_not_exist": _("There is no field of science “%(value)s”.")}

    def to_internal_value(self, data) -> Discipline:
        found = None
        if isinstance(data, int) and not isinstance(data, bool):
            found = Discipline.objects.filter(pk=data).first()
        elif isinstance(data, str) and data.strip():
            # Codes are digits too (210): a text is a code first, then an id.
            text = data.strip()
            found = Discipline.objects.filter(code=text).first()
            if found is None and text.isdigit():
                found = Discipline.objects.filter(pk=int(text)).first()
        if found is None:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"value": data}, code="does_not_exist"
            )
        return found

    def to_representation(self, value) -> str:
        return value.code


def _order(field) -> object:
    return field.context.get("order")


@extend_schema_field(OpenApiTypes.INT)
class OrderVolunteerField(serializers.PrimaryKeyRelatedField):
    """A volunteer id: of the caller's scope, or offering the order's menu item, or (for a
    delivery) a member of the team holding the order. Any other does not exist."""

    def get_queryset(self):
        visible = self.context["request"].scope.filter(Volunteer.objects.all())
        order = _order(self)
        extra = Q(pk__in=[])
        if order is not None and order.menu_item_id and order.menu_item.volunteer_id:
            extra |= Q(pk=order.menu_item.volunteer_id)
        if order is not None and order.team_id:
            extra |= Q(pk__in=TeamMember.objects.filter(team_id=order.team_id).values("volunteer_id"))
        return (visible | Volunteer.objects.filter(extra)).select_related("person", "organization")


@extend_schema_field(OpenApiTypes.INT)
class OrderTeamField(serializers.PrimaryKeyRelatedField):
    """A team id: of the caller's scope, or offering the order's menu item."""

    def get_queryset(self):
        visible = self.context["request"].scope.filter(VolunteerTeam.objects.all())
        order = _order(self)
        if order is not None and order.menu_item_id and order.menu_item.team_id:
            return visible | VolunteerTeam.objects.filter(pk=order.menu_item.team_id)
        return visible


@extend_schema_field(OpenApiTypes.INT)
class OrderableMenuItemField(serializers.PrimaryKeyRelatedField):
    """A menu item id: any published item (the public menu), or an item of the caller's scope."""

    def get_queryset(self):
        scope = self.context["request"].scope
        items = MenuItem.objects.select_related("discipline")
        return scope.filter(items) | items.filter(status=MenuStatus.PUBLISHED)


# --- filters (query parameters) ------------------------------------------------------


class VolunteerFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="Name (Simplified or Traditional characters) or words of what they can offer.",
    )
    status = CodeChoiceField(choices=VolunteerStatus.choices, required=False, default="", allow_blank=True)
    discipline = DisciplineField(
        required=False,
        default=None,
        allow_null=True,
        help_text="A field by code or id; a category includes its fields.",
    )
    division = DivisionCodeField(
        required=False,
        default=None,
        allow_null=True,
        help_text="A region code: volunteers serving it or living there.",
    )


class VolunteerTeamFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="", allow_blank=True, max_length=64, help_text="Name.")
    kind = CodeChoiceField(choices=TeamKind.choices, required=False, default="", allow_blank=True)


class MenuItemFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="Topic, audience, provider or field, in characters, pinyin or initials.",
    )
    status = CodeChoiceField(choices=MenuStatus.choices, required=False, default="", allow_blank=True)
    discipline = DisciplineField(
        required=False,
        default=None,
        allow_null=True,
        help_text="A field by code or id; a category includes its fields.",
    )
    division = DivisionCodeField(
        required=False,
        default=None,
        allow_null=True,
        help_text="A county code: items serving it (or its city or province), or serving anywhere.",
    )


class OrderFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="The order number, or words of the service wanted, the requesting unit or the place.",
    )
    status = CodeChoiceField(
        choices=ORDER_STATUS_FILTER,
        required=False,
        default="",
        allow_blank=True,
        help_text="open_steps: every order not yet completed, rejected or cancelled.",
    )
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Only dispatched orders past their acceptance deadline."
    )
    year = serializers.IntegerField(
        required=False,
        default=None,
        allow_null=True,
        min_value=2000,
        max_value=2100,
        help_text="Year ordered.",
    )


# --- orders: input -------------------------------------------------------------------


class OrderCreateInputSerializer(serializers.Serializer):
    """An order taken by staff for a requester (on the telephone, at a service point)."""

    menu_item = OrderableMenuItemField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The published menu item ordered; it gives the topic, field and form not sent.",
    )
    title = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=128, help_text="The service wanted."
    )
    need = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)
    discipline = DisciplineField(required=False, default=None, allow_null=True, help_text="Code or id.")
    form = CodeChoiceField(choices=ServiceForm.choices, required=False, default="", allow_blank=True)
    division = DivisionCodeField(
        required=False, default=None, allow_null=True, help_text="The county or district of the place."
    )
    address = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=255, help_text="Village, school or street."
    )
    preferred_on = serializers.DateField(required=False, default=None, allow_null=True)
    alternative_on = serializers.DateField(required=False, default=None, allow_null=True)
    expected_audience = serializers.IntegerField(required=False, default=None, allow_null=True)
    requester_name = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=64, help_text="The contact person."
    )
    requester_unit = serializers.CharField(required=False, default="", allow_blank=True, max_length=128)
    mobile = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=20,
        help_text="The contact's mobile (11 digits); stored encrypted and shown masked.",
    )
    organization = ScopedOrganizationField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The association that takes the order (default: your active organization); "
        "it must be in your scope.",
    )

    def order_data(self) -> OrderData:
        data = self.validated_data
        return OrderData(
            title=data["title"],
            discipline=data["discipline"],
            division=data["division"],
            address=data["address"],
            preferred_on=data["preferred_on"],
            expected_audience=data["expected_audience"],
            requester_name=data["requester_name"],
            mobile=data["mobile"],
            requester_unit=data["requester_unit"],
            need=data["need"],
            form=data["form"],
            alternative_on=data["alternative_on"],
            menu_item=data["menu_item"],
        )


class OrderReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=1000,
        help_text="Why (required by the step; at most 255 characters are kept).",
    )


class OrderPassDownInputSerializer(serializers.Serializer):
    organization = ScopedOrganizationField(
        help_text="An association below the one responsible for the order."
    )


class OrderDispatchInputSerializer(serializers.Serializer):
    volunteer = OrderVolunteerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A volunteer of your network, or the one offering the ordered menu item.",
    )
    team = OrderTeamField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Or a team of your network, or the one offering the ordered menu item.",
    )


class OrderDeliverInputSerializer(serializers.Serializer):
    served_on = serializers.DateField(required=False, default=None, allow_null=True)
    hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        required=False,
        default=None,
        allow_null=True,
        help_text="Hours served by each volunteer, 0.5 to 24.",
    )
    audience = serializers.IntegerField(required=False, default=None, allow_null=True)
    report = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)
    volunteers = serializers.ListField(
        child=OrderVolunteerField(),
        required=False,
        default=list,
        max_length=200,
        help_text="For a team's order: the members who served (default: its leader).",
    )

    def delivery_data(self) -> DeliveryData:
        data = self.validated_data
        return DeliveryData(
            served_on=data["served_on"],
            hours=data["hours"],
            audience=data["audience"],
            report=data["report"],
            volunteers=data["volunteers"],
        )


# --- references inside outputs --------------------------------------------------------


class VolunteerRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="person.name")


class VolunteerTeamRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrderRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()


class MenuItemRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


# --- volunteers ----------------------------------------------------------------------


class VolunteerOutputSerializer(serializers.Serializer):
    """A volunteer in a list: who, where registered, what fields, their load and hours."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="person.name")
    mobile = serializers.CharField(source="person.mobile_masked", help_text="Masked (138****8000).")
    organization = OrganizationRefOutputSerializer(help_text="The association registered with.")
    status = CodeChoiceField(choices=VolunteerStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    disciplines = DisciplineRefOutputSerializer(many=True, source="disciplines.all")
    divisions = DivisionRefOutputSerializer(many=True, source="divisions.all", help_text="Regions served.")
    home_division = DivisionRefOutputSerializer(allow_null=True)
    expertise = serializers.CharField()
    on_workdays = serializers.BooleanField()
    on_rest_days = serializers.BooleanField()
    open_orders = serializers.IntegerField(help_text="Orders dispatched to them and not yet delivered.")
    hours_total = serializers.DecimalField(max_digits=9, decimal_places=1, help_text="Approved hours.")
    rating_mean = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    rating_count = serializers.IntegerField()
    url = serializers.HyperlinkedIdentityField(view_name="volunteers_api:volunteer_detail")


class UnavailabilityOutputSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField()


class VolunteerDetailOutputSerializer(VolunteerOutputSerializer):
    languages = serializers.CharField()
    qualifications = serializers.CharField()
    registered_on = serializers.DateField()
    consent_on = serializers.DateField(help_text="The day they agreed to their data being used to dispatch.")
    stars = serializers.SerializerMethodField(help_text="The star level their approved hours earn.")
    teams = VolunteerTeamRefOutputSerializer(many=True, source="teams.all")
    unavailable = UnavailabilityOutputSerializer(
        many=True, source="unavailable.all", help_text="Periods they cannot serve, from today on."
    )

    def get_stars(self, volunteer) -> int:
        return stars_for(volunteer.hours_total, self.context.get("star_thresholds"))


class HoursEntryOutputSerializer(serializers.Serializer):
    """A line of the hours ledger; the evidence file itself is not served by the API."""

    id = serializers.IntegerField()
    served_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    description = serializers.CharField()
    source = CodeChoiceField(choices=HoursSource.choices)
    source_display = serializers.CharField(source="get_source_display")
    status = CodeChoiceField(choices=HoursStatus.choices, help_text="Only approved hours count.")
    status_display = serializers.CharField(source="get_status_display")
    review_note = serializers.CharField()
    team = VolunteerTeamRefOutputSerializer(allow_null=True)
    order = OrderRefOutputSerializer(allow_null=True)
    has_evidence = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_has_evidence(self, entry) -> bool:
        return bool(entry.evidence)


# --- teams ---------------------------------------------------------------------------


class VolunteerTeamOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = CodeChoiceField(choices=TeamKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    organization = OrganizationRefOutputSerializer()
    leader = VolunteerRefOutputSerializer(allow_null=True)
    member_count = serializers.IntegerField()
    is_active = serializers.BooleanField()
    open_orders = serializers.IntegerField()
    hours_total = serializers.DecimalField(max_digits=10, decimal_places=1)
    rating_mean = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    rating_count = serializers.IntegerField()
    url = serializers.HyperlinkedIdentityField(view_name="volunteers_api:team_detail")


class VolunteerTeamMemberOutputSerializer(serializers.Serializer):
    volunteer = VolunteerRefOutputSerializer()
    mobile = serializers.CharField(source="volunteer.person.mobile_masked", help_text="Masked.")
    status = CodeChoiceField(choices=VolunteerStatus.choices, source="volunteer.status")
    joined_on = serializers.DateField()
    is_leader = serializers.SerializerMethodField()

    def get_is_leader(self, member) -> bool:
        return member.volunteer_id == member.team.leader_id


class VolunteerTeamDetailOutputSerializer(VolunteerTeamOutputSerializer):
    description = serializers.CharField()
    founded_on = serializers.DateField(allow_null=True)
    members = VolunteerTeamMemberOutputSerializer(many=True, source="memberships.all")


# --- the menu ------------------------------------------------------------------------


class MenuItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organization = OrganizationRefOutputSerializer()
    volunteer = VolunteerRefOutputSerializer(allow_null=True, help_text="The provider, or the team.")
    team = VolunteerTeamRefOutputSerializer(allow_null=True)
    discipline = DisciplineRefOutputSerializer()
    form = CodeChoiceField(choices=ServiceForm.choices)
    form_display = serializers.CharField(source="get_form_display")
    audience = serializers.CharField()
    duration_hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    status = CodeChoiceField(choices=MenuStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="volunteers_api:menu_item_detail")


class MenuItemDetailOutputSerializer(MenuItemOutputSerializer):
    description = serializers.CharField()
    requirements = serializers.CharField(help_text="What the requester provides.")
    divisions = DivisionRefOutputSerializer(many=True, source="divisions.all", help_text="Empty: anywhere.")
    review_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


# --- orders --------------------------------------------------------------------------


class OrderOutputSerializer(serializers.Serializer):
    """An order in a list; the requester's mobile is masked and the order's link is never shown."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = CodeChoiceField(choices=OrderStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    status_reason = serializers.CharField(help_text="The last refusal, decline, withdrawal or cancellation.")
    organization = OrganizationRefOutputSerializer(help_text="The association responsible for it now.")
    discipline = DisciplineRefOutputSerializer()
    form = CodeChoiceField(choices=ServiceForm.choices)
    form_display = serializers.CharField(source="get_form_display")
    division = DivisionRefOutputSerializer()
    address = serializers.CharField()
    preferred_on = serializers.DateField()
    alternative_on = serializers.DateField(allow_null=True)
    expected_audience = serializers.IntegerField()
    requester_name = serializers.CharField()
    requester_unit = serializers.CharField()
    mobile = serializers.CharField(source="mobile_masked", help_text="Masked (139****5678).")
    volunteer = VolunteerRefOutputSerializer(allow_null=True, help_text="Who holds it, or the team.")
    team = VolunteerTeamRefOutputSerializer(allow_null=True)
    accept_by = serializers.DateTimeField(
        allow_null=True, help_text="When a dispatched order must be accepted."
    )
    escalated_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was flagged as not accepted."
    )
    created_at = serializers.DateTimeField()
    url = serializers.HyperlinkedIdentityField(view_name="volunteers_api:order_detail")


class OrderEventOutputSerializer(serializers.Serializer):
    action = CodeChoiceField(choices=OrderAction.choices)
    action_display = serializers.CharField(source="get_action_display")
    from_status = serializers.CharField(help_text="Empty for the order itself.")
    to_status = serializers.CharField()
    actor_name = serializers.CharField(help_text="Who acted, as shown (empty: the platform).")
    organization = OrganizationRefOutputSerializer(allow_null=True, help_text="Passed down to, or opened to.")
    volunteer = VolunteerRefOutputSerializer(allow_null=True)
    team = VolunteerTeamRefOutputSerializer(allow_null=True)
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class OrderDetailOutputSerializer(OrderOutputSerializer):
    """One order with its service record, its rating and its history, oldest step first."""

    need = serializers.CharField()
    received_by = OrganizationRefOutputSerializer(help_text="The association it was placed with.")
    menu_item = MenuItemRefOutputSerializer(allow_null=True)
    pool = OrganizationRefOutputSerializer(
        allow_null=True, help_text="While open: whose volunteers may grab it."
    )
    reviewed_at = serializers.DateTimeField(allow_null=True)
    dispatched_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    served_on = serializers.DateField(allow_null=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    audience = serializers.IntegerField(allow_null=True)
    report = serializers.CharField()
    activity = serializers.IntegerField(
        source="activity_id",
        allow_null=True,
        help_text="The activity the delivery recorded (activities API).",
    )
    rating = serializers.IntegerField(allow_null=True)
    rating_comment = serializers.CharField()
    rated_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    events = OrderEventOutputSerializer(many=True, source="events.all")


class SuggestionOutputSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(source="volunteer.pk", help_text="The volunteer's id.")
    name = serializers.CharField(source="volunteer.person.name")
    organization = OrganizationRefOutputSerializer(source="volunteer.organization")
    open_orders = serializers.IntegerField(source="volunteer.open_orders")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())

"""Input and output shapes of the organization API, one pair per endpoint.

Input serializers check the shape of a request only; every rule of the domain lives in
the services, whose DomainError the API turns into a 400 naming the field.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kexie.core.masking import mask_phone

from .models import (
    BoardTerm,
    Division,
    EventKind,
    Kind,
    LeaderAppointment,
    LeaderPosition,
    Organization,
    OrganizationEvent,
    Status,
)
from .selectors import ORDERINGS
from .services import EDITABLE_FIELDS, OrganizationData

# --- fields --------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class ScopedOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organization id, resolved through the caller's scope: outside it, no such organization."""

    def get_queryset(self):
        return self.context["request"].scope.organizations()


@extend_schema_field(OpenApiTypes.STR)
class MaskedPhoneField(serializers.CharField):
    """A phone number as the API shows it: masked (138****8000), never in clear."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return mask_phone(value or "")


# --- organizations: input --------------------------------------------------------------


class OrganizationFilterSerializer(serializers.Serializer):
    """Query parameters of the organization list (mirrors selectors.OrganizationFilter)."""

    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        help_text="Name, short name (simplified, traditional or pinyin) or credit code.",
    )
    kind = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.choices),
        required=False,
        default=list,
        help_text="Repeat to select several kinds.",
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False, default="", allow_blank=True)
    under = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only this organization and its subtree (404 outside your scope).",
    )
    division_code = serializers.RegexField(
        r"^\d{2,6}$",
        required=False,
        default="",
        allow_blank=True,
        help_text="A GB/T 2260 code; includes the divisions under it.",
    )
    founded_from = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1900,
        max_value=2100,
        help_text="Founding year, inclusive.",
    )
    founded_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1900,
        max_value=2100,
        help_text="Founding year, inclusive.",
    )
    overdue_only = serializers.BooleanField(
        required=False, default=False, help_text="Only organizations whose board re-election is overdue."
    )
    party_covered = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Societies with (true) or without (false) party coverage.",
    )
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), required=False, default="tree")

    def validate(self, attrs):
        start, end = attrs.get("founded_from"), attrs.get("founded_to")
        if start and end and start > end:
            raise serializers.ValidationError({"founded_to": _("The end year is before the start year.")})
        return attrs


class _OrganizationFieldsInputSerializer(serializers.Serializer):
    """The editable fields of services.OrganizationData."""

    name = serializers.CharField(max_length=128)
    short_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    credit_code = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="Unified social credit code (GB 32100), 18 characters.",
    )
    division = serializers.PrimaryKeyRelatedField(
        queryset=Division.objects.all(),
        required=False,
        allow_null=True,
        help_text="Administrative division code (GB/T 2260).",
    )
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    party_building_in_charter = serializers.BooleanField(required=False, default=False)


class OrganizationCreateInputSerializer(_OrganizationFieldsInputSerializer):
    parent = ScopedOrganizationField(help_text="The parent organization; it must be in your scope.")
    kind = serializers.ChoiceField(choices=Kind.choices)

    def organization_data(self) -> OrganizationData:
        data = dict(self.validated_data)
        data.pop("parent")
        return OrganizationData(**data)


class OrganizationUpdateInputSerializer(_OrganizationFieldsInputSerializer):
    """PATCH: any subset of the editable fields; the others keep their current values."""

    def organization_data(self, organization: Organization) -> OrganizationData:
        current = {field: getattr(organization, field) for field in EDITABLE_FIELDS}
        return OrganizationData(kind=organization.kind, **(current | dict(self.validated_data)))


class OrganizationMoveInputSerializer(serializers.Serializer):
    parent = ScopedOrganizationField(help_text="The new parent organization; it must be in your scope.")


class OrganizationDissolveInputSerializer(serializers.Serializer):
    dissolved_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BoardTermStartInputSerializer(serializers.Serializer):
    started_on = serializers.DateField(help_text="The election date.")
    length_years = serializers.IntegerField(required=False, default=5)
    council_size = serializers.IntegerField(required=False, allow_null=True, default=None)
    standing_council_size = serializers.IntegerField(required=False, allow_null=True, default=None)
    supervisory_board_size = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class LeaderAppointInputSerializer(serializers.Serializer):
    position = serializers.ChoiceField(choices=LeaderPosition.choices)
    person_name = serializers.CharField(max_length=64)
    started_on = serializers.DateField()


class NetworkStatisticsQuerySerializer(serializers.Serializer):
    root = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Figures for this organization's subtree (default: your scope's root).",
    )


# --- organizations: output -------------------------------------------------------------


class OrganizationOutputSerializer(serializers.ModelSerializer):
    """An organization in a list. The contact phone is always masked."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    contact_phone = MaskedPhoneField()
    is_overdue = serializers.BooleanField(read_only=True, help_text="The board re-election is overdue.")
    url = serializers.HyperlinkedIdentityField(view_name="orgs_api:organization_detail")

    class Meta:
        model = Organization
        fields = (
            "id",
            "parent",
            "kind",
            "kind_display",
            "name",
            "short_name",
            "credit_code",
            "division",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "founded_on",
            "dissolved_on",
            "status",
            "status_display",
            "depth",
            "party_building_in_charter",
            "is_overdue",
            "url",
        )
        read_only_fields = fields


class BoardTermOutputSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = BoardTerm
        fields = (
            "id",
            "number",
            "started_on",
            "length_years",
            "due_on",
            "ended_on",
            "is_current",
            "is_overdue",
            "council_size",
            "standing_council_size",
            "supervisory_board_size",
            "note",
        )
        read_only_fields = fields

    def get_is_overdue(self, term: BoardTerm) -> bool:
        return term.is_overdue(timezone.localdate())


class CurrentBoardTermOutputSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = BoardTerm
        fields = ("number", "started_on", "due_on", "overdue")
        read_only_fields = fields

    def get_overdue(self, term: BoardTerm) -> bool:
        return term.is_overdue(timezone.localdate())


class LeaderAppointmentOutputSerializer(serializers.ModelSerializer):
    position_display = serializers.CharField(source="get_position_display", read_only=True)
    board_term_number = serializers.IntegerField(source="board_term.number", read_only=True, allow_null=True)

    class Meta:
        model = LeaderAppointment
        fields = (
            "id",
            "position",
            "position_display",
            "person_name",
            "started_on",
            "ended_on",
            "board_term_number",
        )
        read_only_fields = fields


class OrganizationDetailOutputSerializer(OrganizationOutputSerializer):
    """One organization with its current board term, current leaders and number of children.

    Built from selectors-style attributes the API view attaches (see api._with_details).
    """

    current_board_term = CurrentBoardTermOutputSerializer(read_only=True, allow_null=True)
    current_leaders = LeaderAppointmentOutputSerializer(many=True, read_only=True)
    children_count = serializers.IntegerField(read_only=True)

    class Meta(OrganizationOutputSerializer.Meta):
        fields = (
            *OrganizationOutputSerializer.Meta.fields,
            "current_board_term",
            "current_leaders",
            "children_count",
        )
        read_only_fields = fields


class OrganizationEventOutputSerializer(serializers.ModelSerializer):
    event = serializers.ChoiceField(source="kind", choices=EventKind.choices, read_only=True)
    event_display = serializers.CharField(source="get_kind_display", read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = OrganizationEvent
        fields = (
            "id",
            "event",
            "event_display",
            "occurred_on",
            "field",
            "old_value",
            "new_value",
            "note",
            "recorded_by",
            "recorded_at",
        )
        read_only_fields = fields

    def get_recorded_by(self, event: OrganizationEvent) -> str:
        return str(event.recorded_by) if event.recorded_by_id else ""


class OverdueReelectionOutputSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    parent_name = serializers.SerializerMethodField()
    organization_url = serializers.HyperlinkedRelatedField(
        source="organization", view_name="orgs_api:organization_detail", read_only=True
    )

    class Meta:
        model = BoardTerm
        fields = (
            "id",
            "organization",
            "organization_name",
            "parent_name",
            "organization_url",
            "number",
            "started_on",
            "length_years",
            "due_on",
        )
        read_only_fields = fields

    def get_parent_name(self, term: BoardTerm) -> str:
        parent = term.organization.parent
        return parent.name if parent else ""


# --- statistics ------------------------------------------------------------------------


class _OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class _KindCountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    label = serializers.CharField()
    active = serializers.IntegerField()
    dissolved = serializers.IntegerField()


class _YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()

    def to_representation(self, instance):
        year, count = instance
        return {"year": year, "count": count}


class _PartyCoverageSerializer(serializers.Serializer):
    societies = serializers.IntegerField(help_text="Active societies in the subtree.")
    covered = serializers.IntegerField(help_text="Of those, covered by a party organization.")
    in_charter = serializers.IntegerField(help_text="Of those, with party building in the charter.")
    covered_percent = serializers.FloatField()
    in_charter_percent = serializers.FloatField()


class NetworkStatisticsOutputSerializer(serializers.Serializer):
    """selectors.network_statistics: the same figures as the statistics page and its export."""

    root = _OrganizationRefSerializer()
    total_active = serializers.IntegerField()
    by_kind = _KindCountSerializer(many=True)
    founded_per_year = _YearCountSerializer(many=True)
    dissolved_per_year = _YearCountSerializer(many=True)
    overdue_reelections = serializers.IntegerField()
    societies_with_board = serializers.IntegerField()
    party = _PartyCoverageSerializer()

"""Input and output shapes of the activities API, one pair per endpoint.

Input serializers check the shape of a request and resolve ids and codes through the
caller's scope (an organization, a person or a campaign edition outside it does not
exist); every rule of the domain (dates, the figures a kind asks for, the workflow, the
locked periods) lives in the services, whose DomainError the API turns into a 400 naming
the field. Output serializers show attachments by name and size, never a file URL.
"""

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kexie.accounts.roles import Perm
from kexie.orgs.serializers import ScopedOrganizationField
from kexie.people.selectors.people import person_get
from kexie.people.serializers import CodeChoiceField, DivisionCodeField, DivisionRefOutputSerializer
from kexie.statistics.definitions import get_definition

from .models import (
    FIGURE_UNITS,
    Activity,
    ActivityAttachment,
    ActivityKind,
    Category,
    Figure,
    Mode,
    PeriodLock,
    Status,
    TargetGroup,
)
from .selectors import editions_visible
from .services.activities import ActivityData
from .services.periods import may_unlock

# The statuses an imported row can end in: the services walk it there step by step.
IMPORT_STATUSES = [
    (value, label)
    for value, label in Status.choices
    if value in (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.HELD, Status.REPORTED)
]
BULK_MAX_ROWS = 1000

FIGURES_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "number", "nullable": True},
    "description": "Figure code → value (service_hours may have one decimal).",
    "example": {"onsite_participants": 300, "leaflets": 500},
}


# --- fields --------------------------------------------------------------------------


def _by_code_or_id(queryset, value):
    """The row whose code is `value`, or whose id it is (a number); None if there is none."""
    text = str(value).strip()
    if text.isdigit():
        return queryset.filter(pk=int(text)).first()
    return queryset.filter(code=text).first()


def _is_reference(data) -> bool:
    return isinstance(data, str | int) and not isinstance(data, bool)


@extend_schema_field(OpenApiTypes.STR)
class KindField(serializers.Field):
    """An activity kind by its code (lecture) or its id."""

    default_error_messages = {"does_not_exist": _("There is no activity kind “%(value)s”.")}

    def to_internal_value(self, data) -> ActivityKind:
        kind = _by_code_or_id(ActivityKind.objects.all(), data) if _is_reference(data) else None
        if kind is None:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"value": data}, code="does_not_exist"
            )
        return kind

    def to_representation(self, value) -> str:
        return value.code


@extend_schema_field(OpenApiTypes.STR)
class TargetGroupField(serializers.Field):
    """A target group by its code (youth) or its id."""

    default_error_messages = {"does_not_exist": _("There is no target group “%(value)s”.")}

    def to_internal_value(self, data) -> TargetGroup:
        group = _by_code_or_id(TargetGroup.objects.all(), data) if _is_reference(data) else None
        if group is None:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"value": data}, code="does_not_exist"
            )
        return group

    def to_representation(self, value) -> str:
        return value.code


@extend_schema_field(OpenApiTypes.INT)
class SpeakerField(serializers.Field):
    """A person id, resolved through the caller's scope (people.selectors.person_get)."""

    default_error_messages = {"does_not_exist": _("There is no person with id %(value)s in your scope.")}

    def to_internal_value(self, data):
        try:
            return person_get(scope=self.context["request"].scope, pk=int(data))
        except (Http404, TypeError, ValueError):
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"value": data}, code="does_not_exist"
            ) from None

    def to_representation(self, value) -> int:
        return value.pk


@extend_schema_field(OpenApiTypes.INT)
class ScopedEditionField(serializers.PrimaryKeyRelatedField):
    """A campaign edition id among the campaigns the caller's scope sees."""

    def get_queryset(self):
        return editions_visible(scope=self.context["request"].scope)


@extend_schema_field({"type": "number", "nullable": True})
class FigureValueField(serializers.Field):
    """A figure as sent: a number, a numeric string, or null for "not known"; the service
    checks the range (whole numbers, hours with one decimal)."""

    default_error_messages = {"invalid": _("A figure is a number.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str | Decimal):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(FIGURES_SCHEMA)
class FiguresField(serializers.DictField):
    """{figure code: value}. Codes must be figures; a figure the kind does not ask for is
    stored empty by the service."""

    def __init__(self, **kwargs):
        super().__init__(child=FigureValueField(allow_null=True), **kwargs)

    def to_internal_value(self, data):
        figures = super().to_internal_value(data)
        unknown = sorted(code for code in figures if code not in Figure.values)
        if unknown:
            # The same message as the kind editor's (services.catalog).
            raise serializers.ValidationError(_("Unknown figures: %(codes)s") % {"codes": ", ".join(unknown)})
        return figures


def figures_of(activity: Activity) -> dict:
    """{code: value} of the figures the activity's kind asks for (hours as a number)."""
    values = {}
    for code in activity.kind.figures:
        if code in Figure.values:
            value = getattr(activity, code)
            values[code] = float(value) if isinstance(value, Decimal) else value
    return values


def activity_data_of(values: dict, current: ActivityData | None = None, *, merge_figures: bool = False):
    """The ActivityData to give the service: the validated `values` over `current` (a PATCH)
    or over the defaults. With `merge_figures`, figures not sent keep their values."""
    data = current or ActivityData(title="", kind=None, starts_at=None, ends_at=None)
    for name, value in values.items():
        if name == "figures" and merge_figures:
            data.figures = {**data.figures, **value}
        elif name in ActivityData.__dataclass_fields__:
            setattr(data, name, value)
    return data


# --- activities: input ---------------------------------------------------------------


class ActivityFilterSerializer(serializers.Serializer):
    """Query parameters of the activity list (mirrors selectors.ActivityFilter)."""

    q = serializers.CharField(
        source="query",
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        help_text="Words of the title, the theme or the venue.",
    )
    kind = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=32,
        help_text="An activity kind, by code (lecture) or id.",
    )
    category = CodeChoiceField(choices=Category.choices, required=False, default="", allow_blank=True)
    campaign = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A campaign id: any of its editions."
    )
    edition = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A campaign edition id."
    )
    target_group = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=32,
        help_text="A target group, by code (youth) or id.",
    )
    status = CodeChoiceField(choices=Status.choices, required=False, default="", allow_blank=True)
    mode = CodeChoiceField(choices=Mode.choices, required=False, default="", allow_blank=True)
    organization = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only activities organized in this organization's subtree (404 outside your scope).",
    )
    own = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With organization: only the activities it organized itself, not those below it.",
    )
    from_ = serializers.DateField(
        source="start", required=False, allow_null=True, default=None, help_text="Held on or after this day."
    )
    to = serializers.DateField(
        source="end", required=False, allow_null=True, default=None, help_text="Held on or before this day."
    )
    stat = serializers.CharField(
        source="statistic",
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="A statistic code (popsci_events): the activities it counts in the period from–to "
        "for organization (default: your own).",
    )

    def get_fields(self):
        # `from` is a Python keyword: declared as from_, published under its real name.
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate_stat(self, value: str) -> str:
        definition = get_definition(value) if value else None
        if value and (definition is None or definition.source.code != "activities"):
            raise serializers.ValidationError(
                _("There is no statistic of activities “%(code)s”.") % {"code": value}
            )
        return value

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            raise serializers.ValidationError({"to": _("The last day is before the first.")})
        return attrs

    # The selector filters by id; the query may name the kind or the group by its code.
    def validate_kind(self, value: str) -> int | None:
        return KindField().to_internal_value(value).pk if value else None

    def validate_target_group(self, value: str) -> int | None:
        return TargetGroupField().to_internal_value(value).pk if value else None


class _ActivityFieldsInputSerializer(serializers.Serializer):
    """The editable fields of services.activities.ActivityData."""

    title = serializers.CharField(max_length=200)
    kind = KindField(help_text="The kind of activity, by code (lecture) or id.")
    starts_at = serializers.DateTimeField(help_text="Start, with a time zone (or Beijing time).")
    ends_at = serializers.DateTimeField()
    mode = CodeChoiceField(choices=Mode.choices, required=False)
    division = DivisionCodeField(required=False, allow_null=True, help_text="Region (GB/T 2260 code).")
    address = serializers.CharField(required=False, allow_blank=True, max_length=400)
    venue = serializers.CharField(required=False, allow_blank=True, max_length=400)
    theme = serializers.CharField(required=False, allow_blank=True, max_length=400)
    campaign_edition = ScopedEditionField(
        required=False, allow_null=True, help_text="A campaign edition id (GET campaigns/ lists them)."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    partners = serializers.CharField(
        required=False, allow_blank=True, max_length=400, help_text="Co-organizers outside the network."
    )
    target_groups = serializers.ListField(
        child=TargetGroupField(),
        required=False,
        max_length=20,
        help_text="Target group codes (youth, farmers).",
    )
    co_organizers = serializers.ListField(
        child=ScopedOrganizationField(),
        required=False,
        max_length=50,
        help_text="Organization ids in your scope.",
    )
    speakers = serializers.ListField(
        child=SpeakerField(), required=False, max_length=100, help_text="Person ids in your scope."
    )
    figures = FiguresField(required=False)

    def activity_data(
        self, current: ActivityData | None = None, *, merge_figures: bool = False
    ) -> ActivityData:
        return activity_data_of(self.validated_data, current, merge_figures=merge_figures)


class ActivityCreateInputSerializer(_ActivityFieldsInputSerializer):
    organization = ScopedOrganizationField(
        required=False,
        help_text="The organizer (default: your active organization); it must be in your scope.",
    )


class ActivityUpdateInputSerializer(_ActivityFieldsInputSerializer):
    """PUT: the whole activity; PATCH: any subset (figures sent are merged into the others)."""


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=1000, help_text="Shown to the organizer."
    )


class CorrectionInputSerializer(_ActivityFieldsInputSerializer):
    """The fields to correct (any subset; figures sent are merged) and why."""

    reason = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=1000, help_text="Why it is corrected."
    )


class BadRow:
    """An import row that failed validation: its errors, kept so the others are checked too."""

    def __init__(self, errors):
        self.errors = errors


class _RowListSerializer(serializers.ListSerializer):
    """Validates every row and keeps each bad row's errors in its place instead of
    stopping, so one answer can list every bad row."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            return BadRow(error.detail)


class BulkRowInputSerializer(ActivityCreateInputSerializer):
    status = CodeChoiceField(
        choices=IMPORT_STATUSES,
        required=False,
        default=Status.DRAFT,
        help_text="Where the activity ends: it is walked through the workflow (approved and "
        "beyond need the right to approve it).",
    )


class BulkInputSerializer(serializers.Serializer):
    rows = _RowListSerializer(
        child=BulkRowInputSerializer(),
        min_length=1,
        max_length=BULK_MAX_ROWS,
        help_text=f"At most {BULK_MAX_ROWS} activities; if one is wrong, none is created.",
    )


# --- activities: output --------------------------------------------------------------


class OrganizationRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class KindRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    category = CodeChoiceField(choices=Category.choices)
    category_display = serializers.CharField(source="get_category_display")


class EditionRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    campaign_id = serializers.IntegerField()
    campaign_name = serializers.CharField(source="campaign.name")


class ActivityOutputSerializer(serializers.Serializer):
    """An activity in a list: what, who, when, where, its status and its figures."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = KindRefOutputSerializer()
    organization = OrganizationRefOutputSerializer(help_text="The organizer.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    held_on = serializers.DateField(help_text="The day it starts (Beijing time): statistics count it there.")
    mode = CodeChoiceField(choices=Mode.choices)
    mode_display = serializers.CharField(source="get_mode_display")
    venue = serializers.CharField()
    address = serializers.CharField()
    campaign_edition = EditionRefOutputSerializer(allow_null=True)
    status = CodeChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    status_reason = serializers.CharField(help_text="Why it was returned or cancelled.")
    figures = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="activities_api:activity_detail")

    @extend_schema_field(FIGURES_SCHEMA)
    def get_figures(self, activity) -> dict:
        return figures_of(activity)


class TargetGroupOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SpeakerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FigureOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    value = FigureValueField(allow_null=True, help_text="Empty until it is filled in.")


class AttachmentOutputSerializer(serializers.Serializer):
    """A photo or document by name and size; the file itself is not served by the API."""

    id = serializers.IntegerField()
    kind = CodeChoiceField(choices=ActivityAttachment.Kind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    uploaded_at = serializers.DateTimeField()


class CorrectionOutputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    old_values = serializers.DictField(child=serializers.CharField(allow_null=True))
    new_values = serializers.DictField(child=serializers.CharField(allow_null=True))
    corrected_by = serializers.SerializerMethodField()
    corrected_at = serializers.DateTimeField()

    def get_corrected_by(self, correction) -> str:
        return str(correction.corrected_by) if correction.corrected_by_id else ""


class ActivityDetailOutputSerializer(ActivityOutputSerializer):
    """One activity with everything it records, its files and its corrections."""

    co_organizers = OrganizationRefOutputSerializer(many=True, source="co_organizers.all")
    partners = serializers.CharField(help_text="Co-organizers outside the network.")
    division = DivisionRefOutputSerializer(allow_null=True)
    theme = serializers.CharField()
    description = serializers.CharField()
    target_groups = TargetGroupOutputSerializer(many=True, source="target_groups.all")
    speakers = SpeakerOutputSerializer(many=True, source="speakers.all")
    figure_details = serializers.SerializerMethodField()
    attachments = AttachmentOutputSerializer(many=True, source="attachments.all")
    corrections = CorrectionOutputSerializer(
        many=True, source="corrections.all", help_text="Changes made after it was reported, newest first."
    )
    created_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.SerializerMethodField()
    reported_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(FigureOutputSerializer(many=True))
    def get_figure_details(self, activity) -> list:
        """The figures the kind asks for, in its order, with their labels and units."""
        values = figures_of(activity)
        rows = [
            {"code": code, "label": str(label), "unit": str(FIGURE_UNITS[code]), "value": values[code]}
            for code, label in activity.kind.figure_labels
        ]
        return FigureOutputSerializer(rows, many=True).data

    def get_created_by(self, activity) -> str:
        return str(activity.created_by) if activity.created_by_id else ""

    def get_approved_by(self, activity) -> str:
        return str(activity.approved_by) if activity.approved_by_id else ""


class BulkErrorOutputSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The row's position in `rows`, from 0.")
    field = serializers.CharField(help_text="The field at fault (figures.<code> for a figure).")
    message = serializers.CharField()


class BulkErrorsOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = BulkErrorOutputSerializer(many=True)


class BulkResultOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="In the order of the rows.")


# --- kinds and campaigns -------------------------------------------------------------


class KindFigureOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()


class KindOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    category = CodeChoiceField(choices=Category.choices)
    category_display = serializers.CharField(source="get_category_display")
    service = serializers.CharField(help_text="Which of the four services its statistics belong to.")
    figures = serializers.SerializerMethodField()

    @extend_schema_field(KindFigureOutputSerializer(many=True))
    def get_figures(self, kind) -> list:
        """The figures an activity of this kind reports, in the order its form asks."""
        rows = [
            {"code": code, "label": str(label), "unit": str(FIGURE_UNITS[code])}
            for code, label in kind.figure_labels
        ]
        return KindFigureOutputSerializer(rows, many=True).data


class EditionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    theme = serializers.CharField()


class CampaignOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    organization = OrganizationRefOutputSerializer(allow_null=True, help_text="Null for a national campaign.")
    usual_dates = serializers.CharField()
    description = serializers.CharField()
    editions = EditionOutputSerializer(many=True, source="editions.all", help_text="Newest first.")


# --- period locks --------------------------------------------------------------------


class PeriodLockInputSerializer(serializers.Serializer):
    period = CodeChoiceField(choices=PeriodLock.Period.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(
        required=False,
        default=1,
        min_value=1,
        max_value=12,
        help_text="Which month, quarter or half (from 1).",
    )
    organization = ScopedOrganizationField(
        required=False,
        help_text="The organization that reported the period (default: your active organization).",
    )


class PeriodLockOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = OrganizationRefOutputSerializer()
    period = CodeChoiceField(choices=PeriodLock.Period.choices)
    period_display = serializers.CharField(source="get_period_display")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    locked_by = serializers.SerializerMethodField()
    locked_at = serializers.DateTimeField()
    is_active = serializers.BooleanField()
    unlocked_by = serializers.SerializerMethodField()
    unlocked_at = serializers.DateTimeField(allow_null=True)
    unlock_reason = serializers.CharField()
    may_unlock = serializers.SerializerMethodField(help_text="Whether you may unlock it.")

    def get_locked_by(self, lock) -> str:
        return str(lock.locked_by) if lock.locked_by_id else ""

    def get_unlocked_by(self, lock) -> str:
        return str(lock.unlocked_by) if lock.unlocked_by_id else ""

    def get_may_unlock(self, lock) -> bool:
        scope = self.context["request"].scope
        return lock.is_active and scope.has(Perm.ACTIVITY_APPROVE) and may_unlock(scope, lock)

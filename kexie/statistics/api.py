"""/api/v1/ for statistics: the definitions, and their values for an organization's subtree
and a period, in total or broken down by direct child organization or by month.

The values are `selectors.statistic_values`, the same as the statistics page and its
export. An organization outside the caller's scope is a 404; malformed dates, an unknown
breakdown or figure code are a 400 naming the parameter.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kexie.accounts.roles import Perm
from kexie.statistics.definitions import Aggregate, Service, all_definitions, get_definition
from kexie.statistics.figures import json_number
from kexie.statistics.forms import LONGEST_RANGE_DAYS
from kexie.statistics.selectors import OWN, Breakdown, statistic_values

STATISTICS = ["statistics"]

ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Your role does not allow this."),
}
VALUE_ERRORS = {
    **ERRORS,
    400: OpenApiResponse(description="Invalid parameters; the parameter at fault is named."),
    404: OpenApiResponse(description="No such organization in your scope."),
}


class StatisticsAPIView(APIView):
    """Every statistics endpoint reads, with STATISTICS_VIEW."""

    required_perms = {"read": Perm.STATISTICS_VIEW, "write": Perm.STATISTICS_VIEW}


# --- serializers -------------------------------------------------------------------------


class DefinitionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    service = serializers.CharField(help_text="workers, innovation, literacy, decision or network.")
    service_display = serializers.SerializerMethodField()
    description = serializers.CharField(help_text="What the figure counts.")
    aggregate = serializers.CharField(help_text="count, sum or distinct.")
    aggregate_display = serializers.SerializerMethodField()
    field = serializers.CharField(
        help_text="The summed field, or the field whose distinct values are counted."
    )
    source = serializers.CharField(source="source.code", help_text="The kind of record counted.")

    def get_service_display(self, definition) -> str:
        return str(Service(definition.service).label)

    def get_aggregate_display(self, definition) -> str:
        return str(Aggregate(definition.aggregate).label)


class ValuesQuerySerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Figures of this organization's subtree (default: your scope's).",
    )
    start = serializers.DateField(
        required=False, help_text="First day, YYYY-MM-DD (default: 1 January this year)."
    )
    end = serializers.DateField(required=False, help_text="Last day, YYYY-MM-DD (default: today).")
    breakdown = serializers.ChoiceField(
        choices=[(value, value or "none") for value in Breakdown.CHOICES],
        required=False,
        default=Breakdown.NONE,
        allow_blank=True,
        help_text="Empty for totals only, `child` by direct child organization, `month` by month.",
    )
    codes = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="Comma-separated definition codes (default: all).",
    )

    def validate_codes(self, value: str) -> list:
        codes = [code.strip() for code in value.split(",") if code.strip()]
        unknown = [code for code in codes if get_definition(code) is None]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown figure codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return codes

    def validate(self, data):
        today = timezone.localdate()
        data["start"] = data.get("start") or date(today.year, 1, 1)
        data["end"] = data.get("end") or today
        if data["start"] > data["end"]:
            raise serializers.ValidationError({"end": [_("The last day is before the first day.")]})
        if (data["end"] - data["start"]).days > LONGEST_RANGE_DAYS:
            raise serializers.ValidationError({"end": [_("Choose at most five years.")]})
        return data


class StatisticsOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StatisticsColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="`own`, an organization id, or a month as YYYY-MM.")
    label = serializers.CharField()
    organization = serializers.IntegerField(
        allow_null=True, help_text="The column's organization (by child)."
    )
    own = serializers.BooleanField(help_text="The organization's own records, not those of its children.")
    month = serializers.CharField(allow_null=True, help_text="YYYY-MM (by month).")


class StatisticsFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    total = serializers.FloatField()
    values = serializers.ListField(
        child=serializers.FloatField(), help_text="One value per column, in the order of `columns`."
    )


class ValuesOutputSerializer(serializers.Serializer):
    organization = StatisticsOrganizationSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    breakdown = serializers.CharField()
    columns = StatisticsColumnSerializer(many=True)
    figures = StatisticsFigureSerializer(many=True)


def _column(column) -> dict:
    if column.month is not None:
        month = f"{column.month:%Y-%m}"
        return {"key": month, "label": column.label, "organization": None, "own": False, "month": month}
    own = column.key == OWN
    return {
        "key": OWN if own else str(column.organization.pk),
        "label": column.label,
        "organization": column.organization.pk,
        "own": own,
        "month": None,
    }


# --- views -------------------------------------------------------------------------------


class DefinitionListAPI(StatisticsAPIView):
    @extend_schema(
        tags=STATISTICS,
        summary="The statistic definitions: what every figure counts and how",
        responses={200: DefinitionOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        return Response(DefinitionOutputSerializer(all_definitions(), many=True).data)


class ValuesAPI(StatisticsAPIView):
    @extend_schema(
        tags=STATISTICS,
        summary="Figures of a subtree for a period, in total or by child organization or month",
        description="The same values as the statistics page and its export. Breakdown columns sum to the "
        "total, except for counts of distinct people (one expert who spoke in two counties is one "
        "expert of their city).",
        parameters=[ValuesQuerySerializer],
        responses={200: ValuesOutputSerializer, **VALUE_ERRORS},
    )
    def get(self, request):
        query = ValuesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        scope = request.scope
        organization = (
            scope.get_organization(params["organization"])
            if params["organization"] is not None
            else scope.organization
        )
        definitions = [get_definition(code) for code in params["codes"]] or all_definitions()
        table = statistic_values(
            organization=organization,
            definitions=definitions,
            start=params["start"],
            end=params["end"],
            breakdown=params["breakdown"],
        )
        data = {
            "organization": {"id": organization.pk, "name": organization.name},
            "start": table.start,
            "end": table.end,
            "breakdown": table.breakdown,
            "columns": [_column(column) for column in table.columns],
            "figures": [
                {
                    "code": definition.code,
                    "name": str(definition.name),
                    "unit": str(definition.unit),
                    "total": json_number(total),
                    "values": [json_number(value) for value in values],
                }
                for definition, total, values in table.rows()
            ],
        }
        # Built here rather than by the serializer, whose FloatFields would turn counts into 3.0.
        data["start"], data["end"] = table.start.isoformat(), table.end.isoformat()
        return Response(data)

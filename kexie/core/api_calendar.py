"""/api/v1/calendar/: the working-day calendar (read by every scoped user, set by the
system administrator)."""

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kexie.accounts.roles import Perm
from kexie.core import services, workdays
from kexie.core.api_views import ScopedAPIView

CALENDAR = ["calendar"]
ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Your role does not allow this."),
}


class DayOutputSerializer(serializers.Serializer):
    day = serializers.DateField()
    is_workday = serializers.BooleanField()
    name = serializers.CharField()
    source = serializers.CharField(help_text="override (set here), official or weekdays.")


class DayInputSerializer(serializers.Serializer):
    day = serializers.DateField()
    is_workday = serializers.BooleanField()
    name = serializers.CharField(required=False, default="", allow_blank=True, max_length=64)


class CalendarAPI(ScopedAPIView):
    required_perms = {"read": None, "write": Perm.CALENDAR_MANAGE}

    @extend_schema(
        tags=CALENDAR,
        summary="The holidays and working weekends of a year (official, or set here)",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Default: this year.")],
        responses={200: DayOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        try:
            year = int(request.query_params.get("year") or date.today().year)
        except ValueError:
            raise ValidationError({"year": [_("Enter a whole number.")]}) from None
        if not 2000 <= year <= 2100:
            raise ValidationError(
                {"year": [_("Choose a year from %(first)s to %(last)s.") % {"first": 2000, "last": 2100}]}
            )
        return Response(DayOutputSerializer(workdays.year_exceptions(year), many=True).data)

    @extend_schema(
        tags=CALENDAR,
        summary="Make a day a holiday or a working day (system administrator)",
        request=DayInputSerializer,
        responses={201: DayOutputSerializer, **ERRORS},
    )
    def post(self, request):
        serializer = DayInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.calendar_day_set(actor=request.user, **serializer.validated_data)
        return Response(
            DayOutputSerializer(workdays.statuses(row.day, row.day)[0]).data, status=status.HTTP_201_CREATED
        )


class CalendarDayAPI(ScopedAPIView):
    required_perms = {"read": None, "write": Perm.CALENDAR_MANAGE}

    @extend_schema(
        tags=CALENDAR,
        summary="Drop a day's setting: it follows the official calendar again (system administrator)",
        responses={
            204: None,
            **ERRORS,
            400: OpenApiResponse(description="The day has no setting of its own."),
        },
    )
    def delete(self, request, day):
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            raise ValidationError({"day": [_("Enter a valid date.")]}) from None
        services.calendar_day_remove(actor=request.user, day=parsed)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""/api/v1/reports/: the dashboard's figures as JSON.

The same `dashboard.dashboard` as the page, so the API and the page always agree. The
period parameters are the page's (year, quarter, month, or start and end); a malformed one
is a 400 naming it.
"""

from decimal import Decimal

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kexie.accounts.roles import Perm
from kexie.reports.dashboard import dashboard
from kexie.reports.forms import DashboardForm

REPORTS = ["reports"]


def _number(value):
    """Counts stay integers; hours keep their decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _figure(definition) -> dict:
    return {"code": definition.code, "name": str(definition.name), "unit": str(definition.unit)}


def _organization(organization) -> dict:
    return {"id": organization.pk, "name": organization.name}


class DashboardAPI(APIView):
    required_perms = {"read": Perm.STATISTICS_VIEW, "write": Perm.STATISTICS_VIEW}

    @extend_schema(
        tags=REPORTS,
        summary="The dashboard of your organization's network for a period",
        description="Headline figures of the four services against the same period last year, the "
        "monthly trend of one figure, the direct child organizations ranked by one figure, the "
        "network's state and what needs attention. Every figure is a statistic definition "
        "(`/api/v1/statistics/definitions/`); `url` is the page listing the records it counts.",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Year (default: this year, to date)."),
            OpenApiParameter("quarter", OpenApiTypes.INT, description="Quarter 1–4 of the year."),
            OpenApiParameter("month", OpenApiTypes.INT, description="Month 1–12 of the year."),
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day (with end)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (with start)."),
            OpenApiParameter("trend", OpenApiTypes.STR, description="Code of the trend's figure."),
            OpenApiParameter("rank", OpenApiTypes.STR, description="Code of the ranking's figure."),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Invalid parameters; the parameter at fault is named."),
            401: OpenApiResponse(description="Not authenticated."),
            403: OpenApiResponse(description="Your role does not allow this."),
        },
    )
    def get(self, request):
        today = timezone.localdate()
        form = DashboardForm(request.query_params or None, today=today)
        if form.is_bound and not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        board = dashboard(
            scope=request.scope,
            period=form.period(),
            today=today,
            trend=form.trend_code(),
            rank=form.rank_code(),
        )
        unreported = board.attention.unreported
        return Response(
            {
                "organization": _organization(board.organization),
                "period": {
                    "label": board.period.label,
                    "start": board.period.start.isoformat(),
                    "end": board.period.end.isoformat(),
                },
                "last_period": {
                    "start": board.last_period.start.isoformat(),
                    "end": board.last_period.end.isoformat(),
                },
                "figures": [
                    {
                        **_figure(figure.definition),
                        "service": group.service,
                        "value": _number(figure.value),
                        "last": _number(figure.last),
                        "change": _number(figure.change),
                        "percent": float(figure.percent) if figure.percent is not None else None,
                        "url": figure.url,
                    }
                    for group in board.groups
                    for figure in group.figures
                ],
                "trend": {
                    **_figure(board.trend),
                    "months": [
                        {
                            "month": f"{column.month:%Y-%m}",
                            "value": _number(board.monthly.value(board.trend.code, column.key)),
                            "last": _number(board.monthly_last.value(board.trend.code, last.key)),
                        }
                        for column, last in zip(
                            board.monthly.columns, board.monthly_last.columns, strict=False
                        )
                    ],
                },
                "ranking": {
                    **_figure(board.rank),
                    "children": [
                        {
                            "place": row.place,
                            "organization": _organization(row.organization),
                            "value": _number(row.value),
                            "url": row.url,
                        }
                        for row in board.ranking
                    ],
                },
                "network": {
                    "active_organizations": board.network.total_active,
                    "by_kind": [
                        {"kind": row.kind, "label": str(row.label), "active": row.active}
                        for row in board.network.by_kind
                        if row.active
                    ],
                    "societies": board.network.party.societies,
                    "party_covered": board.network.party.covered,
                    "party_covered_percent": board.network.party.covered_percent,
                    "overdue_reelections": board.network.overdue_reelections,
                },
                "attention": {
                    "approvals": None
                    if board.attention.approvals is None
                    else len(board.attention.approvals),
                    "unreported": {
                        "label": unreported.label,
                        "start": unreported.start.isoformat(),
                        "end": unreported.end.isoformat(),
                        "expected": unreported.expected,
                        "missing": [_organization(child) for child in unreported.missing],
                    },
                    "overdue_reelections": board.attention.overdue_count,
                },
            }
        )

"""/api/v1/reports/: the dashboard's figures as JSON, and reporting upward (submit a period,
list and read reports, return or accept a child's).

The dashboard is the same `dashboard.dashboard` as the page, so the API and the page always
agree. Its period parameters are the page's (year, quarter, month, or start and end); a
malformed one is a 400 naming it.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kexie.accounts.roles import Perm
from kexie.core.api_views import ScopedAPIView
from kexie.orgs.api import Pagination
from kexie.reports import selectors, services
from kexie.reports.dashboard import dashboard
from kexie.reports.forms import DashboardForm
from kexie.reports.models import GeneratedReport, Submission
from kexie.reports.serializers import (
    DocumentInputSerializer,
    DocumentOutputSerializer,
    ReturnInputSerializer,
    SubmissionDetailOutputSerializer,
    SubmissionOutputSerializer,
    SubmitInputSerializer,
)
from kexie.reports.texts import section_spec
from kexie.statistics.figures import json_number
from kexie.statistics.selectors import statistic_values

REPORTS = ["reports"]
ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Your role does not allow this."),
}
NOT_FOUND = OpenApiResponse(description="No such report in your scope.")
WRITE_ERRORS = {
    **ERRORS,
    400: OpenApiResponse(description="Invalid input or a rule of reporting broken; the message says which."),
    404: NOT_FOUND,
}


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
                        "value": json_number(figure.value),
                        "last": json_number(figure.last),
                        "change": json_number(figure.change),
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
                            "value": json_number(board.monthly.value(board.trend.code, column.key)),
                            "last": json_number(board.monthly_last.value(board.trend.code, last.key)),
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
                            "value": json_number(row.value),
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
                    "approvals": board.attention.approvals,
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


# --- reporting upward --------------------------------------------------------------------


class SubmissionsAPIView(ScopedAPIView):
    """Reads need STATISTICS_VIEW; submitting, returning and accepting ACTIVITY_APPROVE."""

    required_perms = {"read": Perm.STATISTICS_VIEW, "write": Perm.ACTIVITY_APPROVE}


class SubmissionListAPI(SubmissionsAPIView):
    pagination_class = Pagination

    @extend_schema(
        tags=REPORTS,
        summary="Reports upward of your subtree (newest period first)",
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Only this organization's."),
            OpenApiParameter("state", OpenApiTypes.STR, description="submitted, returned or accepted."),
            OpenApiParameter("year", OpenApiTypes.INT, description="Only periods of this year."),
        ],
        responses={200: SubmissionOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        rows = selectors.submission_queryset(scope=request.scope)
        params = request.query_params
        if params.get("organization"):
            rows = rows.filter(organization=request.scope.get_organization(params["organization"]))
        if params.get("state"):
            if params["state"] not in Submission.State.values:
                raise ValidationError({"state": [_("Choose submitted, returned or accepted.")]})
            rows = rows.filter(state=params["state"])
        if params.get("year"):
            try:
                rows = rows.filter(year=int(params["year"]))
            except ValueError:
                raise ValidationError({"year": [_("Enter a whole number.")]}) from None
        return self.paginated(rows, SubmissionOutputSerializer)

    @extend_schema(
        tags=REPORTS,
        summary="Submit a period of your organization upward (locks it and keeps its figures)",
        request=SubmitInputSerializer,
        responses={201: SubmissionDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        serializer = SubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.report_submit(
            actor=request.user, organization=request.scope.organization, **serializer.validated_data
        )
        return Response(_detail(request, submission), status=status.HTTP_201_CREATED)


def _detail(request, submission) -> dict:
    submission = selectors.submission_get(scope=request.scope, pk=submission.pk)
    current = statistic_values(
        organization=submission.organization, start=submission.starts_on, end=submission.ends_on
    ).totals
    return SubmissionDetailOutputSerializer(submission, context={"request": request, "current": current}).data


class SubmissionDetailAPI(SubmissionsAPIView):
    @extend_schema(
        tags=REPORTS,
        summary="One report upward with its figures as submitted and today",
        responses={200: SubmissionDetailOutputSerializer, **ERRORS, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(_detail(request, selectors.submission_get(scope=request.scope, pk=pk)))


class ReviewAPIView(SubmissionsAPIView):
    """Returning and accepting are for the organization directly above the submitter."""

    def check_permissions(self, request):
        if request.user and request.user.is_authenticated and request.scope:
            self.object = selectors.submission_get(scope=request.scope, pk=self.kwargs["pk"])
        super().check_permissions(request)
        if not services.may_review(request.scope, self.object):
            raise PermissionDenied(_("Only the organization directly above reviews its reports."))


class SubmissionReturnAPI(ReviewAPIView):
    @extend_schema(
        tags=REPORTS,
        summary="Return a report with a reason (unlocks its period)",
        request=ReturnInputSerializer,
        responses={200: SubmissionDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = ReturnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.report_return(
            actor=request.user, submission=self.object, reason=serializer.validated_data["reason"]
        )
        return Response(_detail(request, submission))


class SubmissionAcceptAPI(ReviewAPIView):
    @extend_schema(
        tags=REPORTS,
        summary="Accept a report: its figures are kept as submitted",
        request=None,
        responses={200: SubmissionDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        submission = services.report_accept(actor=request.user, submission=self.object)
        return Response(_detail(request, submission))


# --- generated documents -----------------------------------------------------------------


class DocumentsAPIView(ScopedAPIView):
    """Reading and asking for documents take STATISTICS_VIEW, like the page."""

    required_perms = {"read": Perm.STATISTICS_VIEW, "write": Perm.STATISTICS_VIEW}


class DocumentListAPI(DocumentsAPIView):
    pagination_class = Pagination

    @extend_schema(
        tags=REPORTS,
        summary="Annual summaries and reviews of your organization (newest first)",
        responses={200: DocumentOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        rows = GeneratedReport.objects.filter(organization=request.scope.organization).select_related(
            "organization"
        )
        return self.paginated(rows, DocumentOutputSerializer)

    @extend_schema(
        tags=REPORTS,
        summary="Ask for an annual summary (or a review of several years); poll it until `done`",
        request=DocumentInputSerializer,
        responses={202: DocumentOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        serializer = DocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_request(
            actor=request.user, organization=request.scope.organization, **serializer.validated_data
        )
        document.refresh_from_db()
        return Response(
            DocumentOutputSerializer(document, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class DocumentDetailAPI(DocumentsAPIView):
    @extend_schema(
        tags=REPORTS,
        summary="One generated document: its state, progress and download links",
        responses={200: DocumentOutputSerializer, **ERRORS, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        document = request.scope.get(GeneratedReport.objects.select_related("organization"), pk=pk)
        return Response(DocumentOutputSerializer(document, context={"request": request}).data)


# --- the texts of the summary ------------------------------------------------------------


class SectionTextInputSerializer(serializers.Serializer):
    body = serializers.CharField(help_text="The template: one paragraph a line, names in braces.")
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=255)


def _text_data(organization) -> list[dict]:
    rows = []
    for code, current in selectors.current_texts(organization).items():
        version = current.version
        rows.append(
            {
                "section": code,
                "heading": section_spec(code).heading,
                "body": current.body,
                "source": "default" if version is None else ("inherited" if current.inherited else "own"),
                "organization": None if version is None else version.organization_id,
                "version": None if version is None else version.version,
            }
        )
    return rows


class SectionTextListAPI(ScopedAPIView):
    """Reading takes STATISTICS_VIEW; a new version ORG_MANAGE (an administrator's)."""

    required_perms = {"read": Perm.STATISTICS_VIEW, "write": Perm.ORG_MANAGE}

    @extend_schema(
        tags=REPORTS,
        summary="The template of each section of your organization's annual summary, and its source",
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request):
        return Response(_text_data(request.scope.organization))


class SectionTextAPI(ScopedAPIView):
    required_perms = {"read": Perm.STATISTICS_VIEW, "write": Perm.ORG_MANAGE}

    @extend_schema(
        tags=REPORTS,
        summary="Save a new version of a section's template for your organization's subtree",
        request=SectionTextInputSerializer,
        responses={201: OpenApiTypes.OBJECT, **WRITE_ERRORS},
    )
    def post(self, request, section):
        serializer = SectionTextInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.section_text_save(
            actor=request.user,
            organization=request.scope.organization,
            section=section,
            **serializer.validated_data,
        )
        row = next(row for row in _text_data(request.scope.organization) if row["section"] == section)
        return Response(row, status=status.HTTP_201_CREATED)


class PreferenceInputSerializer(serializers.Serializer):
    traditional = serializers.BooleanField(help_text="Write documents in Traditional characters.")


class PreferenceAPI(ScopedAPIView):
    """The script your organization's documents are written in (it applies below it too)."""

    required_perms = {"read": Perm.STATISTICS_VIEW, "write": Perm.ORG_MANAGE}

    @extend_schema(
        tags=REPORTS,
        summary="Whether your organization's documents are written in Traditional characters",
        responses={200: PreferenceInputSerializer, **ERRORS},
    )
    def get(self, request):
        return Response({"traditional": selectors.prefers_traditional(request.scope.organization)})

    @extend_schema(
        tags=REPORTS,
        summary="Write your organization's documents in Traditional (or Simplified) characters",
        request=PreferenceInputSerializer,
        responses={200: PreferenceInputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        serializer = PreferenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.preference_set(
            actor=request.user, organization=request.scope.organization, **serializer.validated_data
        )
        return Response({"traditional": selectors.prefers_traditional(request.scope.organization)})

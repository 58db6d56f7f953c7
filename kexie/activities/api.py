"""/api/v1/ for activities: the list and the record, the workflow, imports of many at once,
the kinds and campaigns a client needs to fill them in, and the reported-period locks.

Views are thin, like the talent-pool API: find the object through the caller's scope
(404 outside the subtree) → check the role (403) → validate the input serializer → call
one service → answer with the output serializer. Reads need ACTIVITY_VIEW, writes
ACTIVITY_CHANGE; approving, returning, locking and unlocking need ACTIVITY_APPROVE, and
approving or returning an activity also that its approving organization is in the scope.
Domain errors become a 400 naming the field (figures under `figures`).
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kexie.accounts.roles import Perm
from kexie.core.api_views import ScopedAPIView
from kexie.core.errors import DomainError
from kexie.orgs.api import Pagination

from .models import Activity, ActivityCorrection, Figure, Status
from .selectors import (
    ActivityFilter,
    activity_get,
    activity_list,
    campaigns_visible,
    kinds_in_use,
    period_lock_get,
    period_locks,
)
from .serializers import (
    ActivityCreateInputSerializer,
    ActivityDetailOutputSerializer,
    ActivityFilterSerializer,
    ActivityOutputSerializer,
    ActivityUpdateInputSerializer,
    BadRow,
    BulkErrorsOutputSerializer,
    BulkInputSerializer,
    BulkResultOutputSerializer,
    CampaignOutputSerializer,
    CorrectionInputSerializer,
    KindOutputSerializer,
    PeriodLockInputSerializer,
    PeriodLockOutputSerializer,
    ReasonInputSerializer,
    activity_data_of,
)
from .services.activities import (
    NEEDS_APPROVER,
    ActivityData,
    activity_approve,
    activity_cancel,
    activity_correct,
    activity_create,
    activity_mark_held,
    activity_record,
    activity_report,
    activity_return,
    activity_submit,
    activity_update,
    require_approver,
)
from .services.periods import may_unlock, period_lock, period_unlock

ACTIVITIES = ["activities"]
WORKFLOW = ["activity workflow"]
CATALOG = ["activity kinds and campaigns"]
LOCKS = ["reported periods"]

# What every endpoint may answer besides its success; documented once.
ERRORS = {
    401: OpenApiResponse(description="Not authenticated."),
    403: OpenApiResponse(description="Your role does not allow this."),
}
BAD_INPUT = {400: OpenApiResponse(description="Invalid input; the field at fault is named.")}
OBJECT_ERRORS = {**ERRORS, 404: OpenApiResponse(description="Nothing with this id in your scope.")}
WRITE_ERRORS = {**OBJECT_ERRORS, **BAD_INPUT}


def error_field(error: DomainError) -> str:
    """Where a service's refusal points in the API's input (a figure: figures.<code>)."""
    if error.field in Figure.values:
        return f"figures.{error.field}"
    if error.field:
        return error.field
    return "figures" if error.code == "figures" else "non_field_errors"


@contextmanager
def figures_named():
    """A refused figure is named under `figures`, as it was sent; other refusals go to the
    API's exception handler as they are."""
    try:
        yield
    except DomainError as error:
        if error.field in Figure.values:
            raise ValidationError({"figures": {error.field: [str(error.message)]}}) from None
        if error.field is None and error.code == "figures":
            raise ValidationError({"figures": [str(error.message)]}) from None
        raise


def _with_details(activity: Activity) -> Activity:
    prefetch_related_objects(
        [activity],
        "target_groups",
        "co_organizers",
        "speakers",
        "attachments",
        Prefetch("corrections", queryset=ActivityCorrection.objects.select_related("corrected_by")),
    )
    return activity


class ActivitiesAPIView(ScopedAPIView):
    """Reads need ACTIVITY_VIEW, writes ACTIVITY_CHANGE (ScopedPermission reads `required_perms`)."""

    required_perms = {"read": Perm.ACTIVITY_VIEW, "write": Perm.ACTIVITY_CHANGE}

    def detail_response(self, pk, status_code: int = status.HTTP_200_OK) -> Response:
        activity = _with_details(activity_get(scope=self.request.scope, pk=pk))
        return Response(
            ActivityDetailOutputSerializer(activity, context=self.context()).data, status=status_code
        )


class ActivityObjectAPIView(ActivitiesAPIView):
    """An endpoint about one activity, `pk` in the URL.

    The activity is looked up through the scope *before* the role is checked, so one
    outside the caller's subtree is a 404 whatever the method and the role; only inside
    the subtree does a missing permission give 403 (the same order as the HTML views).
    """

    def fetch(self, scope, pk):
        return activity_get(scope=scope, pk=pk)

    def check_permissions(self, request):
        if request.user and request.user.is_authenticated and request.scope:
            self.object = self.fetch(request.scope, self.kwargs["pk"])
        super().check_permissions(request)


class ApproverAPIView(ActivityObjectAPIView):
    """Approving and returning: ACTIVITY_APPROVE, and the approving organization in scope."""

    required_perms = {"read": Perm.ACTIVITY_VIEW, "write": Perm.ACTIVITY_APPROVE}

    def check_permissions(self, request):
        super().check_permissions(request)
        require_approver(request.scope, self.object)


# --- activities ----------------------------------------------------------------------


class ActivityListAPI(ActivitiesAPIView):
    """The activities organized in the caller's scope, filtered like the list page; recording one."""

    pagination_class = Pagination

    @extend_schema(
        tags=ACTIVITIES,
        summary="List the activities in your scope",
        description="Newest first. With `stat`, the activities a statistic counts for `organization` "
        "(default: yours) in the period `from`–`to`, as the statistics page links to them.",
        parameters=[ActivityFilterSerializer],
        responses={200: ActivityOutputSerializer(many=True), **WRITE_ERRORS},
    )
    def get(self, request):
        query = ActivityFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = ActivityFilter(**query.validated_data)
        return self.paginated(activity_list(scope=request.scope, filters=filters), ActivityOutputSerializer)

    @extend_schema(
        tags=ACTIVITIES,
        summary="Record an activity (as a draft)",
        description="Figures are an object {figure code: value}; a figure its kind does not ask for "
        "(GET activity-kinds/) is stored empty.",
        request=ActivityCreateInputSerializer,
        responses={201: ActivityDetailOutputSerializer, **BAD_INPUT, **ERRORS},
    )
    def post(self, request):
        serializer = ActivityCreateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        organizer = serializer.validated_data.get("organization") or request.scope.organization
        with figures_named():
            activity = activity_create(
                actor=request.user, organization=organizer, data=serializer.activity_data()
            )
        return self.detail_response(activity.pk, status.HTTP_201_CREATED)


class ActivityDetailAPI(ActivityObjectAPIView):
    """One activity of the caller's scope; editing it (a draft, or an approved or held one)."""

    @extend_schema(
        tags=ACTIVITIES,
        summary="One activity, with its figures, files and corrections",
        responses={200: ActivityDetailOutputSerializer, **OBJECT_ERRORS},
    )
    def get(self, request, pk):
        return Response(
            ActivityDetailOutputSerializer(_with_details(self.object), context=self.context()).data
        )

    @extend_schema(
        tags=ACTIVITIES,
        summary="Replace an activity's details and figures",
        description="Fields not sent are emptied. A reported activity is changed with correct/.",
        request=ActivityUpdateInputSerializer,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def put(self, request, pk):
        serializer = ActivityUpdateInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        with figures_named():
            activity_update(actor=request.user, activity=self.object, data=serializer.activity_data())
        return self.detail_response(self.object.pk)

    @extend_schema(
        tags=ACTIVITIES,
        summary="Edit an activity (any subset of its fields)",
        description="Figures sent are merged into the others. A reported activity is changed with correct/.",
        request=ActivityUpdateInputSerializer,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        serializer = ActivityUpdateInputSerializer(data=request.data, partial=True, context=self.context())
        serializer.is_valid(raise_exception=True)
        data = serializer.activity_data(ActivityData.of(self.object), merge_figures=True)
        with figures_named():
            activity_update(actor=request.user, activity=self.object, data=data)
        return self.detail_response(self.object.pk)


# --- the workflow --------------------------------------------------------------------


class ActivitySubmitAPI(ActivityObjectAPIView):
    @extend_schema(
        tags=WORKFLOW,
        operation_id="v1_activities_submit",
        summary="Submit a draft to its approver",
        request=None,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        activity_submit(actor=request.user, activity=self.object)
        return self.detail_response(self.object.pk)


class ActivityApproveAPI(ApproverAPIView):
    @extend_schema(
        tags=WORKFLOW,
        operation_id="v1_activities_approve",
        summary="Approve a submitted activity (its approving organization's administrators)",
        request=None,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        activity_approve(actor=request.user, activity=self.object)
        return self.detail_response(self.object.pk)


class ActivityReturnAPI(ApproverAPIView):
    @extend_schema(
        tags=WORKFLOW,
        operation_id="v1_activities_return",
        summary="Return a submitted activity to its organizer as a draft, saying why",
        request=ReasonInputSerializer,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity_return(actor=request.user, activity=self.object, reason=serializer.validated_data["reason"])
        return self.detail_response(self.object.pk)


class ActivityHeldAPI(ActivityObjectAPIView):
    @extend_schema(
        tags=WORKFLOW,
        operation_id="v1_activities_held",
        summary="Record that an approved activity took place",
        request=None,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        activity_mark_held(actor=request.user, activity=self.object)
        return self.detail_response(self.object.pk)


class ActivityReportAPI(ActivityObjectAPIView):
    @extend_schema(
        tags=WORKFLOW,
        operation_id="v1_activities_report",
        summary="Report a held activity: its figures become final",
        description="Every figure its kind asks for must be filled in (0 if there were none).",
        request=None,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        with figures_named():
            activity_report(actor=request.user, activity=self.object)
        return self.detail_response(self.object.pk)


class ActivityCancelAPI(ActivityObjectAPIView):
    @extend_schema(
        tags=WORKFLOW,
        operation_id="v1_activities_cancel",
        summary="Cancel an activity that has not been held, saying why",
        request=ReasonInputSerializer,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity_cancel(actor=request.user, activity=self.object, reason=serializer.validated_data["reason"])
        return self.detail_response(self.object.pk)


class ActivityCorrectAPI(ActivityObjectAPIView):
    @extend_schema(
        tags=WORKFLOW,
        operation_id="v1_activities_correct",
        summary="Correct a reported activity (the values replaced are kept with the reason)",
        description="Any subset of the activity's fields, and `reason`; figures sent are merged.",
        request=CorrectionInputSerializer,
        responses={200: ActivityDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = CorrectionInputSerializer(data=request.data, partial=True, context=self.context())
        serializer.is_valid(raise_exception=True)
        data = serializer.activity_data(ActivityData.of(self.object), merge_figures=True)
        with figures_named():
            activity_correct(
                actor=request.user,
                activity=self.object,
                data=data,
                reason=serializer.validated_data.get("reason", ""),
            )
        return self.detail_response(self.object.pk)


# --- importing many ------------------------------------------------------------------
# Each row is recorded by `activity_record` at its status, with the checks and audit
# records of every workflow step, each in a savepoint, so a refusal names its row; one
# outer transaction undoes them all if any row was refused.


class _Refused(Exception):
    """Raised inside the import's transaction to undo every row when one was refused."""


def _approver_refusals(scope, rows) -> dict:
    """{organizer id: why the caller may not approve its activities}, for the organizers of
    rows that must pass approval. Checked before anything is written, so that a denial is
    audited even though the import is undone."""
    refusals = {}
    for row in rows:
        if isinstance(row, BadRow) or row["status"] not in NEEDS_APPROVER:
            continue
        organizer = row.get("organization") or scope.organization
        if organizer.pk in refusals:
            continue
        try:
            require_approver(scope, Activity(organization=organizer))
        except PermissionDenied as denial:
            refusals[organizer.pk] = str(denial)
        else:
            refusals[organizer.pk] = None
    return refusals


def _import_row(*, actor, scope, row: dict) -> Activity:
    """Record one row at its status, as the workflow would have brought it there."""
    organizer = row.get("organization") or scope.organization
    return activity_record(
        actor=actor, organization=organizer, data=activity_data_of(row), status=row["status"]
    )


def import_rows(*, actor, scope, rows: list) -> tuple[list[int], list[dict]]:
    """Create every row, or none: (ids created, []) or ([], every error by row)."""
    errors = [
        {"index": index, "field": field, "message": message}
        for index, row in enumerate(rows)
        if isinstance(row, BadRow)
        for field, message in _flatten(row.errors)
    ]
    refusals = _approver_refusals(scope, rows)
    ids = []
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                if isinstance(row, BadRow):
                    continue
                organizer = row.get("organization") or scope.organization
                if row["status"] in NEEDS_APPROVER and refusals.get(organizer.pk):
                    message = _(
                        "An activity imported as “%(status)s” is approved on the way, "
                        "which you may not do: %(reason)s"
                    ) % {"status": Status(row["status"]).label, "reason": refusals[organizer.pk]}
                    errors.append({"index": index, "field": "status", "message": message})
                    continue
                try:
                    with transaction.atomic():
                        ids.append(_import_row(actor=actor, scope=scope, row=row).pk)
                except DomainError as error:
                    # A refusal of the row's status (not started yet, for held) names `status`.
                    field = "status" if error.code == "status" else error_field(error)
                    errors.append({"index": index, "field": field, "message": str(error.message)})
            if errors:
                raise _Refused
    except _Refused:
        return [], sorted(errors, key=lambda error: error["index"])
    return ids, []


def _flatten(detail, prefix: str = ""):
    """(field, message) pairs of a serializer's errors (nested fields joined with dots)."""
    if isinstance(detail, dict):
        for name, value in detail.items():
            yield from _flatten(value, f"{prefix}.{name}" if prefix else str(name))
    elif isinstance(detail, list):
        for item in detail:
            yield from _flatten(item, prefix)
    else:
        yield prefix or "non_field_errors", str(detail)


class ActivityBulkAPI(ActivitiesAPIView):
    """Record many activities at once (last year's, from another system): all or none."""

    @extend_schema(
        tags=ACTIVITIES,
        operation_id="v1_activities_bulk",
        summary="Record up to 1,000 activities at once; if one is wrong, none is recorded",
        description="Each row is an activity as POST activities/ takes it, with an optional final "
        "`status` (draft, submitted, approved, held, reported) that it is walked to through the "
        "workflow. A 400 lists every bad row: its index in `rows`, the field and the message.",
        request=BulkInputSerializer,
        responses={
            201: BulkResultOutputSerializer,
            400: OpenApiResponse(BulkErrorsOutputSerializer, description="Nothing was recorded."),
            **ERRORS,
        },
    )
    def post(self, request):
        serializer = BulkInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        ids, errors = import_rows(
            actor=request.user, scope=request.scope, rows=serializer.validated_data["rows"]
        )
        if errors:
            body = {
                "detail": _("Nothing was recorded: correct these rows and send them all again."),
                "errors": errors,
            }
            return Response(BulkErrorsOutputSerializer(body).data, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            BulkResultOutputSerializer({"created": len(ids), "ids": ids}).data, status=status.HTTP_201_CREATED
        )


# --- kinds and campaigns -------------------------------------------------------------


class KindListAPI(ActivitiesAPIView):
    @extend_schema(
        tags=CATALOG,
        summary="The kinds of activity in use, with the figures each asks for",
        responses={200: KindOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        return Response(KindOutputSerializer(kinds_in_use(), many=True).data)


class CampaignListAPI(ActivitiesAPIView):
    @extend_schema(
        tags=CATALOG,
        summary="The campaigns your scope sees (national and local), with their editions",
        responses={200: CampaignOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        campaigns = campaigns_visible(scope=request.scope).prefetch_related("editions")
        return Response(CampaignOutputSerializer(campaigns, many=True).data)


# --- reported periods ----------------------------------------------------------------


class PeriodLockListAPI(ActivitiesAPIView):
    """Locks of the scope's subtree and of the organizations above it; locking a period."""

    required_perms = {"read": Perm.ACTIVITY_VIEW, "write": Perm.ACTIVITY_APPROVE}
    pagination_class = Pagination

    @extend_schema(
        tags=LOCKS,
        summary="List the reported-period locks that concern your scope (active first)",
        responses={200: PeriodLockOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        return self.paginated(period_locks(scope=request.scope), PeriodLockOutputSerializer)

    @extend_schema(
        tags=LOCKS,
        summary="Lock a reported period: activities of the subtree dated in it stop changing",
        request=PeriodLockInputSerializer,
        responses={201: PeriodLockOutputSerializer, **BAD_INPUT, **ERRORS},
    )
    def post(self, request):
        serializer = PeriodLockInputSerializer(data=request.data, context=self.context())
        serializer.is_valid(raise_exception=True)
        validated = serializer.validated_data
        lock = period_lock(
            actor=request.user,
            organization=validated.get("organization") or request.scope.organization,
            period=validated["period"],
            year=validated["year"],
            number=validated["number"],
        )
        lock = period_lock_get(scope=request.scope, pk=lock.pk)
        return Response(
            PeriodLockOutputSerializer(lock, context=self.context()).data, status=status.HTTP_201_CREATED
        )


class PeriodLockUnlockAPI(ActivitiesAPIView):
    """Unlocking is for an organization above the one that locked (a root unlocks its own)."""

    required_perms = {"read": Perm.ACTIVITY_VIEW, "write": Perm.ACTIVITY_APPROVE}

    def check_permissions(self, request):
        if request.user and request.user.is_authenticated and request.scope:
            self.object = period_lock_get(scope=request.scope, pk=self.kwargs["pk"])
        super().check_permissions(request)
        if not may_unlock(request.scope, self.object):
            raise PermissionDenied(
                _("%(org)s reported this period: an organization above it unlocks it.")
                % {"org": self.object.organization.name}
            )

    @extend_schema(
        tags=LOCKS,
        operation_id="v1_period_locks_unlock",
        summary="Unlock a reported period so that its activities can change (the reason is kept)",
        request=ReasonInputSerializer,
        responses={200: PeriodLockOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lock = period_unlock(actor=request.user, lock=self.object, reason=serializer.validated_data["reason"])
        lock = period_lock_get(scope=request.scope, pk=lock.pk)
        return Response(PeriodLockOutputSerializer(lock, context=self.context()).data)

"""Serializers of the reports API: a submission and its figures, the submit input."""

from decimal import Decimal

from django.urls import reverse
from rest_framework import serializers

from kexie.activities.serializers import OrganizationRefOutputSerializer
from kexie.people.serializers import CodeChoiceField
from kexie.reports.models import ReportPeriod, Submission
from kexie.reports.selectors import period_label
from kexie.reports.services import MAX_REMARKS
from kexie.statistics.definitions import all_definitions
from kexie.statistics.figures import json_number


class SubmitInputSerializer(serializers.Serializer):
    period = CodeChoiceField(choices=ReportPeriod.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(
        required=False, default=1, min_value=1, max_value=4, help_text="Which quarter or half (from 1)."
    )
    remarks = serializers.CharField(required=False, default="", allow_blank=True, max_length=MAX_REMARKS)


class ReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, help_text="Why the report is returned (kept and shown).")


class SubmissionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = OrganizationRefOutputSerializer()
    period = CodeChoiceField(choices=ReportPeriod.choices)
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    label = serializers.SerializerMethodField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    state = CodeChoiceField(choices=Submission.State.choices)
    state_display = serializers.CharField(source="get_state_display")
    remarks = serializers.CharField()
    submitted_by = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    reviewed_by = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField()

    def get_label(self, submission) -> str:
        return period_label(submission.period, submission.year, submission.number)

    def get_submitted_by(self, submission) -> str:
        return str(submission.submitted_by) if submission.submitted_by_id else ""

    def get_reviewed_by(self, submission) -> str:
        return str(submission.reviewed_by) if submission.reviewed_by_id else ""


class SubmissionDetailOutputSerializer(SubmissionOutputSerializer):
    figures = serializers.SerializerMethodField(
        help_text="Every figure: its value as submitted, today and the difference (a correction made "
        "after the report was submitted)."
    )

    def get_figures(self, submission) -> list[dict]:
        current = self.context["current"]
        rows = []
        for definition in all_definitions():
            submitted = submission.figures.get(definition.code)
            today = json_number(current.get(definition.code, 0))
            rows.append(
                {
                    "code": definition.code,
                    "name": str(definition.name),
                    "unit": str(definition.unit),
                    "submitted": None if submitted is None else json_number(submitted),
                    "current": today,
                    "difference": None
                    if submitted is None
                    else json_number(Decimal(str(today)) - Decimal(str(submitted))),
                }
            )
        return rows


class DocumentInputSerializer(serializers.Serializer):
    first_year = serializers.IntegerField(min_value=2000, max_value=2100)
    last_year = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=2000,
        max_value=2100,
        help_text="For a review of several years: the last year.",
    )
    month = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=12,
        help_text="For the monthly bulletin of that month of `first_year`.",
    )
    traditional = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="In Traditional characters (default: as the organization prefers).",
    )


class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = OrganizationRefOutputSerializer()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True)
    traditional = serializers.BooleanField()
    state = serializers.CharField(help_text="queued, running, done or failed.")
    progress = serializers.IntegerField(help_text="Percent written.")
    message = serializers.CharField(help_text="Why it failed, when it did.")
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    docx_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    def _url(self, document, fmt: str) -> str | None:
        if document.state != "done":
            return None

        return self.context["request"].build_absolute_uri(
            reverse("reports:document_download", args=[document.pk, fmt])
        )

    def get_docx_url(self, document) -> str | None:
        return self._url(document, "docx")

    def get_xlsx_url(self, document) -> str | None:
        return self._url(document, "xlsx")

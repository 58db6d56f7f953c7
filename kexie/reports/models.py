"""Reporting upward (层层上报): an association submits a period's figures to the
organization above it, which returns the report with a reason or accepts it.

A submission locks the period for the submitter's subtree (a `PeriodLock`, so activities of
the period cannot change) and keeps the figures as submitted (`figures`, every statistic
definition's value for the subtree). A return unlocks the period; a corrected resubmission
is a new submission, and the returned one stays as history. An accepted report's figures
are frozen: a correction made after an organization above unlocked the period again shows
as the difference between the accepted figures and today's, never as a silent change.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportPeriod(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half year")
    YEAR = "year", _("Year")


class Submission(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("report state", "Submitted")
        RETURNED = "returned", pgettext_lazy("report state", "Returned")
        ACCEPTED = "accepted", pgettext_lazy("report state", "Accepted")

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="report_submissions",
        verbose_name=_("organization"),
    )
    period = models.CharField(_("period"), max_length=16, choices=ReportPeriod)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number in the year"), default=1)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.SUBMITTED)
    remarks = models.TextField(_("remarks"), blank=True)
    # {"definition code": value} as submitted; a decimal value is kept as its text.
    figures = models.JSONField(_("figures as submitted"), default=dict)
    lock = models.ForeignKey(
        "activities.PeriodLock", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=255, blank=True)

    class Meta:
        ordering = ["-starts_on", "organization_id", "-submitted_at"]
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        constraints = [
            # One report of a period in progress or accepted; returned ones are history.
            models.UniqueConstraint(
                fields=["organization", "starts_on", "ends_on"],
                condition=~Q(state="returned"),
                name="report_submission_open_unique",
            ),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="report_submission_dates_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.starts_on}–{self.ends_on}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.SUBMITTED

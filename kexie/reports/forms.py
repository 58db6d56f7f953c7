"""The dashboard's choices (the period as on the statistics page, the figure of the trend
chart and the figure the child organizations are ranked by), and the reporting page's: the
period reported, and the remarks of a submission."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.orgs.forms import KexieForm
from kexie.reports.models import ReportPeriod
from kexie.reports.selectors import ReportingPeriod, last_ended
from kexie.reports.services import MAX_REMARKS
from kexie.statistics.definitions import all_definitions
from kexie.statistics.forms import FIRST_YEAR, StatisticsForm


class DashboardForm(StatisticsForm):
    rank = forms.ChoiceField(label=_("Rank the organizations by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rank"].choices = [("", "—"), *((d.code, d.name) for d in all_definitions())]

    def trend_code(self) -> str:
        return self._valid("trend", "")

    def rank_code(self) -> str:
        return self._valid("rank", "")


class ReportingPeriodForm(KexieForm):
    """Which period the reporting page shows: a quarter, a half year or a year. Malformed
    choices fall back to the last quarter that has ended."""

    period = forms.ChoiceField(label=_("Period"), choices=ReportPeriod.choices, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100, required=False)
    number = forms.IntegerField(label=_("Which one"), min_value=1, max_value=4, required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.year_choices = list(range(today.year, today.year - 15, -1))

    def clean(self):
        data = super().clean()
        period, number = data.get("period") or ReportPeriod.QUARTER, data.get("number") or 1
        limit = {ReportPeriod.QUARTER: 4, ReportPeriod.HALF_YEAR: 2, ReportPeriod.YEAR: 1}[period]
        if number > limit and "number" not in self.errors:
            self.add_error("number", _("There is no such period in the year."))
        return data

    def reporting_period(self) -> ReportingPeriod:
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("year"):
            return last_ended(ReportPeriod.QUARTER, self.today)
        data = self.cleaned_data
        period = data.get("period") or ReportPeriod.QUARTER
        return ReportingPeriod.of(period, data["year"], data.get("number") or 1)


class SubmitForm(KexieForm):
    period = forms.ChoiceField(choices=ReportPeriod.choices, widget=forms.HiddenInput)
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=2100, widget=forms.HiddenInput)
    number = forms.IntegerField(min_value=1, max_value=4, widget=forms.HiddenInput)
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=MAX_REMARKS,
        help_text=_("What the organization above should know about these figures (optional)."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REMARKS}),
    )


class DocumentForm(KexieForm):
    first_year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)
    last_year = forms.IntegerField(
        label=_("To year"),
        min_value=FIRST_YEAR,
        max_value=2100,
        required=False,
        help_text=_("For a review of several years (a five-year review for the congress): the last year."),
    )
    month = forms.TypedChoiceField(
        label=_("Or the bulletin of a month"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")] + [(m, _("Month %(month)s") % {"month": m}) for m in range(1, 13)],
    )
    traditional = forms.BooleanField(label=_("In Traditional characters"), required=False)

    def __init__(self, *args, today: date, **kwargs):
        kwargs["initial"] = {"first_year": today.year - 1, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.year_choices = list(range(today.year, FIRST_YEAR - 1, -1))[:15]


class SectionTextForm(KexieForm):
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_REMARKS,
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": MAX_REMARKS, "class": "font-monospace"}),
    )
    note = forms.CharField(label=_("What changed"), max_length=255, required=False)

"""The statistics page's choices: the organization, the period (a year, a quarter, a month or
a range of dates), the figures of the breakdown table and the figure of the trend chart.

Malformed choices never make an error page: the period falls back to this year to date and
the form says what was wrong."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kexie.orgs.forms import DateInput
from kexie.statistics.definitions import all_definitions, definitions_for, get_definition

# The figures the breakdown table and the trend chart show until the user chooses others.
HEADLINE = (
    "popsci_events",  # the first is the trend chart's
    "academic_events",
    "popsci_onsite_audience",
    "training_courses",
    "people_trained",
    "visits_made",
    "matchmaking_events",
    "problems_solved",
)
FIRST_YEAR = 2000
# A custom range longer than this is a typing mistake, and would make a trend of decades.
LONGEST_RANGE_DAYS = 366 * 5


def shift_year(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @property
    def dates(self) -> str:
        return gettext("%(start)s to %(end)s") % {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    def last_year(self) -> "Period":
        return Period(shift_year(self.start, -1), shift_year(self.end, -1), gettext("Same period last year"))


def _last_day_of_month(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def year_period(year: int, today: date) -> Period:
    return _to_date(
        Period(date(year, 1, 1), date(year, 12, 31), gettext("Year %(year)s") % {"year": year}), today
    )


def _to_date(period: Period, today: date) -> Period:
    """A period that has not ended yet counts up to today (so last year compares like with like)."""
    if period.start <= today < period.end:
        label = gettext("%(period)s, to date") % {"period": period.label}
        return Period(period.start, today, label)
    return period


def headline_codes() -> list[str]:
    return [definition.code for definition in definitions_for(HEADLINE)]


class StatisticsForm(forms.Form):
    org = forms.IntegerField(label=_("Organization"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Whole year"))]
        + [(q, _("Quarter %(quarter)s") % {"quarter": q}) for q in range(1, 5)],
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Any month"))] + [(m, _("Month %(month)s") % {"month": m}) for m in range(1, 13)],
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    cols = forms.MultipleChoiceField(label=_("Figures in the table"), required=False)
    trend = forms.ChoiceField(label=_("Figure of the chart"), required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        codes = [(d.code, d.name) for d in all_definitions()]
        self.fields["cols"].choices = codes
        self.fields["trend"].choices = [("", "—"), *codes]
        years = range(today.year, FIRST_YEAR - 1, -1)
        self.year_choices = list(years)[:15]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end) and "start" not in self.errors and "end" not in self.errors:
            self.add_error("start" if not start else "end", _("Give both the first and the last day."))
        elif start and end:
            if start > end:
                self.add_error("end", _("The last day is before the first day."))
            elif (end - start).days > LONGEST_RANGE_DAYS:
                self.add_error("end", _("Choose at most five years."))
        if data.get("month") and data.get("quarter"):
            data["quarter"] = None  # a month is the narrower choice
        return data

    def _valid(self, name, default=None):
        if not self.is_bound or (not self.is_valid() and name in self.errors):
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "", []) else value

    @property
    def period_is_valid(self) -> bool:
        return not self.is_bound or not ({"year", "quarter", "month", "start", "end"} & set(self.errors))

    def period(self) -> Period:
        """The chosen period; this year to date when nothing (valid) was chosen."""
        today = self.today
        if not self.period_is_valid:
            return year_period(today.year, today)
        data = self.cleaned_data if self.is_bound else {}
        if data.get("start") and data.get("end"):
            start, end = data["start"], data["end"]
            return Period(start, end, gettext("%(start)s to %(end)s") % {"start": start, "end": end})
        year = data.get("year") or today.year
        if data.get("month"):
            month = data["month"]
            period = Period(
                date(year, month, 1),
                _last_day_of_month(year, month),
                gettext("%(year)s-%(month)s") % {"year": year, "month": month},
            )
            return _to_date(period, today)
        if data.get("quarter"):
            quarter = data["quarter"]
            first = 3 * quarter - 2
            period = Period(
                date(year, first, 1),
                _last_day_of_month(year, first + 2),
                gettext("Quarter %(quarter)s of %(year)s") % {"quarter": quarter, "year": year},
            )
            return _to_date(period, today)
        return year_period(year, today)

    def period_params(self) -> dict:
        """The query parameters that choose this period again (for links and the page's
        other forms); none when nothing (valid) was chosen."""
        if not self.is_bound or not self.period_is_valid:
            return {}
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return {"start": data["start"].isoformat(), "end": data["end"].isoformat()}
        params = {"year": data.get("year") or self.today.year}
        if data.get("month"):
            params["month"] = data["month"]
        elif data.get("quarter"):
            params["quarter"] = data["quarter"]
        return params

    def organization_id(self):
        return self._valid("org")

    def table_codes(self) -> list[str]:
        return self._valid("cols") or headline_codes()

    def trend_definition(self):
        fallback = [code for code in HEADLINE if get_definition(code)] or [d.code for d in all_definitions()]
        return get_definition(self._valid("trend") or fallback[0])

"""The dashboard's choices: the period (as on the statistics page), the figure of the trend
chart and the figure the child organizations are ranked by."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.statistics.definitions import all_definitions
from kexie.statistics.forms import StatisticsForm


class DashboardForm(StatisticsForm):
    rank = forms.ChoiceField(label=_("Rank the organizations by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rank"].choices = [("", "—"), *((d.code, d.name) for d in all_definitions())]

    def trend_code(self) -> str:
        return self._valid("trend", "")

    def rank_code(self) -> str:
        return self._valid("rank", "")

    def period_params(self) -> list[tuple[str, object]]:
        """The query parameters that choose the period again (kept by the other forms)."""
        if not self.is_bound or not self.period_is_valid:
            return []
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return [("start", data["start"].isoformat()), ("end", data["end"].isoformat())]
        params = [("year", data["year"])] if data.get("year") else []
        if data.get("month"):
            params.append(("month", data["month"]))
        elif data.get("quarter"):
            params.append(("quarter", data["quarter"]))
        return params

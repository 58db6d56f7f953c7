"""The statistics pages: the figures of an organization's subtree for a period (by service,
against the same period last year), broken down by direct child organization and by month,
their .xlsx export, and the list of what every figure counts.

Every number comes from `selectors.statistic_values` over the registry's definitions, so the
page, the export and the API always agree; each figure links to the records it counts.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.roles import Perm
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.scoping import scoped
from kexie.orgs.filters import branch_choices
from kexie.statistics import exporting
from kexie.statistics.definitions import Aggregate, Definition, Service, all_definitions, definitions_for
from kexie.statistics.figures import Cell, breakdown_rows, by_service, comparisons, trend_chart
from kexie.statistics.forms import StatisticsForm
from kexie.statistics.selectors import Breakdown, records_url, statistic_values


def _choices(request):
    """The form, the organization (404 outside the scope) and the period the request asks for."""
    scope = request.scope
    form = StatisticsForm(request.GET or None, today=timezone.localdate())
    org_id = form.organization_id()
    organization = scope.get_organization(org_id) if org_id else scope.organization
    return form, organization, form.period()


@scoped(perm=Perm.STATISTICS_VIEW)
def overview(request):
    form, organization, period = _choices(request)
    last_period = period.last_year()
    definitions = all_definitions()
    table = statistic_values(
        organization=organization, definitions=definitions, start=period.start, end=period.end
    )
    last = statistic_values(
        organization=organization, definitions=definitions, start=last_period.start, end=last_period.end
    )
    chosen = definitions_for(form.table_codes())
    children = statistic_values(
        organization=organization,
        definitions=chosen,
        start=period.start,
        end=period.end,
        breakdown=Breakdown.CHILD,
    )
    trend = form.trend_definition()
    monthly = statistic_values(
        organization=organization,
        definitions=[trend],
        start=period.start,
        end=period.end,
        breakdown=Breakdown.MONTH,
    )
    monthly_last = statistic_values(
        organization=organization,
        definitions=[trend],
        start=last_period.start,
        end=last_period.end,
        breakdown=Breakdown.MONTH,
    )
    params = form.period_params()

    def drill(column):
        return f"{reverse('statistics:overview')}?{urlencode({**params, 'org': column.organization.pk})}"

    context = {
        "form": form,
        "organization": organization,
        "is_scope_root": organization.pk == request.scope.organization.pk,
        "org_choices": branch_choices(request.scope, include=organization),
        "period": period,
        "last_period": last_period,
        "groups": by_service(comparisons(table, last, period)),
        "chosen": chosen,
        "chosen_codes": [d.code for d in chosen],
        "breakdown": breakdown_rows(children, period, drill=drill),
        "breakdown_totals": [
            Cell(
                children.value(d.code),
                records_url(d, organization=organization, start=period.start, end=period.end),
            )
            for d in chosen
        ],
        "trend": trend,
        "trend_chart": trend_chart(trend, monthly, monthly_last),
        "monthly": [
            (
                column.label,
                monthly.value(trend.code, column.key),
                monthly_last.value(trend.code, last_column.key),
            )
            for column, last_column in zip(monthly.columns, monthly_last.columns, strict=False)
        ],
        "definitions": definitions,
        "export_query": urlencode({**params, "org": organization.pk}),
        "year_choices": form.year_choices,
        "keep": _kept(form, params, organization),
    }
    return render(request, "statistics/overview.html", context)


def _kept(form: StatisticsForm, params: dict, organization) -> dict:
    """For each of the page's forms, the other choices it carries along as hidden fields."""
    org = [("org", organization.pk)]
    period = list(params.items())
    cols = [("cols", code) for code in form.cleaned_data.get("cols", [])] if form.is_bound else []
    trend_code = form.cleaned_data.get("trend") if form.is_bound else ""
    trend = [("trend", trend_code)] if trend_code else []
    return {
        "org": period + cols + trend,
        "period": org + cols + trend,
        "cols": org + period + trend,
        "trend": org + period + cols,
    }


@scoped(perm=Perm.STATISTICS_VIEW)
def export(request):
    """The page as .xlsx: the figures against last year, by child organization, by month."""
    _form, organization, period = _choices(request)
    last_period = period.last_year()
    definitions = all_definitions()
    values = {
        breakdown: statistic_values(
            organization=organization,
            definitions=definitions,
            start=period.start,
            end=period.end,
            breakdown=breakdown,
        )
        for breakdown in (Breakdown.NONE, Breakdown.CHILD, Breakdown.MONTH)
    }
    last = statistic_values(
        organization=organization, definitions=definitions, start=last_period.start, end=last_period.end
    )
    content = exporting.statistics_workbook(
        organization=organization,
        period=period,
        last_period=last_period,
        figures=comparisons(values[Breakdown.NONE], last, period),
        by_child=values[Breakdown.CHILD],
        by_month=values[Breakdown.MONTH],
    )
    record(
        request.user,
        "statistics.export",
        None,
        org_path=organization.path,
        organization=organization.pk,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
    )
    name = _("statistics")
    return xlsx.download(content, f"{organization.display_name}-{name}-{period.start}-{period.end}")


@scoped(perm=Perm.STATISTICS_VIEW)
def definitions(request):
    """What every figure counts and how, grouped by service."""
    groups = []
    for service in Service:
        rows = [d for d in all_definitions() if d.service == service.value]
        if rows:
            groups.append((str(service.label), [(d, aggregation(d)) for d in rows]))
    return render(request, "statistics/definitions.html", {"groups": groups})


def aggregation(definition: Definition) -> str:
    """How a definition aggregates its records, in words: "Number of records", "Sum of: …"."""
    if definition.aggregate in (Aggregate.COUNT, Aggregate.SHARE):
        return str(Aggregate(definition.aggregate).label)
    model = definition.source.queryset().model
    if definition.aggregate == Aggregate.MEDIAN:
        start, end = (str(model._meta.get_field(name).verbose_name) for name in definition.span)
        return _("Median hours from “%(start)s” to “%(end)s”") % {"start": start, "end": end}
    field = str(model._meta.get_field(definition.field).verbose_name)
    if definition.aggregate == Aggregate.SUM:
        return _("Sum of “%(field)s”") % {"field": field}
    if definition.aggregate == Aggregate.MEAN:
        return _("Mean of “%(field)s”") % {"field": field}
    return _("Number of distinct “%(field)s”") % {"field": field}

"""Computing statistic definitions for a subtree and a period, in total or broken down by
direct child organization or by month.

One query per source (all its definitions as conditional aggregates of the same rows),
one per distinct-people definition, and one for the children's names: the number of
queries depends on the definitions asked for, never on the number of organizations.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse

from kexie.orgs.models import PATH_SEGMENT, Organization, path_upper_bound
from kexie.statistics.definitions import Aggregate, Definition, all_definitions

OWN = "own"  # the breakdown column of the subtree's own organization


class Breakdown:
    NONE = ""
    CHILD = "child"
    MONTH = "month"
    CHOICES = (NONE, CHILD, MONTH)


@dataclass
class Column:
    """One column of a breakdown: a child organization (or the root itself), or a month."""

    key: object
    label: str
    organization: Organization | None = None
    month: date | None = None


@dataclass
class StatTable:
    organization: Organization
    start: date
    end: date
    breakdown: str
    definitions: list[Definition]
    columns: list[Column] = field(default_factory=list)
    # values[code][column key] and totals[code]; a figure with no records is 0.
    values: dict[str, dict] = field(default_factory=dict)
    totals: dict[str, int | Decimal] = field(default_factory=dict)

    def value(self, code: str, key=None):
        if key is None:
            return self.totals.get(code, 0)
        return self.values.get(code, {}).get(key, 0)

    def rows(self):
        """(definition, total, [value per column]) in definition order, for templates."""
        for definition in self.definitions:
            yield (
                definition,
                self.totals[definition.code],
                [self.value(definition.code, c.key) for c in self.columns],
            )


def _aggregate(definition: Definition):
    condition = definition.condition if definition.condition else None
    if definition.aggregate == Aggregate.SUM:
        return Sum(definition.field, filter=condition)
    if definition.aggregate == Aggregate.DISTINCT:
        return Count(definition.field, filter=condition, distinct=True)
    return Count("pk", filter=condition)


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _months(start: date, end: date) -> list[date]:
    months, month = [], date(start.year, start.month, 1)
    while month <= end:
        months.append(month)
        month = _next_month(month)
    return months


def _month_key(value) -> date:
    return date(value.year, value.month, 1)


def statistic_values(
    *,
    organization: Organization,
    definitions: list[Definition] | None = None,
    start: date,
    end: date,
    breakdown: str = Breakdown.NONE,
) -> StatTable:
    """The definitions' values for the organization's subtree between start and end
    (inclusive). The caller has checked that the organization is in the user's scope."""
    definitions = definitions if definitions is not None else all_definitions()
    table = StatTable(organization, start, end, breakdown, definitions)
    root = organization.path
    upper = path_upper_bound(root)
    groups: dict[tuple, list[Definition]] = {}
    for definition in definitions:
        key = (definition.source.code, definition.code if definition.own_query else "")
        groups.setdefault(key, []).append(definition)
    for group in groups.values():
        source = group[0].source
        org_path = f"{source.organization}__path"
        rows = source.queryset().filter(
            **{
                f"{org_path}__gte": root,
                f"{org_path}__lt": upper,
                f"{source.date_field}__gte": start,
                f"{source.date_field}__lte": end,
            }
        )
        aggregates = {definition.code: _aggregate(definition) for definition in group}
        if breakdown == Breakdown.CHILD:
            grouped = rows.annotate(_key=Substr(org_path, 1, len(root) + PATH_SEGMENT)).values("_key")
        elif breakdown == Breakdown.MONTH:
            grouped = rows.annotate(_key=TruncMonth(source.date_field)).values("_key")
        else:
            grouped = None
        if grouped is None or group[0].own_query:
            # A distinct count's total is not the sum of its columns (one expert who spoke
            # in two counties is one expert of the city): it is counted over all the rows.
            result = rows.aggregate(**aggregates)
            for definition in group:
                table.totals[definition.code] = result[definition.code] or 0
            if grouped is None:
                continue
        for row in grouped.annotate(**aggregates).order_by():
            key = row["_key"]
            key = (OWN if key == root else key) if breakdown == Breakdown.CHILD else _month_key(key)
            for definition in group:
                table.values.setdefault(definition.code, {})[key] = row[definition.code] or 0
    if breakdown == Breakdown.CHILD:
        children = Organization.objects.filter(parent=organization).order_by("path")
        table.columns = [Column(OWN, organization.short_name or organization.name, organization)] + [
            Column(child.path, child.short_name or child.name, child) for child in children
        ]
    elif breakdown == Breakdown.MONTH:
        table.columns = [
            Column(month, f"{month.year}年{month.month}月", month=month) for month in _months(start, end)
        ]
    if breakdown:
        for definition in definitions:
            if not definition.own_query:
                table.totals[definition.code] = sum(table.values.get(definition.code, {}).values(), 0)
    for definition in definitions:
        table.totals.setdefault(definition.code, 0)
    return table


def records_url(
    definition: Definition, *, organization: Organization, start: date, end: date, column=None
) -> str:
    """The list of records behind a figure (of one column of a breakdown, when given)."""
    if not definition.source.records_url:
        return ""
    params = {"stat": definition.code, "from": start.isoformat(), "to": end.isoformat()}
    if column is not None and column.organization is not None and column.key != OWN:
        params["org"] = column.organization.pk
    elif column is not None and column.month is not None:
        last_day = date.fromordinal(_next_month(column.month).toordinal() - 1)
        params["from"] = max(start, column.month).isoformat()
        params["to"] = min(end, last_day).isoformat()
        params["org"] = organization.pk
    else:
        params["org"] = organization.pk
    if column is not None and column.key == OWN:
        params["own"] = "1"
    return f"{reverse(definition.source.records_url)}?{urlencode(params)}"


def records_of(
    definition: Definition, *, organization: Organization, start: date, end: date, own: bool = False
):
    """The records a figure counts, as a queryset of its source (for the list it links to)."""
    source = definition.source
    org_path = f"{source.organization}__path"
    rows = source.queryset().filter(**{f"{source.date_field}__gte": start, f"{source.date_field}__lte": end})
    if own:
        rows = rows.filter(**{org_path: organization.path})
    else:
        rows = rows.filter(
            **{f"{org_path}__gte": organization.path, f"{org_path}__lt": path_upper_bound(organization.path)}
        )
    if definition.condition:
        rows = rows.filter(definition.condition)
    if definition.aggregate == Aggregate.SUM:
        rows = rows.filter(Q(**{f"{definition.field}__gt": 0}))
    if definition.aggregate == Aggregate.DISTINCT:
        # The records that have at least one of the counted values (an activity with a speaker).
        return rows.filter(**{f"{definition.field}__isnull": False}).distinct()
    return rows

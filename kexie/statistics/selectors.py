"""Computing statistic definitions for a subtree and a period, in total or broken down by
direct child organization or by month.

One query per source (all its definitions as conditional aggregates of the same rows),
one per distinct-people, mean or share definition (its breakdown and its total together;
a median reads the spans and takes the middle in Python), and one for the
children's names: the number of queries depends on the definitions asked for, never on the
number of organizations.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connections
from django.db.models import Avg, CharField, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Cast, Substr
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


def _distinct_counts(rows, key, definition: Definition) -> tuple[dict, int]:
    """A distinct count per breakdown key and over all the keys, in one query.

    The (key, value) pairs are made distinct, then each value is credited to its smallest
    key as well: the number of pairs per key is the key's count, and the number of values
    credited to a key summed over the keys is the total (one expert who spoke in two
    counties is one expert of the city).
    """
    pairs = rows.filter(definition.condition) if definition.condition else rows
    pairs = (
        pairs.annotate(_key=key, _value=F(definition.field))
        .filter(_value__isnull=False)
        .values("_key", "_value")
        .distinct()
        .order_by()
    )
    inner, params = pairs.query.sql_with_params()  # Django's SQL; the values stay parameters
    sql = (
        'SELECT "_key", COUNT(*), SUM(CASE WHEN "_key" = "_first" THEN 1 ELSE 0 END) '  # noqa: S608
        'FROM (SELECT "_key", "_value", MIN("_key") OVER (PARTITION BY "_value") AS "_first" '
        f'FROM ({inner}) "_pairs") "_ranked" GROUP BY "_key"'
    )
    counts, total = {}, 0
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(sql, params)
        for row_key, count, first in cursor.fetchall():
            counts[row_key] = count
            total += first
    return counts, total


ONE_PLACE = Decimal("0.1")


def _one_place(value) -> Decimal | int:
    """A mean, share or median as shown: one decimal place (0 when there is nothing)."""
    if value is None:
        return 0
    return _number(Decimal(str(value)).quantize(ONE_PLACE))


def _median_hours(durations: list) -> Decimal | int:
    if not durations:
        return 0
    hours = sorted(duration.total_seconds() / 3600 for duration in durations)
    middle = len(hours) // 2
    value = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    return _one_place(value)


def _computed(rows, key, definition: Definition) -> tuple[dict, Decimal | int]:
    """A mean, a share (per cent) or a median (hours) per breakdown key and over all the
    records: the total is the figure of all the records, not a sum of the columns."""
    rows = rows.filter(definition.condition) if definition.condition else rows
    if definition.aggregate == Aggregate.MEDIAN:
        start, end = definition.span
        spans = rows.filter(**{f"{start}__isnull": False, f"{end}__isnull": False}).annotate(
            _span=ExpressionWrapper(F(end) - F(start), output_field=DurationField())
        )
        if key is None:
            return {}, _median_hours(list(spans.values_list("_span", flat=True)))
        by_key: dict = {}
        for row_key, span in spans.annotate(_key=key).values_list("_key", "_span"):
            by_key.setdefault(row_key, []).append(span)
        everything = [span for spans_of_key in by_key.values() for span in spans_of_key]
        return {k: _median_hours(v) for k, v in by_key.items()}, _median_hours(everything)
    if definition.aggregate == Aggregate.MEAN:
        aggregates = {"_value": Avg(definition.field)}
    else:  # SHARE
        aggregates = {"_all": Count("pk"), "_part": Count("pk", filter=definition.numerator)}

    def figure(result) -> Decimal | int:
        if definition.aggregate == Aggregate.MEAN:
            return _one_place(result["_value"])
        return _one_place(result["_part"] * 100 / result["_all"]) if result["_all"] else 0

    total = figure(rows.aggregate(**aggregates))
    if key is None:
        return {}, total
    grouped = rows.annotate(_key=key).values("_key").annotate(**aggregates).order_by()
    return {row["_key"]: figure(row) for row in grouped}, total


def _number(value) -> int | Decimal:
    """A figure as shown: 0 for no records, a decimal sum without the trailing zeros the
    database may add (717.2, not 717.200000000000; 700, not 7E+2)."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return value


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _months(start: date, end: date) -> list[date]:
    months, month = [], date(start.year, start.month, 1)
    while month <= end:
        months.append(month)
        month = _next_month(month)
    return months


def _column_key(breakdown: str, root: str, value):
    """The column a grouped row belongs to: the child's path (OWN for the root itself), or
    the first day of the month (from the “YYYY-MM” the query groups by)."""
    if breakdown == Breakdown.CHILD:
        return OWN if value == root else value
    if isinstance(value, str):  # “YYYY-MM”
        return date(int(value[:4]), int(value[5:7]), 1)
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
        if breakdown == Breakdown.CHILD:
            key = Substr(org_path, 1, len(root) + PATH_SEGMENT)
        elif breakdown == Breakdown.MONTH:
            # “YYYY-MM” of the date's text: the same on both databases, and on SQLite a
            # built-in function rather than Django's date_trunc, a Python callback per row
            # (40 ms of a city's year at scale L).
            key = Substr(Cast(source.date_field, CharField()), 1, 7)
        else:
            key = None
        if group[0].own_query and group[0].aggregate != Aggregate.DISTINCT:
            definition = group[0]
            values, table.totals[definition.code] = _computed(rows, key, definition)
            table.values[definition.code] = {_column_key(breakdown, root, k): n for k, n in values.items()}
            continue
        if key is not None and group[0].own_query:
            definition = group[0]
            counts, table.totals[definition.code] = _distinct_counts(rows, key, definition)
            table.values[definition.code] = {_column_key(breakdown, root, k): n for k, n in counts.items()}
            continue
        aggregates = {definition.code: _aggregate(definition) for definition in group}
        if key is None:
            result = rows.aggregate(**aggregates)
            for definition in group:
                table.totals[definition.code] = _number(result[definition.code])
            continue
        for row in rows.annotate(_key=key).values("_key").annotate(**aggregates).order_by():
            column = _column_key(breakdown, root, row["_key"])
            for definition in group:
                table.values.setdefault(definition.code, {})[column] = _number(row[definition.code])
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

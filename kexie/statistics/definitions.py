"""The registry of statistic definitions: one definition per figure, used by the statistics
page, its .xlsx export, the API and (later) the dashboard and the annual report alike.

A definition says which records it counts (a `Source` and a condition on them), how it
aggregates them (count, sum of a field, distinct values of a field) and which of the four
services it belongs to. Apps declare theirs in their own `statistics.py`, which this app
imports at start-up (apps.StatisticsConfig.ready).
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _


class Service(TextChoices):
    """The four services (四服务) reports are organized by, and the network's own building."""

    WORKERS = "workers", _("Serving S&T workers")
    INNOVATION = "innovation", _("Serving innovation-driven development")
    LITERACY = "literacy", _("Serving civic science literacy")
    DECISION = "decision", _("Serving decision-making")
    NETWORK = "network", _("Building the organization")


class Aggregate(TextChoices):
    COUNT = "count", _("Number of records")
    SUM = "sum", _("Sum of a figure")
    DISTINCT = "distinct", _("Number of distinct people")
    MEAN = "mean", _("Mean of a figure")
    SHARE = "share", _("Share of the records, in per cent")
    MEDIAN = "median", _("Median time, in hours")


# Figures that are not sums over the records: a total is computed over all the records,
# never added up from the columns of a breakdown.
COMPUTED = frozenset({Aggregate.DISTINCT, Aggregate.MEAN, Aggregate.SHARE, Aggregate.MEDIAN})


@dataclass(frozen=True)
class Source:
    """A kind of record statistics count: where its rows are, which organization they
    belong to (a path to an Organization foreign key), the date that places them in a
    period, and the list page that shows the records behind a figure."""

    code: str
    name: object
    queryset: Callable[[], QuerySet]
    date_field: str
    organization: str = "organization"
    # The URL name of the records' list page; it takes stat, from, to and org parameters.
    records_url: str = ""


@dataclass(frozen=True)
class Definition:
    code: str
    name: object  # lazy translation
    unit: object
    service: str
    source: Source
    description: object
    aggregate: str = Aggregate.COUNT
    field: str = ""  # the summed or averaged field, or the field whose distinct values are counted
    condition: Q = dataclasses.field(default_factory=Q)
    # SHARE: the records (of those the condition selects) that count towards the share.
    numerator: Q = dataclasses.field(default_factory=Q)
    # MEDIAN: the start and end datetimes of the time measured (e.g. ordered → dispatched).
    span: tuple[str, str] = ("", "")

    @property
    def own_query(self) -> bool:
        """Distinct counts join many-to-many rows, which would repeat the records other
        figures sum; means, shares and medians are not sums: each runs in a query of its
        own, and its total is computed over all the records."""
        return self.aggregate in COMPUTED


_REGISTRY: dict[str, Definition] = {}


def register(*definitions: Definition) -> None:
    for definition in definitions:
        if definition.code in _REGISTRY and _REGISTRY[definition.code] != definition:
            raise ValueError(f"statistic {definition.code!r} is defined twice")
        _REGISTRY[definition.code] = definition


def all_definitions() -> list[Definition]:
    """Every definition, grouped by service in the order of `Service`, then as declared."""
    order = {value: index for index, value in enumerate(Service.values)}
    return sorted(_REGISTRY.values(), key=lambda d: order[d.service])


def get_definition(code: str) -> Definition | None:
    return _REGISTRY.get(code)


def definitions_for(codes) -> list[Definition]:
    """The definitions with these codes (unknown codes ignored), in registry order."""
    wanted = set(codes)
    return [definition for definition in all_definitions() if definition.code in wanted]

"""Reading the audit log, scoped like every other read.

An event belongs to the organization path it was recorded with. Events that belong to no
organization (logins, lockouts, account changes) have an empty path: only auditors whose
scope is a root organization of the network see those.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from kexie.orgs.models import path_upper_bound

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    date_from: date | None = None  # inclusive, local (Asia/Shanghai) calendar days
    date_to: date | None = None  # inclusive
    actor: str = ""  # part of the username
    action: str = ""  # prefix: "auth." finds every login event
    object_type: str = ""  # exact app_label.model
    outcome: str = ""
    request_id: str = ""
    text: str = ""  # part of the object's name as recorded


def audit_events_in_scope(*, scope) -> QuerySet:
    root = scope.organization
    visible = Q(org_path__gte=root.path, org_path__lt=path_upper_bound(root.path))
    if root.depth == 0:
        visible |= Q(org_path="")
    return AuditEvent.objects.filter(visible)


def audit_event_list(*, scope, filters: AuditFilter) -> QuerySet:
    events = audit_events_in_scope(scope=scope)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.actor:
        events = events.filter(actor_username__icontains=filters.actor)
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.request_id:
        events = events.filter(request_id=filters.request_id)
    if filters.text:
        events = events.filter(object_repr__icontains=filters.text)
    return events.order_by("-occurred_at", "-id")


def audit_object_types() -> list[tuple[str, str]]:
    """(object_type, name) of every kind of object our apps record events about.

    Taken from the model registry rather than the table: a DISTINCT over millions of
    audit rows would be the slowest part of the page."""
    return sorted(
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in apps.get_models()
        if model.__module__.startswith("kexie.") and model is not AuditEvent
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))

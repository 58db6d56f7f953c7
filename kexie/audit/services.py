"""Writing audit records. Services call `record()` inside their own transaction."""

from typing import Any

from django.db import models

from kexie.core import context
from kexie.core.masking import mask_id_number, mask_phone

from .models import AuditEvent

# Values of these fields never reach the audit log in clear.
_MASKERS = {
    "contact_phone": mask_phone,
    "phone": mask_phone,
    "mobile": mask_phone,
    "id_number": mask_id_number,
}
_SECRET_FIELDS = {"password", "token", "secret"}


def _clean(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_clean(item) for item in value]
    return str(value)


def mask_changes(changes: dict[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    masked = {}
    for field, (old, new) in changes.items():
        if field in _SECRET_FIELDS:
            masked[field] = ["***", "***"]
            continue
        masker = _MASKERS.get(field)
        old, new = _clean(old), _clean(new)
        if masker:
            old, new = masker(old or ""), masker(new or "")
        masked[field] = [old, new]
    return masked


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, tuple[Any, Any]] | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    org_path: str | None = None,
    username: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one audit record. Call it inside the transaction of the write it describes."""
    event = _event(actor, action, obj, changes=changes, outcome=outcome, org_path=org_path, username=username)
    event.detail = {key: _clean(value) for key, value in detail.items()}
    event.save(force_insert=True)
    return event


def record_many(actor, entries: list[tuple[str, models.Model, dict]]) -> list[AuditEvent]:
    """Append several audit records of one write in one insert: (action, object, changes)
    each, as `record` writes them (for writes of many objects at once, such as imports)."""
    events = [_event(actor, action, obj, changes=changes) for action, obj, changes in entries]
    return AuditEvent.objects.bulk_create(events)


def _event(
    actor,
    action: str,
    obj: models.Model | None,
    *,
    changes: dict[str, tuple[Any, Any]] | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    org_path: str | None = None,
    username: str = "",
) -> AuditEvent:
    request = context.current()
    if org_path is None:
        org_path = _org_path_of(obj)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if is_user else None,
        actor_username=(actor.get_username() if is_user else username)[:150],
        ip_address=request.ip_address,
        request_id=request.request_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        org_path=org_path or "",
        changes=mask_changes(changes or {}),
        detail={},
        outcome=outcome,
    )


def _org_path_of(obj) -> str:
    if obj is None:
        return ""
    path = getattr(obj, "path", None)
    if isinstance(path, str):
        return path
    organization = getattr(obj, "organization", None)
    return getattr(organization, "path", "") or ""

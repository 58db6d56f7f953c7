"""The audit log, for audit administrators only (三员分立: nobody else reads it, not even the
system or security administrators whose work it records).

There is deliberately no page, form or API that changes or deletes an audit record; the
database refuses it too (triggers.py).
"""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kexie.accounts.roles import Perm
from kexie.core import xlsx
from kexie.core.scoping import scoped

from . import selectors
from .models import AuditEvent
from .services import record

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the log is read in Beijing time, whatever the server's zone
PAGE_SIZE = 50
CHANGES_SHOWN = 3
EXPORT_ROW_LIMIT = 50_000


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.CharField(label=gettext_lazy("User"), max_length=150, required=False)
    action = forms.CharField(label=gettext_lazy("Action"), max_length=64, required=False)
    object_type = forms.ChoiceField(label=gettext_lazy("Object type"), required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("", gettext_lazy("Any outcome")), *AuditEvent.Outcome.choices],
    )
    request_id = forms.CharField(label=gettext_lazy("Request id"), max_length=36, required=False)
    q = forms.CharField(label=gettext_lazy("Object"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Any type")), *selectors.audit_object_types()]

    def to_filter(self) -> selectors.AuditFilter:
        if not self.is_bound:
            return selectors.AuditFilter()
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }
        return selectors.AuditFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actor=(data.get("actor") or "").strip(),
            action=(data.get("action") or "").strip(),
            object_type=data.get("object_type") or "",
            outcome=data.get("outcome") or "",
            request_id=(data.get("request_id") or "").strip(),
            text=(data.get("q") or "").strip(),
        )


@require_safe
@scoped(perm=Perm.AUDIT_VIEW)
def event_list(request):
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_event_list(scope=request.scope, filters=form.to_filter())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        rows = _change_rows(event)
        # The list shows the first few changed fields; the record's page shows them all.
        event.change_rows, event.changes_hidden = rows[:CHANGES_SHOWN], len(rows[CHANGES_SHOWN:])
    context = {
        "form": form,
        "page_obj": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "audit/_table.html" if partial else "audit/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@scoped(perm=Perm.AUDIT_VIEW)
def event_detail(request, pk):
    event = get_object_or_404(
        selectors.audit_events_in_scope(scope=request.scope).select_related("actor"), pk=pk
    )
    event.change_rows = _change_rows(event)
    return render(request, "audit/detail.html", {"event": event})


@require_safe
@scoped(perm=Perm.AUDIT_VIEW)
def event_export(request):
    """The filtered log as .xlsx. Exporting the log is itself an audit event."""
    scope = request.scope
    events = selectors.audit_event_list(scope=scope, filters=AuditFilterForm(request.GET or None).to_filter())
    rows = events.count()
    query = request.GET.copy()
    query.pop("page", None)
    if rows > EXPORT_ROW_LIMIT:
        messages.error(
            request,
            _("%(rows)s records match; an export holds at most %(limit)s. Narrow the filters first.")
            % {"rows": rows, "limit": EXPORT_ROW_LIMIT},
        )
        return redirect(f"{reverse('audit:list')}?{query.urlencode()}")
    headers = [
        _("Time"),
        _("User"),
        _("IP address"),
        _("Action"),
        _("Action code"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Changed fields"),
        _("Detail"),
        _("Outcome"),
        _("Request id"),
    ]
    content = xlsx.workbook(
        headers, (_row(event) for event in events.iterator(chunk_size=1000)), title=_("Audit log")
    )
    record(
        request.user,
        "audit.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        filters=query.urlencode(),
    )
    return xlsx.download(content, _("Audit log"))


def _row(event: AuditEvent) -> list:
    return [
        timezone.localtime(event.occurred_at, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
        event.actor_username,
        event.ip_address,
        event.action_label,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        "; ".join(f"{field}: {old} → {new}" for field, old, new in _change_rows(event)),
        "; ".join(f"{key}={value}" for key, value in (event.detail or {}).items()),
        event.get_outcome_display(),
        event.request_id,
    ]


def _change_rows(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(field, old, new) as shown; values were masked when the record was written."""
    rows = []
    for field, value in (event.changes or {}).items():
        old, new = value if isinstance(value, (list, tuple)) and len(value) == 2 else (None, value)
        rows.append((field, _shown(old), _shown(new)))
    return rows


def _shown(value) -> str:
    return "—" if value is None or value == "" else str(value)

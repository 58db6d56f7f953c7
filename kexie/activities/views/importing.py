"""Importing activities from .xlsx: template, upload, preview, apply (names: activities:import…).

As the organization import (kexie/orgs/views/importing.py): an upload is read and kept in the
user's session under a one-time token; the preview checks every row again (the network, the
locks or the activities may have changed meanwhile) and offers to apply only when no row
has a problem and at least one row is new. Applying consumes the token.
"""

import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kexie.accounts.roles import Perm
from kexie.activities import importing
from kexie.activities.models import Status
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped
from kexie.orgs.forms import ImportUploadForm

SESSION_KEY = "activities.imports"
PENDING_KEPT = 3  # uploads waiting for their preview, per session
TABLE_LIMIT = 500  # rows the preview's table shows (those with problems first)


def _pending(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _keep(request, sheet: importing.Sheet) -> str:
    token = secrets.token_hex(16)
    pending = dict(list(_pending(request).items())[-(PENDING_KEPT - 1) :])
    pending[token] = {"organization": request.scope.organization.pk, "sheet": sheet.to_payload()}
    request.session[SESSION_KEY] = pending
    return token


def _forget(request, token: str) -> None:
    pending = _pending(request)
    if token in pending:
        request.session[SESSION_KEY] = {key: value for key, value in pending.items() if key != token}


@scoped(perm=Perm.ACTIVITY_CHANGE)
def import_template(request):
    content = importing.template_workbook(scope=request.scope)
    return xlsx.download(content, _("activity-import-template"))


@scoped(perm=Perm.ACTIVITY_CHANGE)
def import_upload(request):
    form = ImportUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheet = importing.sheet_read(upload.read(), upload.name)
        except importing.SheetError as error:
            for message in error.problems:
                form.add_error("file", message)
        else:
            return redirect("activities:import_preview", token=_keep(request, sheet))
    columns = [column for column in importing.COLUMNS if not column.figure]
    figures = [column for column in importing.COLUMNS if column.figure]
    return render(
        request,
        "activities/import.html",
        {"form": form, "columns": columns, "figures": figures, "max_rows": importing.MAX_ROWS},
    )


@scoped(perm=Perm.ACTIVITY_CHANGE)
def import_preview(request, token):
    """GET: every row with its problems. POST: apply them all, if none has a problem."""
    scope = request.scope
    pending = _pending(request).get(token)
    if pending is None or pending["organization"] != scope.organization.pk:
        messages.warning(
            request,
            _(
                "This import is no longer waiting: it has already been applied, or was uploaded while you "
                "worked in another organization. Upload the file again if needed."
            ),
        )
        return redirect("activities:import")
    sheet = importing.Sheet.from_payload(pending["sheet"])
    apply_problems: list[str] = []
    if request.method == "POST":
        try:
            created = importing.sheet_apply(actor=request.user, scope=scope, sheet=sheet, token=token)
        except importing.SheetError as error:
            apply_problems = error.problems
        except DomainError as error:  # already applied, e.g. from another tab
            _forget(request, token)
            messages.warning(request, str(error))
            return redirect("activities:import")
        else:
            _forget(request, token)
            count = len(created)
            imported = ngettext(
                "%(count)s activity has been imported.",
                "%(count)s activities have been imported.",
                count,
            )
            messages.success(request, imported % {"count": count})
            return redirect("activities:list")
    check = importing.sheet_check(scope=scope, sheet=sheet)
    return render(
        request,
        "activities/import_preview.html",
        {
            "token": token,
            "check": check,
            "headers": [check.column_label(key) for key in sheet.keys],
            "table": _table(check),
            "table_limited": len(check.rows) > TABLE_LIMIT,
            "table_limit": TABLE_LIMIT,
            "apply_problems": apply_problems,
        },
    )


def _table(check: importing.SheetCheck) -> list[dict]:
    """The preview's rows, cell by cell in the file's column order, with each cell's problems."""
    statuses = dict(Status.choices)
    shown = check.rows
    if len(shown) > TABLE_LIMIT:
        invalid = [row for row in shown if not row.is_valid][:TABLE_LIMIT]
        others = [row for row in shown if row.is_valid][: TABLE_LIMIT - len(invalid)]
        shown = sorted(invalid + others, key=lambda row: row.number)
    rows = []
    for row in shown:
        cells = []
        for key in check.sheet.keys:
            note = row.notes.get(key, "")
            if key == "organizer" and not row.values.get(key) and row.organizer is not None:
                note = row.organizer.name
            cells.append({"value": row.values.get(key, ""), "errors": row.errors.get(key, []), "note": note})
        rows.append(
            {
                "number": row.number,
                "status": row.status,
                "target": statuses.get(row.target, ""),
                "problem_count": sum(len(found) for found in row.errors.values()),
                "row_errors": row.errors.get(importing.ROW_PROBLEM, []),
                "cells": cells,
            }
        )
    return rows

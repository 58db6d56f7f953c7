"""Importing organizations from .xlsx: template, upload, preview, apply.

An upload is read and kept in the user's session under a one-time token; the preview checks
every row again (the network may have changed meanwhile) and offers to apply only when no
row has a problem. Applying consumes the token, so re-posting it does nothing.
"""

import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kexie.accounts.roles import Perm
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped

from .. import importing
from ..forms import ImportUploadForm
from ..models import Kind

SESSION_KEY = "orgs.imports"
PENDING_KEPT = 3  # uploads waiting for their preview, per session


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


@scoped(perm=Perm.ORG_MANAGE)
def import_template(request):
    return xlsx.download(importing.template_workbook(), _("organization-import-template"))


@scoped(perm=Perm.ORG_MANAGE)
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
            return redirect("orgs:import_preview", token=_keep(request, sheet))
    return render(
        request,
        "orgs/import.html",
        {"form": form, "columns": importing.COLUMNS, "max_rows": importing.MAX_ROWS},
    )


@scoped(perm=Perm.ORG_MANAGE)
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
        return redirect("orgs:import")
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
            return redirect("orgs:import")
        else:
            _forget(request, token)
            count = len(created)
            imported = ngettext(
                "%(count)s organization has been imported.",
                "%(count)s organizations have been imported.",
                count,
            )
            messages.success(request, imported % {"count": count})
            return redirect("orgs:list")
    check = importing.sheet_check(scope=scope, sheet=sheet)
    return render(
        request,
        "orgs/import_preview.html",
        {
            "token": token,
            "check": check,
            "headers": [check.column_label(key) for key in sheet.keys],
            "table": _table(check),
            "apply_problems": apply_problems,
        },
    )


def _table(check: importing.SheetCheck) -> list[dict]:
    """The preview's rows, cell by cell in the file's column order, with each cell's problems."""
    rows = []
    for row in check.rows:
        cells = []
        for key in check.sheet.keys:
            note = ""
            if key == "parent":
                note = row.parent_label
            elif key == "kind" and row.kind and row.values.get("kind") != Kind(row.kind).label:
                note = Kind(row.kind).label  # what a code such as "society" was read as
            cells.append({"value": row.values.get(key, ""), "errors": row.errors.get(key, []), "note": note})
        rows.append(
            {
                "number": row.number,
                "valid": row.is_valid,
                "problem_count": sum(len(found) for found in row.errors.values()),
                "row_errors": row.errors.get(importing.ROW_PROBLEM, []),
                "cells": cells,
            }
        )
    return rows

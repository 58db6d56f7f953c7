"""Importing organizations from .xlsx: template, upload, preview, apply, through the shared
flow of kexie.core.sheet_imports: the preview checks every row again (the network may have
changed meanwhile) and offers to apply only when no row has a problem.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kexie.accounts.roles import Perm
from kexie.core import xlsx
from kexie.core.scoping import scoped
from kexie.core.sheet_imports import SheetImport

from .. import importing
from ..forms import ImportUploadForm
from ..models import Kind


def _imported(count: int) -> str:
    return ngettext(
        "%(count)s organization has been imported.", "%(count)s organizations have been imported.", count
    ) % {"count": count}


FLOW = SheetImport(
    importing=importing,
    session_key="orgs.imports",
    upload_url="orgs:import",
    preview_url="orgs:import_preview",
    done_url="orgs:list",
    upload_template="orgs/import.html",
    preview_template="orgs/import_preview.html",
    imported=_imported,
    preview_rows=lambda check: {"table": _table(check)},
)


@scoped(perm=Perm.ORG_MANAGE)
def import_template(request):
    return xlsx.download(importing.template_workbook(), _("organization-import-template"))


@scoped(perm=Perm.ORG_MANAGE)
def import_upload(request):
    form = ImportUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    return FLOW.upload(request, form, {"columns": importing.COLUMNS})


@scoped(perm=Perm.ORG_MANAGE)
def import_preview(request, token):
    """GET: every row with its problems. POST: apply them all, if none has a problem."""
    return FLOW.preview(request, token)


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

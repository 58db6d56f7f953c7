"""Importing people, units and society members from .xlsx: template, upload, preview, apply.

An upload is read and kept in the import store under a one-time token (kexie.people.importing);
it is checked at once, or by a background task for a large file while the preview page polls
its progress. The preview lists every problem and, when there are none, offers to apply the
file, asking once for the whole file whether to merge or skip the people already registered.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from kexie.accounts.roles import Perm
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped
from kexie.people import importing
from kexie.people.forms.importing import ImportUploadForm
from kexie.people.importing import ImportKind, OnDuplicate, Phase, SheetError
from kexie.people.services import importing as services

TEMPLATE_NAMES = {
    ImportKind.PEOPLE: "people-import-template",
    ImportKind.UNITS: "unit-import-template",
    ImportKind.MEMBERS: "member-import-template",
}


@scoped(perm=Perm.PEOPLE_IMPORT)
def import_template(request):
    kind = request.GET.get("kind", ImportKind.PEOPLE)
    if kind not in ImportKind.VALUES:
        raise Http404
    return xlsx.download(importing.template_workbook(kind), TEMPLATE_NAMES[kind])


@scoped(perm=Perm.PEOPLE_IMPORT)
def import_upload(request):
    scope = request.scope
    form = ImportUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()), scope=scope)
    if request.method == "POST" and form.is_valid():
        upload_file, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        society = form.cleaned_data["society"] if kind == ImportKind.MEMBERS else None
        try:
            sheet = importing.sheet_read(upload_file.read(), upload_file.name, kind)
        except SheetError as error:
            for message in error.problems:
                form.add_error("file", message)
        else:
            upload = importing.upload_store(sheet=sheet, scope=scope, society=society)
            if upload.in_background:
                services.import_check_task.enqueue(upload.token)
            else:
                services.upload_check(upload=upload, scope=scope)
            return redirect("people:import_preview", token=upload.token)
    kind = form["kind"].value() or ImportKind.PEOPLE
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "kinds": [
                {"value": value, "label": label, "columns": _columns(value), "checked": value == kind}
                for value, label in ImportKind.CHOICES
            ],
            "show_society": kind == ImportKind.MEMBERS,
            "max_rows": importing.MAX_ROWS,
            "sync_rows": importing.SYNC_ROWS,
        },
    )


def _columns(kind: str) -> list[dict]:
    """The columns of a kind's template, with how to fill each in."""
    help_texts = importing.column_help(kind)
    return [
        {
            "label": column.label,
            "required": column.required,
            "help": help_texts.get(column.key, _("Optional.")),
        }
        for column in importing.COLUMNS[kind]
    ]


def _waiting_upload(request, token):
    """The upload behind the token, if this user uploaded it in the organization they work in now."""
    upload = importing.upload_get(token)
    if (
        upload is None
        or upload.user_id != request.user.pk
        or upload.organization_id != request.scope.organization.pk
    ):
        return None
    return upload


def _gone(request):
    messages.warning(
        request,
        _(
            "This upload is no longer waiting: it was made by someone else, in another organization, "
            "or too long ago. Upload the file again if needed."
        ),
    )
    return redirect("people:import")


def _result_message(kind: str, counts: dict) -> str:
    text = (
        _(
            "The import has been applied: %(created)s created, %(merged)s merged, %(skipped)s skipped, "
            "%(unchanged)s unchanged."
        )
        % counts
    )
    if kind == ImportKind.MEMBERS and counts.get("people_created"):
        text += " " + _("%(count)s new people were registered in the society.") % {
            "count": counts["people_created"]
        }
    return text


@scoped(perm=Perm.PEOPLE_IMPORT)
def import_preview(request, token):
    """GET: progress, or every row with its problems, or the outcome. POST: apply the file."""
    upload = _waiting_upload(request, token)
    if upload is None:
        return _gone(request)
    state = importing.state_read(upload)
    apply_problems = state.get("problems") or []
    if request.method == "POST":
        if state["phase"] != Phase.CHECKED:
            return redirect("people:import_preview", token=token)
        on_duplicate = request.POST.get("on_duplicate", OnDuplicate.SKIP)
        if on_duplicate not in OnDuplicate.VALUES:
            messages.error(request, _("Choose whether to merge or skip the records already registered."))
            return redirect("people:import_preview", token=token)
        if upload.in_background:
            importing.state_write(upload, phase=Phase.APPLYING, done=0, total=upload.row_count, problems=[])
            services.import_apply_task.enqueue(upload.token, on_duplicate)
            return redirect("people:import_preview", token=token)
        try:
            result = services.upload_apply(upload=upload, scope=request.scope, on_duplicate=on_duplicate)
        except SheetError as error:
            apply_problems = error.problems
            state = importing.state_read(upload)
        except DomainError as error:  # already applied, e.g. from another tab
            messages.warning(request, str(error))
            return redirect("people:import_preview", token=token)
        else:
            messages.success(request, _result_message(upload.kind, result.counts()))
            return redirect("people:import_preview", token=token)
    context = {
        "upload": upload,
        "kind_label": ImportKind.label(upload.kind),
        "state": state,
        "token": token,
        "apply_problems": apply_problems,
    }
    if state["phase"] == Phase.CHECKED:
        preview = importing.preview_load(upload)
        if preview is None:
            return _gone(request)
        context["preview"] = preview
        context["society"] = importing.society_of(request.scope, upload)
    elif state["phase"] == Phase.APPLIED and state.get("result"):
        context["result_message"] = _result_message(upload.kind, state["result"])
    return render(request, "people/import_preview.html", context)


@scoped(perm=Perm.PEOPLE_IMPORT)
def import_progress(request, token):
    """The progress partial the preview page polls; once the work is done, reload the page."""
    upload = _waiting_upload(request, token)
    if upload is None:
        return render(request, "people/_import_progress.html", {"gone": True})
    state = importing.state_read(upload)
    if request.htmx and state["phase"] not in (Phase.CHECKING, Phase.APPLYING):
        return HttpResponseClientRefresh()
    return render(request, "people/_import_progress.html", {"upload": upload, "state": state, "token": token})

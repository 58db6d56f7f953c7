"""The pages of an .xlsx import that is checked and applied in the request: upload, then a
preview of every row with its problems, then apply (the organization and activity imports;
the people import, which runs in the background, has views of its own).

An upload is read and kept in the user's session under a one-time token; the preview checks
every row again (the network, locks or records may have changed meanwhile) and offers to
apply only when no row has a problem. Applying consumes the token, so re-posting it does
nothing.

An import module provides `sheet_read(content, filename) -> Sheet`, `Sheet.to_payload` and
`Sheet.from_payload`, `SheetError` (with `.problems`), `sheet_check(scope, sheet)` and
`sheet_apply(actor, scope, sheet, token) -> created records` (raising SheetError for rows
refused while applying and DomainError when the token was applied already).
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kexie.core.errors import DomainError

PENDING_KEPT = 3  # uploads waiting for their preview, per session and import


@dataclass(frozen=True)
class SheetImport:
    importing: ModuleType
    session_key: str
    upload_url: str  # URL names
    preview_url: str
    done_url: str
    upload_template: str
    preview_template: str
    imported: Callable[[int], str]  # the message once `count` records are imported
    preview_rows: Callable[[object], dict]  # the preview's table (and its notes) of a check

    def _pending(self, request) -> dict:
        return request.session.get(self.session_key, {})

    def _keep(self, request, sheet) -> str:
        token = secrets.token_hex(16)
        pending = dict(list(self._pending(request).items())[-(PENDING_KEPT - 1) :])
        pending[token] = {"organization": request.scope.organization.pk, "sheet": sheet.to_payload()}
        request.session[self.session_key] = pending
        return token

    def _forget(self, request, token: str) -> None:
        pending = self._pending(request)
        if token in pending:
            request.session[self.session_key] = {key: value for key, value in pending.items() if key != token}

    def upload(self, request, form, context: dict) -> HttpResponse:
        """GET: the upload form. POST: read the file and go to its preview, or say what
        keeps it from being read."""
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                sheet = self.importing.sheet_read(upload.read(), upload.name)
            except self.importing.SheetError as error:
                for message in error.problems:
                    form.add_error("file", message)
            else:
                return redirect(self.preview_url, token=self._keep(request, sheet))
        return render(
            request, self.upload_template, {"form": form, "max_rows": self.importing.MAX_ROWS, **context}
        )

    def preview(self, request, token: str) -> HttpResponse:
        """GET: every row with its problems. POST: apply them all, if none has a problem."""
        scope = request.scope
        pending = self._pending(request).get(token)
        if pending is None or pending["organization"] != scope.organization.pk:
            messages.warning(
                request,
                _(
                    "This import is no longer waiting: it has already been applied, or was uploaded while "
                    "you worked in another organization. Upload the file again if needed."
                ),
            )
            return redirect(self.upload_url)
        sheet = self.importing.Sheet.from_payload(pending["sheet"])
        apply_problems: list[str] = []
        if request.method == "POST":
            try:
                created = self.importing.sheet_apply(
                    actor=request.user, scope=scope, sheet=sheet, token=token
                )
            except self.importing.SheetError as error:
                apply_problems = error.problems
            except DomainError as error:  # applied already, e.g. from another tab
                self._forget(request, token)
                messages.warning(request, str(error))
                return redirect(self.upload_url)
            else:
                self._forget(request, token)
                messages.success(request, self.imported(len(created)))
                return redirect(self.done_url)
        check = self.importing.sheet_check(scope=scope, sheet=sheet)
        return render(
            request,
            self.preview_template,
            {
                "token": token,
                "check": check,
                "headers": [check.column_label(key) for key in sheet.keys],
                "apply_problems": apply_problems,
                **self.preview_rows(check),
            },
        )

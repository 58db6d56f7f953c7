"""The upload form of the people, units and members imports. It shapes input only."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kexie.orgs.forms import KexieForm
from kexie.people import importing


class ImportUploadForm(KexieForm):
    kind = forms.ChoiceField(
        label=_("The file holds"), choices=importing.ImportKind.CHOICES, widget=forms.RadioSelect
    )
    society = forms.ModelChoiceField(
        label=_("Society"),
        queryset=None,
        required=False,
        empty_label=_("Choose a society"),
        help_text=_("The society whose roster this is (for a file of society members)."),
    )
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Use the template: at most 30 MB and 100,000 rows."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        societies = importing.member_societies(scope)
        self.fields["society"].queryset = societies
        self.fields["kind"].widget.attrs["class"] = "form-check-input"
        own = scope.organization.kind in importing.MEMBER_KINDS
        if own:
            self.fields["society"].initial = scope.organization.pk
        self.fields["kind"].initial = importing.ImportKind.MEMBERS if own else importing.ImportKind.PEOPLE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise ValidationError(_("Upload an Excel workbook saved as .xlsx (not .xls, .csv or .et)."))
        if upload.size > importing.MAX_FILE_BYTES:
            raise ValidationError(_("The file is over 30 MB; split it into several files."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == importing.ImportKind.MEMBERS and not cleaned.get("society"):
            self.add_error("society", _("Choose the society whose members these are."))
        return cleaned

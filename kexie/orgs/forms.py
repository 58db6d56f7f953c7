"""Forms that change the organization network. They parse and shape input only; the rules
live in `services`, whose DomainError each form shows on the field it names."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core.errors import DomainError
from kexie.core.validators import validate_credit_code, validate_division_code, validate_phone

from . import importing, services
from .models import (
    ALLOWED_PARENTS,
    PARTY_COVERAGE_KINDS,
    Division,
    Kind,
    LeaderPosition,
    Organization,
    Status,
)

# Kinds of organization that other kinds may be placed under.
PARENT_KINDS = sorted({kind for parents in ALLOWED_PARENTS.values() for kind in parents if kind})
# Kinds that show the "party building in the charter" (党建入章) flag.
CHARTER_KINDS = {Kind.SOCIETY, Kind.SOCIETY_CONSORTIUM}


def kinds_allowed_under(parent: Organization | None) -> list[tuple[str, str]]:
    parent_kind = parent.kind if parent is not None else None
    return [(kind.value, kind.label) for kind in Kind if parent_kind in ALLOWED_PARENTS[kind]]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class KexieForm(forms.Form):
    """Bootstrap classes on every widget, `is-invalid` on fields with errors, and a way to
    show a service's DomainError where it belongs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                    widget.attrs["aria-invalid"] = "true"

    def show_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error.message))


class ParentChoiceField(forms.ModelChoiceField):
    """Organizations indented by their level, so the select reads like the tree."""

    def __init__(self, *args, root_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.root_depth = root_depth

    def label_from_instance(self, obj):
        return "\u3000" * max(obj.depth - self.root_depth, 0) + obj.name


class OrganizationForm(KexieForm):
    """Create (kind and parent) or edit (the record only) an organization.

    `parent` fixes the parent (from `?parent=`); without it the user picks one in scope,
    and the kinds offered are those allowed under the chosen (or default) parent.
    """

    kind = forms.ChoiceField(label=_("Kind"))
    parent = ParentChoiceField(label=_("Parent organization"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("Name"), max_length=128)
    short_name = forms.CharField(label=_("Short name"), max_length=64, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        validators=[validate_credit_code],  # the format at once; the service checks it is not taken
        help_text=_("18 characters (GB 32100); leave empty if the organization has none."),
    )
    division = forms.CharField(
        label=_("Division code"),
        max_length=6,
        required=False,
        help_text=_("6 digits of the administrative division (GB/T 2260), e.g. 110101."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{6}", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=64, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=32,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    founded_on = forms.DateField(label=_("Founding date"), required=False, widget=DateInput())
    party_building_in_charter = forms.BooleanField(
        label=_("Party building is written into the charter"), required=False
    )

    def __init__(
        self,
        data=None,
        *,
        scope,
        instance: Organization | None = None,
        parent: Organization | None = None,
        **kwargs,
    ):
        self.scope, self.instance, self.fixed_parent = scope, instance, parent
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {name: getattr(instance, name) for name in services.EDITABLE_FIELDS} | initial
            initial["division"] = instance.division_id or ""
        super().__init__(data, initial=initial, **kwargs)
        if instance is not None:
            del self.fields["kind"], self.fields["parent"]
            if instance.kind not in CHARTER_KINDS and not instance.party_building_in_charter:
                del self.fields["party_building_in_charter"]
            return
        if parent is not None:
            del self.fields["parent"]
            self.selected_parent = parent
        else:
            field = self.fields["parent"]
            field.queryset = scope.organizations().active().filter(kind__in=PARENT_KINDS).order_by("path")
            field.root_depth = scope.organization.depth
            field.initial = scope.organization.pk
            # Choosing another parent swaps in the kinds allowed under it (the page with ?parent=).
            field.widget.attrs.update(
                {
                    "hx-get": reverse("orgs:create"),
                    "hx-trigger": "change",
                    "hx-target": "#kx-field-kind",
                    "hx-select": "#kx-field-kind",
                    "hx-swap": "outerHTML",
                }
            )
            self.selected_parent = self._posted_parent(field) or scope.organization
        self.fields["kind"].choices = [("", "---------"), *kinds_allowed_under(self.selected_parent)]

    def _posted_parent(self, field) -> Organization | None:
        if not self.is_bound:
            return None
        try:
            return field.queryset.get(pk=self.data.get("parent"))
        except (Organization.DoesNotExist, ValueError, TypeError):
            return None

    @property
    def is_creating(self) -> bool:
        return self.instance is None

    @property
    def charter_kinds(self) -> str:
        return " ".join(sorted(CHARTER_KINDS))

    @property
    def has_kinds(self) -> bool:
        return "kind" not in self.fields or len(self.fields["kind"].choices) > 1

    def clean_division(self) -> Division | None:
        code = self.cleaned_data["division"].strip()
        if not code:
            return None
        validate_division_code(code)
        division = Division.objects.filter(code=code).first()
        if division is None:
            raise ValidationError(_("Unknown division code %(code)s."), params={"code": code}, code="unknown")
        return division

    def chosen_parent(self) -> Organization:
        return self.fixed_parent or self.cleaned_data["parent"]

    def to_data(self) -> services.OrganizationData:
        data = self.cleaned_data
        if "party_building_in_charter" in self.fields:
            in_charter = data["party_building_in_charter"]
            if self.is_creating and data.get("kind") not in CHARTER_KINDS:
                in_charter = False  # the box is hidden for other kinds; a stale tick is not kept
        else:
            in_charter = bool(self.instance and self.instance.party_building_in_charter)
        return services.OrganizationData(
            name=data["name"],
            kind=data.get("kind") or (self.instance.kind if self.instance else ""),
            short_name=data["short_name"],
            credit_code=data["credit_code"],
            division=data["division"],
            address=data["address"],
            legal_representative=data["legal_representative"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            founded_on=data["founded_on"],
            party_building_in_charter=in_charter,
        )


class MoveForm(KexieForm):
    new_parent = ParentChoiceField(label=_("New parent organization"), queryset=Organization.objects.none())

    def __init__(self, data=None, *, scope, organization: Organization, **kwargs):
        super().__init__(data, **kwargs)
        allowed = [kind for kind in ALLOWED_PARENTS[organization.kind] if kind]
        field = self.fields["new_parent"]
        field.queryset = (
            scope.organizations()
            .active()
            .filter(kind__in=allowed)
            .exclude(pk__in=Organization.objects.subtree(organization).values("pk"))
            .exclude(pk=organization.parent_id)
            .order_by("path")
        )
        field.root_depth = scope.organization.depth


class DissolveForm(KexieForm):
    dissolved_on = forms.DateField(label=_("Date of dissolution"), widget=DateInput())
    note = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the registration authority's decision and its number."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this organization has been dissolved. It will leave the active network."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dissolved_on"].initial = timezone.localdate()


class BoardTermForm(KexieForm):
    started_on = forms.DateField(label=_("Date of the election"), widget=DateInput())
    length_years = forms.IntegerField(
        label=_("Term length (years)"),
        initial=5,
        widget=forms.NumberInput(attrs={"min": 1, "max": 10, "inputmode": "numeric"}),
    )
    council_size = forms.IntegerField(
        label=_("Board members"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )
    standing_council_size = forms.IntegerField(
        label=_("Standing board members"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )
    supervisory_board_size = forms.IntegerField(
        label=_("Supervisory board members"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeaderForm(KexieForm):
    position = forms.ChoiceField(label=_("Position"), choices=[("", "---------"), *LeaderPosition.choices])
    person_name = forms.CharField(label=_("Name of the person"), max_length=64)
    started_on = forms.DateField(label=_("In office from"), widget=DateInput())


class CoverageForm(KexieForm):
    covered = forms.ModelMultipleChoiceField(
        label=_("Organizations this branch covers"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *, scope, branch: Organization, **kwargs):
        current = branch.covered_organizations.all()
        super().__init__(data, initial={"covered": list(current)}, **kwargs)
        self.fields["covered"].queryset = (
            scope.organizations()
            .filter(Q(kind__in=PARTY_COVERAGE_KINDS, status=Status.ACTIVE) | Q(pk__in=current.values("pk")))
            .order_by("sort_key", "path")
        )


class ImportUploadForm(KexieForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Use the template; at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise ValidationError(_("Upload an Excel workbook saved as .xlsx (not .xls, .csv or .et)."))
        if upload.size > importing.MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than 5 MB; split it into several files."))
        return upload

"""Forms of the people pages: the list's filters, the person form, the reason for a reveal.

They parse and shape input only; the rules live in `services.people`, whose DomainError
the person form shows on the field it names.
"""

import functools
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kexie.core.errors import DomainError
from kexie.core.validators import validate_division_code, validate_id_number, validate_mobile
from kexie.core.widgets import QuickSelect, SearchSelect
from kexie.orgs.forms import DateInput, KexieForm, ParentChoiceField
from kexie.orgs.models import Division, Organization
from kexie.people.models import (
    Discipline,
    Education,
    Gender,
    Person,
    PoliticalStatus,
    Tag,
    TitleLevel,
    Unit,
)
from kexie.people.selectors.people import PersonFilter, person_filter_from_query
from kexie.people.selectors.units import scope_units
from kexie.people.services.people import PLAIN_FIELDS, PersonData, id_number_of, mobile_of, person_data_from

# Fields the person form checks as soon as they are left (htmx), with the service's rules.
LIVE_FIELDS = ("name", "gender", "birth_date", "id_number", "mobile", "email", "division", "native_place")


def unit_picker(scope, *, empty_label, blank: str = "any", attrs=None) -> SearchSelect:
    """The select of a unit in scope, filled by a search (views.units.unit_options): a city
    keeps thousands of units. `blank` names the first option's meaning: "any" (a filter) or
    "none" (a form's field left empty); `attrs` are the replaced widget's (its classes)."""

    def name_of(pk) -> str | None:
        if not str(pk).isdigit():
            return None
        return scope_units(scope).filter(pk=pk).values_list("name", flat=True).first()

    return SearchSelect(
        url="people:unit_options",
        url_query=f"blank={blank}",
        chosen_label=name_of,
        empty_label=empty_label,
        placeholder=_("Find: name, pinyin or initials"),
        find_label=_("Find a unit"),
        attrs=attrs,
    )


class _Choice(NamedTuple):
    pk: int
    parent_id: int | None
    name: str
    is_active: bool


def discipline_choices(*, categories_selectable: bool, keep=None) -> list:
    """Disciplines grouped by category (<optgroup>), as GB/T 13745 orders them.

    `categories_selectable` offers the category itself first in its group (a filter on a
    whole category); `keep` is a discipline shown even when no longer in use.
    """
    rows = Discipline.objects.order_by("position", "code").values_list("pk", "parent_id", "name", "is_active")
    disciplines = [_Choice(*row) for row in rows]
    children: dict[int, list[_Choice]] = {}
    for discipline in disciplines:
        if discipline.parent_id:
            children.setdefault(discipline.parent_id, []).append(discipline)
    keep_pk = getattr(keep, "pk", keep)
    groups = []
    for category in (d for d in disciplines if d.parent_id is None):
        if not category.is_active and category.pk != keep_pk:
            continue
        options = [(d.pk, d.name) for d in children.get(category.pk, []) if d.is_active or d.pk == keep_pk]
        if categories_selectable or not options:
            label = _("All of %(category)s") % {"category": category.name} if options else category.name
            options.insert(0, (category.pk, label))
        groups.append((category.name, options))
    return groups


def _division(code: str) -> Division | None:
    code = (code or "").strip()
    if not code:
        return None
    validate_division_code(code)
    division = Division.objects.filter(code=code).first()
    if division is None:
        raise ValidationError(_("Unknown division code %(code)s."), params={"code": code}, code="unknown")
    return division


# --- the list's filters --------------------------------------------------------------


class PersonFilterForm(forms.Form):
    """GET parameters of the people list in, `PersonFilter` out (through
    `person_filter_from_query`, so a saved search and the page read a query alike)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=64)
    unit = forms.IntegerField(label=_("Unit"), required=False)
    employer = forms.CharField(label=_("Employer contains"), required=False, max_length=64)
    discipline = forms.TypedChoiceField(
        label=_("Discipline"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    title_level = forms.ChoiceField(
        label=_("Title level"),
        required=False,
        choices=[("", _("Any")), *TitleLevel.choices],
        widget=QuickSelect,
    )
    title = forms.CharField(label=_("Professional title contains"), required=False, max_length=64)
    tag = forms.ChoiceField(label=_("Tag"), required=False, widget=QuickSelect)
    division = forms.CharField(
        label=_("Region (division code)"),
        required=False,
        max_length=6,
        validators=[RegexValidator(r"^\d{2,6}$", _("Enter 2 to 6 digits of a GB/T 2260 division code."))],
    )
    native_place = forms.CharField(
        label=_("Native place (division code)"),
        required=False,
        max_length=6,
        validators=[RegexValidator(r"^\d{2,6}$", _("Enter 2 to 6 digits of a GB/T 2260 division code."))],
    )
    education = forms.ChoiceField(
        label=_("Highest education"),
        required=False,
        choices=[("", _("Any")), *Education.choices],
        widget=QuickSelect,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("Any")), *Gender.choices], widget=QuickSelect
    )
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=150)
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput)
    society = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # Filters behind "more filters": the panel opens when one of them is set.
    ADVANCED = ("employer", "title", "division", "native_place", "education", "gender", "age_min", "age_max")

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        # Choices are read when the form is drawn or a value is checked, not on every request
        # that only reads the filters (the count, the export); and once per form (cached), as
        # a select reads its choices twice when drawn.
        self.fields["unit"].widget = unit_picker(scope, empty_label=_("Any unit"))
        self.fields["discipline"].choices = functools.cache(
            lambda: [("", _("Any discipline")), *discipline_choices(categories_selectable=True)]
        )
        self.fields["tag"].choices = functools.cache(
            lambda: [("", _("Any tag")), *Tag.objects.values_list("code", "name")]
        )
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs["class"] = "form-control form-control-sm"
            if name in ("division", "native_place"):
                widget.attrs.update({"inputmode": "numeric", "placeholder": _("e.g. 140400")})
            if name in ("age_min", "age_max"):
                widget.attrs["inputmode"] = "numeric"

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if pk is not None and not scope_units(self.scope).filter(pk=pk).exists():
            raise ValidationError(_("No such unit in your scope."))
        return pk

    def clean_organization(self):
        pk = self.cleaned_data.get("organization")
        if pk is not None and not self.scope.organizations().filter(pk=pk).exists():
            raise ValidationError(_("No such organization in your scope."))
        return pk

    clean_society = clean_organization

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The upper age is below the lower age."))
        return cleaned

    @property
    def advanced_active(self) -> bool:
        return self.is_bound and any((self.data.get(name) or "").strip() for name in self.ADVANCED)

    def to_filter(self) -> PersonFilter:
        """The filter of every valid parameter; one that is not understood is shown and ignored."""
        if not self.is_bound:
            return PersonFilter()
        self.is_valid()
        params = self.data.copy()
        for name in self.errors:
            params.pop(name, None)
        return person_filter_from_query(params)


# --- the person form -----------------------------------------------------------------


class DisciplineField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=self._discipline, empty_value=None, **kwargs)

    @staticmethod
    def _discipline(value) -> Discipline:
        return Discipline.objects.get(pk=value)  # among the choices, so it exists


class PersonForm(KexieForm):
    """Register (with "kept by") or edit a person.

    Editing never sends the stored ID number or mobile to the browser: their inputs start
    empty (the masked value is in the help text) and an empty input keeps the stored value.
    """

    organization = ParentChoiceField(
        label=_("Kept by"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("The organization whose talent pool holds this record."),
    )
    name = forms.CharField(label=_("Person's name"), max_length=64)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "---------"), *Gender.choices]
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DateInput(),
        help_text=_("Filled in from the ID number when one is given."),
    )
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("18 characters of the resident identity card; stored encrypted and shown masked."),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    remove_id_number = forms.BooleanField(label=_("Remove the stored ID number"), required=False)
    remove_mobile = forms.BooleanField(label=_("Remove the stored mobile"), required=False)
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    education = forms.ChoiceField(
        label=_("Highest education"), required=False, choices=[("", "---------"), *Education.choices]
    )
    title = forms.CharField(
        label=_("Professional title"), max_length=64, required=False, help_text=_("For example 主任医师.")
    )
    title_level = forms.ChoiceField(
        label=_("Title level"), required=False, choices=[("", "---------"), *TitleLevel.choices]
    )
    discipline = DisciplineField(label=_("Discipline"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label="---------"
    )
    employer = forms.CharField(
        label=_("Employer"),
        max_length=128,
        required=False,
        help_text=_("Leave empty to use the unit's name."),
    )
    position = forms.CharField(label=_("Position"), max_length=64, required=False)
    division = forms.CharField(
        label=_("Region (division code)"),
        max_length=6,
        required=False,
        help_text=_("6 digits of the administrative division (GB/T 2260), e.g. 110101."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{6}", "autocomplete": "off"}),
    )
    native_place = forms.CharField(
        label=_("Native place (division code)"),
        max_length=6,
        required=False,
        help_text=_("6 digits of the administrative division (GB/T 2260), e.g. 110101."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{6}", "autocomplete": "off"}),
    )
    political_status = forms.ChoiceField(
        label=_("Political status"), required=False, choices=[("", "---------"), *PoliticalStatus.choices]
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise = forms.CharField(
        label=_("Expertise"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    achievements = forms.CharField(
        label=_("Achievements"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, data=None, *, scope, instance: Person | None = None, validate_url: str = "", **kwargs):
        self.scope, self.instance = scope, instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = _initial_from(instance) | initial
        super().__init__(data, initial=initial, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = scope_units(scope)
        unit.widget = unit_picker(scope, empty_label="---------", blank="none", attrs=unit.widget.attrs)
        self.fields["discipline"].choices = [
            ("", "---------"),
            *discipline_choices(categories_selectable=False, keep=instance.discipline if instance else None),
        ]
        if instance is None:
            field = self.fields["organization"]
            field.queryset = scope.organizations().active().order_by("path")
            field.root_depth = scope.organization.depth
            field.initial = scope.organization.pk
            del self.fields["remove_id_number"], self.fields["remove_mobile"]
        else:
            del self.fields["organization"]
            self._describe_stored_identifiers(instance)
        if validate_url:
            for name in LIVE_FIELDS:
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": validate_url,
                        "hx-trigger": "change",
                        "hx-include": "closest form",
                        "hx-vals": '{"_validate": "1"}',
                        "hx-target": f"#kx-field-{name}",
                        "hx-select": f"#kx-field-{name}",
                        "hx-swap": "outerHTML",
                        "hx-sync": "closest form:queue last",
                    }
                )

    def _describe_stored_identifiers(self, person: Person) -> None:
        id_field, mobile_field = self.fields["id_number"], self.fields["mobile"]
        if person.id_number_masked:
            id_field.help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; type a new number to replace it."
            ) % {"masked": person.id_number_masked}
        else:
            del self.fields["remove_id_number"]
        if person.mobile_masked:
            mobile_field.help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; type a new number to replace it."
            ) % {"masked": person.mobile_masked}
        else:
            del self.fields["remove_mobile"]

    @property
    def is_creating(self) -> bool:
        return self.instance is None

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        validate_id_number(value)  # the check digit at once, in the words the service uses
        return value

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"].strip()
        validate_mobile(value)
        return value

    def clean_division(self) -> Division | None:
        return _division(self.cleaned_data["division"])

    def clean_native_place(self) -> Division | None:
        return _division(self.cleaned_data["native_place"])

    def chosen_organization(self) -> Organization:
        return self.cleaned_data.get("organization") or self.scope.organization

    def to_data(self) -> PersonData:
        data = self.cleaned_data
        id_number, mobile = data["id_number"], data["mobile"]
        if self.instance is not None:
            # Empty inputs keep the stored values, unless the user asked to remove them.
            if not id_number and not data.get("remove_id_number"):
                id_number = id_number_of(self.instance)
            if not mobile and not data.get("remove_mobile"):
                mobile = mobile_of(self.instance)
        return PersonData(
            name=data["name"],
            gender=data["gender"],
            birth_date=data["birth_date"],
            id_number=id_number,
            mobile=mobile,
            email=data["email"],
            education=data["education"],
            title=data["title"],
            title_level=data["title_level"],
            discipline=data["discipline"],
            unit=data["unit"],
            employer=data["employer"],
            position=data["position"],
            division=data["division"],
            native_place=data["native_place"],
            political_status=data["political_status"],
            expertise=data["expertise"],
            achievements=data["achievements"],
            tags=list(data["tags"]),
        )

    def show_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        if field is not None and field in self.errors:
            return  # the form already says what is wrong there
        self.add_error(field, str(error.message))


def _initial_from(person: Person) -> dict:
    """The record as the form's initial values, without the identifiers (never sent in clear)."""
    data = person_data_from(person)
    initial = {name: getattr(data, name) for name in PLAIN_FIELDS}
    for name in ("discipline", "unit", "division", "native_place"):
        initial[name] = getattr(initial[name], "pk", "") or ""
    initial["tags"] = list(person.tags.all())
    return initial


# --- reveals ---------------------------------------------------------------------------


class RevealForm(forms.Form):
    """The reason for showing ID numbers and mobiles in full; it goes into the audit log."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Give the reason for viewing the full personal data.")},
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "autocomplete": "off"}),
    )

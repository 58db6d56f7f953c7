"""Forms of the unit and team pages. They parse and shape input only; the rules live in
`services.units`, whose DomainError each form shows on the field it names."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kexie.core.validators import validate_credit_code, validate_division_code, validate_phone
from kexie.orgs.forms import DateInput, KexieForm
from kexie.orgs.models import Division
from kexie.people.forms.people import unit_picker
from kexie.people.models import Discipline, Industry, Team, Unit, UnitKind, UnitSize
from kexie.people.selectors.people import person_queryset
from kexie.people.selectors.units import TeamFilter, UnitFilter, scope_units
from kexie.people.services.units import TeamData, UnitData


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "---------"), *choices]


def division_from_code(code: str) -> Division | None:
    code = (code or "").strip()
    if not code:
        return None
    validate_division_code(code)
    division = Division.objects.filter(code=code).first()
    if division is None:
        raise ValidationError(_("Unknown division code %(code)s."), params={"code": code}, code="unknown")
    return division


class UnitForm(KexieForm):
    name = forms.CharField(label=_("Name"), max_length=128)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.ENTERPRISE)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        validators=[validate_credit_code],  # the format at once; the service checks it is not taken
        help_text=_("GB 32100: 18 characters ending in a check digit. Leave empty if the unit has none."),
    )
    industry = forms.ChoiceField(label=_("Industry"), choices=_blank(Industry.choices), required=False)
    division = forms.CharField(
        label=_("Division code"),
        max_length=6,
        required=False,
        help_text=_("6 digits of the administrative division (GB/T 2260), e.g. 110101."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{6}", "autocomplete": "off"}),
    )
    size = forms.ChoiceField(label=_("Size"), choices=_blank(UnitSize.choices), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=32,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, data=None, *, instance: Unit | None = None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "name": instance.name,
                "kind": instance.kind,
                "credit_code": instance.credit_code,
                "industry": instance.industry,
                "division": instance.division_id or "",
                "size": instance.size,
                "address": instance.address,
                "contact_person": instance.contact_person,
                "contact_phone": instance.contact_phone,
            } | initial
        super().__init__(data, initial=initial, **kwargs)

    def clean_division(self) -> Division | None:
        return division_from_code(self.cleaned_data["division"])

    def to_data(self) -> UnitData:
        return UnitData(**self.cleaned_data)


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *UnitKind.choices])
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All")), *Industry.choices]
    )
    size = forms.ChoiceField(label=_("Size"), required=False, choices=[("", _("All")), *UnitSize.choices])
    division = forms.RegexField(
        label=_("Division code"),
        required=False,
        max_length=6,
        regex=r"^\d{2,6}$",
        error_messages={"invalid": _("Enter 2 to 6 digits of a GB/T 2260 division code.")},
    )

    def to_filter(self) -> UnitFilter:
        """The filter of every valid field; an invalid field is shown as an error and ignored."""
        if not self.is_bound:
            return UnitFilter()
        self.is_valid()
        data = self.cleaned_data
        return UnitFilter(
            q=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            industry=data.get("industry") or "",
            size=data.get("size") or "",
            division=data.get("division") or "",
        )


def discipline_choices():
    return Discipline.objects.filter(is_active=True).select_related("parent").order_by("position", "code")


class DisciplineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_category else f"\u3000{obj.name}"


class TeamForm(KexieForm):
    """Create a team (the leader is picked by a search, `leader` holds a person's id) or
    edit one (the leader is chosen among the members)."""

    name = forms.CharField(label=_("Name"), max_length=128)
    leader = forms.IntegerField(label=_("Leader"), required=False, min_value=1)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    discipline = DisciplineChoiceField(
        label=_("Discipline"), queryset=Discipline.objects.none(), required=False
    )
    founded_on = forms.DateField(label=_("Founding date"), required=False, widget=DateInput())
    description = forms.CharField(
        label=_("Team description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data=None, *, scope, instance: Team | None = None, **kwargs):
        self.scope, self.instance = scope, instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "name": instance.name,
                "leader": instance.leader_id or "",
                "unit": instance.unit_id,
                "discipline": instance.discipline_id,
                "founded_on": instance.founded_on,
                "description": instance.description,
            } | initial
        super().__init__(data, initial=initial, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = scope_units(scope)
        unit.widget = unit_picker(scope, empty_label="---------", blank="none", attrs=unit.widget.attrs)
        self.fields["discipline"].queryset = discipline_choices()
        if instance is not None:
            members = instance.memberships.filter(person__status="active").select_related("person")
            choices = _blank((m.person_id, m.person.name) for m in members.order_by("person__sort_key"))
            leader = self.fields["leader"]
            leader.widget = forms.Select(choices=choices, attrs={"class": "form-select"})
            leader.help_text = _(
                "One of the team's members; add a person to the team first to make them leader."
            )
        # On a new team the leader is chosen among search results (radio buttons named "leader").
        self.chosen_leader = None

    def clean_leader(self):
        pk = self.cleaned_data.get("leader")
        if not pk:
            return None
        person = person_queryset(scope=self.scope).filter(pk=pk).first()
        if person is None:
            raise ValidationError(_("The chosen person is outside your scope."))
        self.chosen_leader = person
        return person

    def to_data(self) -> TeamData:
        data = self.cleaned_data
        return TeamData(
            name=data["name"],
            leader=data["leader"],
            unit=data["unit"],
            discipline=data["discipline"],
            description=data["description"],
            founded_on=data["founded_on"],
        )


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1)

    def to_filter(self) -> TeamFilter:
        if not self.is_bound:
            return TeamFilter()
        self.is_valid()
        data = self.cleaned_data
        return TeamFilter(q=(data.get("q") or "").strip(), unit=data.get("unit"))


class TeamMemberAddForm(KexieForm):
    person = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)
    role = forms.CharField(label=_("Role in this team"), max_length=64, required=False)
    joined_on = forms.DateField(label=_("Date of joining the team"), required=False, widget=DateInput())

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope

    def clean_person(self):
        person = person_queryset(scope=self.scope).filter(pk=self.cleaned_data["person"]).first()
        if person is None:
            raise ValidationError(_("The chosen person is outside your scope."))
        return person

"""Forms of the society rosters: admitting members, editing and ending memberships, dues
and board positions. They parse input only; the rules live in `services.members`."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.orgs.forms import DateInput, KexieForm
from kexie.people.models import BoardRole, MemberStatus, SocietyMembership
from kexie.people.selectors.members import INDIVIDUAL, INSTITUTIONAL, RosterFilter
from kexie.people.selectors.people import person_queryset
from kexie.people.selectors.units import scope_units
from kexie.people.services.members import END_STATUSES, MembershipData

MEMBER_TYPE_CHOICES = [
    ("", _("Individual and institutional members")),
    (INDIVIDUAL, _("Individual members")),
    (INSTITUTIONAL, _("Institutional members")),
]


class RosterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *MemberStatus.choices]
    )
    type = forms.ChoiceField(label=_("Membership type"), required=False, choices=MEMBER_TYPE_CHOICES)

    def to_filter(self) -> RosterFilter:
        if not self.is_bound:
            return RosterFilter()
        self.is_valid()
        data = self.cleaned_data
        return RosterFilter(
            status=data.get("status") or "",
            q=(data.get("q") or "").strip(),
            member_type=data.get("type") or "",
        )


class MembershipCreateForm(KexieForm):
    """Admit a member. The person (or unit) is picked among search results: radio buttons
    named `person` (or `unit`) holding its id."""

    person = forms.IntegerField(label=_("Chosen person"), required=False, min_value=1)
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1)
    number = forms.CharField(label=_("Membership number"), max_length=32, required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, data=None, *, scope, member_type: str, **kwargs):
        super().__init__(data, **kwargs)
        self.scope, self.member_type = scope, member_type
        self.fields["joined_on"].initial = timezone.localdate()
        self.chosen = None
        del self.fields["unit" if member_type == INDIVIDUAL else "person"]

    def clean_person(self):
        pk = self.cleaned_data.get("person")
        if not pk:
            raise ValidationError(_("Search for the person and choose them in the results."))
        person = person_queryset(scope=self.scope).filter(pk=pk).first()
        if person is None:
            raise ValidationError(_("The chosen person is outside your scope."))
        self.chosen = person
        return person

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if not pk:
            raise ValidationError(_("Search for the unit and choose it in the results."))
        unit = scope_units(self.scope).filter(pk=pk).first()
        if unit is None:
            raise ValidationError(_("The chosen unit is outside your scope."))
        self.chosen = unit
        return unit

    def to_data(self) -> MembershipData:
        data = self.cleaned_data
        return MembershipData(joined_on=data["joined_on"], number=data["number"], note=data["note"])


class MembershipUpdateForm(KexieForm):
    number = forms.CharField(label=_("Membership number"), max_length=32, required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, data=None, *, instance: SocietyMembership, **kwargs):
        initial = {
            "number": instance.number,
            "joined_on": instance.joined_on,
            "status": instance.status,
            "note": instance.note,
        } | kwargs.pop("initial", {})
        super().__init__(data, initial=initial, **kwargs)
        # Leaving is recorded with its date through "End membership"; a member who left
        # can be set back to active here (re-admitted).
        self.fields["status"].choices = [
            (value, label)
            for value, label in MemberStatus.choices
            if value != MemberStatus.LEFT or instance.status == MemberStatus.LEFT
        ]
        if instance.status in END_STATUSES and instance.left_on:
            self.fields["status"].help_text = _(
                "Set the status back to active to admit the member again; the leaving date is then cleared."
            )

    def to_data(self) -> MembershipData:
        data = self.cleaned_data
        return MembershipData(
            joined_on=data["joined_on"], number=data["number"], status=data["status"], note=data["note"]
        )


class MembershipEndForm(KexieForm):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (MemberStatus.LEFT, MemberStatus.LEFT.label),
            (MemberStatus.LAPSED, MemberStatus.LAPSED.label),
        ],
        initial=MemberStatus.LEFT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class DuesForm(KexieForm):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    receipt_number = forms.CharField(label=_("Dues receipt number"), max_length=32, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["paid_on"].initial = today


class SeatForm(KexieForm):
    """Assign a board position; the person is picked among search results (`person` radios)."""

    person = forms.IntegerField(label=_("Chosen person"), required=False, min_value=1)
    role = forms.ChoiceField(label=_("Position"), choices=[("", "---------"), *BoardRole.choices])
    started_on = forms.DateField(label=_("In office from"), widget=DateInput())

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        self.chosen = None
        self.fields["started_on"].initial = timezone.localdate()

    def clean_person(self):
        pk = self.cleaned_data.get("person")
        if not pk:
            raise ValidationError(_("Search for the person and choose them in the results."))
        person = person_queryset(scope=self.scope).filter(pk=pk).first()
        if person is None:
            raise ValidationError(_("The chosen person is outside your scope."))
        self.chosen = person
        return person


class SeatEndForm(KexieForm):
    ended_on = forms.DateField(label=_("Date the position ends"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()

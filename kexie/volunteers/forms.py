"""Forms of the volunteer service pages. They check shapes; the services check the rules
(a DomainError names the field, `show_domain_error` puts it there)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.core.errors import DomainError
from kexie.orgs.models import Division, DivisionLevel
from kexie.people.models import Discipline
from kexie.volunteers.models import OrderStatus, ServiceForm
from kexie.volunteers.services.orders import DeliveryData, OrderData

_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


class DomainErrorForm(forms.Form):
    def show_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error.message))


def discipline_choices():
    return (
        Discipline.objects.filter(parent__isnull=False, is_active=True)
        .select_related("parent")
        .order_by("code")
    )


def county_choices():
    return Division.objects.filter(level=DivisionLevel.COUNTY, is_current=True).order_by("code")


class OrderForm(DomainErrorForm):
    """The order form (点单): a menu item or a free-form need, the place, the date, the contact."""

    title = forms.CharField(
        label=_("Service wanted"), max_length=128, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    discipline = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Discipline.objects.none(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )
    form = forms.ChoiceField(
        label=_("Form of service"), choices=ServiceForm.choices, widget=forms.Select(attrs=_SELECT)
    )
    need = forms.CharField(
        label=_("Description of the need"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 3})
    )
    division = forms.ModelChoiceField(
        label=_("County or district"), queryset=Division.objects.none(), widget=forms.Select(attrs=_SELECT)
    )
    address = forms.CharField(label=_("Place"), max_length=255, widget=forms.TextInput(attrs=_TEXT))
    preferred_on = forms.DateField(
        label=_("Preferred date"), widget=forms.DateInput(attrs={**_TEXT, "type": "date"})
    )
    alternative_on = forms.DateField(
        label=_("Alternative date"), required=False, widget=forms.DateInput(attrs={**_TEXT, "type": "date"})
    )
    expected_audience = forms.IntegerField(
        label=_("Expected audience"),
        min_value=1,
        widget=forms.NumberInput(attrs={**_TEXT, "inputmode": "numeric"}),
    )
    requester_unit = forms.CharField(
        label=_("Requesting unit"), max_length=128, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    requester_name = forms.CharField(
        label=_("Contact person"), max_length=64, widget=forms.TextInput(attrs=_TEXT)
    )
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "numeric", "autocomplete": "tel"}),
    )

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["discipline"].queryset = discipline_choices()
        self.fields["division"].queryset = county_choices()
        if item is not None:
            self.fields["form"].initial = item.form
            for name in ("title", "discipline", "form"):
                self.fields[name].required = False

    def to_data(self) -> OrderData:
        data = self.cleaned_data
        return OrderData(
            title=data.get("title", ""),
            discipline=data.get("discipline"),
            division=data.get("division"),
            address=data.get("address", ""),
            preferred_on=data.get("preferred_on"),
            alternative_on=data.get("alternative_on"),
            expected_audience=data.get("expected_audience"),
            requester_name=data.get("requester_name", ""),
            requester_unit=data.get("requester_unit", ""),
            mobile=data.get("mobile", ""),
            need=data.get("need", ""),
            form=data.get("form") or (self.item.form if self.item else ServiceForm.LECTURE),
            menu_item=self.item,
        )


class PublicOrderForm(OrderForm):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ReasonForm(DomainErrorForm):
    reason = forms.CharField(label=_("Reason"), max_length=255, widget=forms.TextInput(attrs=_TEXT))


class DeliveryForm(DomainErrorForm):
    served_on = forms.DateField(label=_("Served on"), widget=forms.DateInput(attrs={**_TEXT, "type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours served"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.5"}),
    )
    audience = forms.IntegerField(
        label=_("Audience reached"), min_value=0, widget=forms.NumberInput(attrs=_TEXT)
    )
    report = forms.CharField(label=_("Service report"), widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))
    volunteers = forms.ModelMultipleChoiceField(
        label=_("Team members who served"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = order.team.members.select_related("person") if order is not None and order.team_id else None
        if members is None:
            del self.fields["volunteers"]
        else:
            self.fields["volunteers"].queryset = members
            self.fields["volunteers"].label_from_instance = lambda v: v.person.name

    def to_data(self) -> DeliveryData:
        data = self.cleaned_data
        return DeliveryData(
            served_on=data["served_on"],
            hours=data["hours"],
            audience=data["audience"],
            report=data["report"],
            volunteers=list(data.get("volunteers") or []),
        )


class RatingForm(DomainErrorForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={**_TEXT, "rows": 3})
    )


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open_steps", _("Not closed")), *OrderStatus.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

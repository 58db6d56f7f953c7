"""Forms of the volunteer service pages. They check shapes; the services check the rules
(a DomainError names the field, `show_domain_error` puts it there)."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from kexie.core.errors import DomainError
from kexie.orgs.models import Division, DivisionLevel
from kexie.people.models import Discipline
from kexie.volunteers.models import OrderStatus, ServiceForm
from kexie.volunteers.services.orders import DeliveryData, OrderData

CHOOSE = _("— choose —")
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
        empty_label=CHOOSE,
        label=_("Field of science"),
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
        empty_label=CHOOSE,
        label=_("County or district"),
        queryset=Division.objects.none(),
        widget=forms.Select(attrs=_SELECT),
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the photos of a service)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={**_TEXT, "accept": ".jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


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
    photos = MultipleFileField(
        label=_("Photos"), required=False, help_text=_("Up to 9 photos of the service (JPG or PNG).")
    )

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = order.team.members.select_related("person") if order is not None and order.team_id else None
        if members is None:
            del self.fields["volunteers"]
        else:
            self.fields["volunteers"].queryset = members
            self.fields["volunteers"].label_from_instance = lambda v: v.person.name

    @classmethod
    def for_order(cls, order):
        """The empty form of an accepted order: today, the menu item's duration, the audience expected."""
        from django.utils import timezone

        return cls(
            order=order,
            initial={
                "served_on": timezone.localdate(),
                "hours": order.menu_item.duration_hours if order.menu_item_id else 2,
                "audience": order.expected_audience,
            },
        )

    def to_data(self) -> DeliveryData:
        data = self.cleaned_data
        return DeliveryData(
            served_on=data["served_on"],
            hours=data["hours"],
            audience=data["audience"],
            report=data["report"],
            volunteers=list(data.get("volunteers") or []),
            photos=list(data.get("photos") or []),
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


@dataclass(frozen=True)
class StatisticLink:
    code: str
    organization: int | None
    start: date | None
    end: date | None
    own: bool


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
    # the parameters of a statistic's link (kexie.statistics.selectors.records_url)
    stat = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput())
    org = forms.IntegerField(required=False, widget=forms.HiddenInput())
    own = forms.BooleanField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are Python keywords: the statistic links name them so.
        self.fields["from"] = forms.DateField(required=False, widget=forms.HiddenInput())
        self.fields["to"] = forms.DateField(required=False, widget=forms.HiddenInput())

    def statistic(self):
        """(code, organization id, start, end, own) of a statistic's link, or None."""
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("stat"):
            return None
        return StatisticLink(
            data["stat"], data.get("org"), data.get("from"), data.get("to"), bool(data.get("own"))
        )


# --- registers -------------------------------------------------------------------------


def region_choices(organization):
    """The divisions a volunteer of the organization may serve: its province's or city's
    cities and counties (all current ones when the organization has no division)."""
    queryset = Division.objects.filter(is_current=True).exclude(level=DivisionLevel.PROVINCE)
    code = organization.division_id or ""
    if code.endswith("0000"):
        queryset = queryset.filter(code__startswith=code[:2])
    elif code:
        queryset = queryset.filter(code__startswith=code[:4])
    return queryset.order_by("code")


class VolunteerForm(DomainErrorForm):
    disciplines = forms.ModelMultipleChoiceField(
        label=_("Fields of expertise"),
        queryset=Discipline.objects.none(),
        widget=forms.SelectMultiple(attrs={**_SELECT, "size": 8}),
    )
    expertise = forms.CharField(
        label=_("What they can offer"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 3})
    )
    divisions = forms.ModelMultipleChoiceField(
        label=_("Service areas"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={**_SELECT, "size": 6}),
    )
    home_division = forms.ModelChoiceField(
        empty_label=CHOOSE,
        label=_("Home region"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )
    on_workdays = forms.BooleanField(label=_("Available on working days"), required=False, initial=True)
    on_rest_days = forms.BooleanField(
        label=_("Available on weekends and holidays"), required=False, initial=True
    )
    languages = forms.CharField(
        label=_("Languages and dialects"), max_length=128, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    qualifications = forms.CharField(
        label=_("Qualifications"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2})
    )
    consent_on = forms.DateField(
        label=_("Consent given on"),
        help_text=_("The day the volunteer agreed that their data is used to dispatch orders to them."),
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].queryset = discipline_choices()
        self.fields["disciplines"].label_from_instance = lambda d: f"{d.parent.name} · {d.name}"
        regions = region_choices(organization)
        self.fields["divisions"].queryset = regions
        self.fields["home_division"].queryset = regions

    def to_data(self):
        from kexie.volunteers.services.volunteers import VolunteerData

        data = self.cleaned_data
        return VolunteerData(
            disciplines=list(data["disciplines"]),
            divisions=list(data.get("divisions") or []),
            expertise=data.get("expertise", ""),
            home_division=data.get("home_division"),
            on_workdays=data.get("on_workdays", False),
            on_rest_days=data.get("on_rest_days", False),
            languages=data.get("languages", ""),
            qualifications=data.get("qualifications", ""),
            consent_on=data.get("consent_on"),
        )


class VolunteerStatusForm(DomainErrorForm):
    status = forms.ChoiceField(label=_("Status"), choices=[], widget=forms.Select(attrs=_SELECT))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": _("Why (kept in the audit log)")}),
    )

    def __init__(self, *args, **kwargs):
        from kexie.volunteers.models import VolunteerStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = VolunteerStatus.choices


class UnavailabilityForm(DomainErrorForm):
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={**_TEXT, "type": "date"}))
    ends_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={**_TEXT, "type": "date"}))
    note = forms.CharField(
        label=_("Note"), max_length=128, required=False, widget=forms.TextInput(attrs=_TEXT)
    )


class TeamForm(DomainErrorForm):
    name = forms.CharField(label=_("Name"), max_length=128, widget=forms.TextInput(attrs=_TEXT))
    kind = forms.ChoiceField(label=_("Kind"), choices=[], widget=forms.Select(attrs=_SELECT))
    leader = forms.ModelChoiceField(
        empty_label=CHOOSE,
        label=_("Leader"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )
    founded_on = forms.DateField(
        label=_("Founded on"), required=False, widget=forms.DateInput(attrs={**_TEXT, "type": "date"})
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 3})
    )

    def __init__(self, *args, leaders, **kwargs):
        from kexie.volunteers.models import TeamKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = TeamKind.choices
        self.fields["leader"].queryset = leaders
        self.fields["leader"].label_from_instance = lambda v: v.person.name

    def to_data(self):
        from kexie.volunteers.services.volunteers import TeamData

        data = self.cleaned_data
        return TeamData(
            name=data["name"],
            kind=data["kind"],
            leader=data.get("leader"),
            description=data.get("description", ""),
            founded_on=data.get("founded_on"),
        )


class MenuItemForm(DomainErrorForm):
    title = forms.CharField(label=_("Topic"), max_length=128, widget=forms.TextInput(attrs=_TEXT))
    discipline = forms.ModelChoiceField(
        label=_("Field of science"), empty_label=CHOOSE, queryset=None, widget=forms.Select(attrs=_SELECT)
    )
    form = forms.ChoiceField(
        label=_("Form of service"), choices=ServiceForm.choices, widget=forms.Select(attrs=_SELECT)
    )
    audience = forms.CharField(
        label=_("Audience"), max_length=128, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    duration_hours = forms.DecimalField(
        label=_("Duration (hours)"),
        max_digits=4,
        decimal_places=1,
        initial=2,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.5"}),
    )
    description = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 4})
    )
    requirements = forms.CharField(
        label=_("What the requester provides"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )
    divisions = forms.ModelMultipleChoiceField(
        label=_("Regions served"),
        queryset=Division.objects.none(),
        required=False,
        help_text=_("Leave empty to serve the whole network."),
        widget=forms.SelectMultiple(attrs={**_SELECT, "size": 6}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline"].queryset = discipline_choices()
        self.fields["divisions"].queryset = region_choices(organization)

    def to_data(self, *, volunteer=None, team=None):
        from kexie.volunteers.services.menu import MenuItemData

        data = self.cleaned_data
        return MenuItemData(
            title=data["title"],
            discipline=data["discipline"],
            form=data["form"],
            volunteer=volunteer,
            team=team,
            audience=data.get("audience", ""),
            duration_hours=data["duration_hours"],
            description=data.get("description", ""),
            requirements=data.get("requirements", ""),
            divisions=list(data.get("divisions") or []),
        )


class HoursForm(DomainErrorForm):
    served_on = forms.DateField(label=_("Served on"), widget=forms.DateInput(attrs={**_TEXT, "type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.5"}),
    )
    description = forms.CharField(
        label=_("Service"),
        max_length=255,
        help_text=_("What the service was and for whom."),
        widget=forms.TextInput(attrs=_TEXT),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("A certificate, a letter or a photo (PDF, JPG, PNG, up to 10 MB)."),
        widget=forms.ClearableFileInput(attrs={**_TEXT, "accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def to_data(self):
        from kexie.volunteers.services.hours import ManualHours

        data = self.cleaned_data
        return ManualHours(
            served_on=data["served_on"],
            hours=data["hours"],
            description=data["description"],
            evidence=data["evidence"],
        )


class PolicyForm(DomainErrorForm):
    accept_workdays = forms.IntegerField(
        label=_("Working days to accept"), min_value=1, max_value=30, widget=forms.NumberInput(attrs=_TEXT)
    )
    rating_days = forms.IntegerField(
        label=_("Days to rate"), min_value=1, max_value=90, widget=forms.NumberInput(attrs=_TEXT)
    )


class StarsForm(DomainErrorForm):
    hours = forms.CharField(
        label=_("Hours for one to five stars"),
        help_text=_("Separate the thresholds with commas, lowest first, such as 100, 300, 600, 1000, 1500."),
        widget=forms.TextInput(attrs=_TEXT),
    )

    def clean_hours(self):
        parts = [
            part.strip() for part in self.cleaned_data["hours"].replace("，", ",").split(",") if part.strip()
        ]
        if not parts or not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Give whole numbers of hours separated by commas."))
        return [int(part) for part in parts]

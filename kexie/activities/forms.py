"""Forms of the activity pages. They parse and shape input only; the rules live in
kexie.activities.services, whose DomainError each form shows on the field it names."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.activities import selectors
from kexie.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityKind,
    ApprovalPolicy,
    Category,
    Figure,
    Mode,
    PeriodLock,
    Status,
    TargetGroup,
)
from kexie.activities.services.activities import ActivityData
from kexie.activities.services.catalog import CampaignData, EditionData, KindData
from kexie.core.validators import validate_division_code
from kexie.core.widgets import QuickSelect, SearchSelect
from kexie.orgs.forms import DateInput, KexieForm
from kexie.orgs.models import Division, Organization
from kexie.people.models import Person
from kexie.people.selectors.people import person_queryset

CHOOSE = _("— choose —")


def _with_blank(choices, label=CHOOSE):
    return [("", label), *choices]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def organization_picker(scope, *, empty_label, attrs=None) -> SearchSelect:
    """The select of an organization in scope, filled by a search (views.organization_options)."""

    def name_of(pk) -> str | None:
        if not str(pk).isdigit():
            return None
        return scope.organizations().filter(pk=pk).values_list("name", flat=True).first()

    return SearchSelect(
        url="activities:organization_options",
        chosen_label=name_of,
        empty_label=empty_label,
        placeholder=_("Find: name, pinyin or initials"),
        find_label=_("Find an organization"),
        attrs=attrs,
    )


# --- the list's filters ----------------------------------------------------------------


class ActivityFilterForm(forms.Form):
    """GET parameters of the activity list in, `selectors.ActivityFilter` out. Malformed
    values are ignored, never an error page. `stat`, `from`, `to`, `org` and `own` are the
    parameters of a statistic's link (kexie.statistics.selectors.records_url)."""

    q = forms.CharField(label=_("Search"), max_length=64, required=False)
    kind = forms.IntegerField(label=_("Kind"), required=False, widget=QuickSelect())
    category = forms.ChoiceField(label=_("Category"), required=False)
    campaign = forms.IntegerField(label=_("Campaign"), required=False, widget=QuickSelect())
    edition = forms.IntegerField(required=False, widget=forms.HiddenInput())
    target_group = forms.IntegerField(label=_("Target group"), required=False, widget=QuickSelect())
    status = forms.ChoiceField(label=_("Status"), required=False)
    mode = forms.ChoiceField(label=_("Online or on site"), required=False)
    org = forms.IntegerField(label=_("Organizer"), required=False)
    own = forms.BooleanField(required=False, widget=forms.HiddenInput())
    stat = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput())
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Newest first")), ("date", _("Oldest first"))],
    )

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        # "from" and "to" are Python keywords: the statistic links name them so.
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=DateInput())
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=DateInput())
        self.fields["kind"].widget.choices = _with_blank(
            ActivityKind.objects.values_list("pk", "name"), _("All kinds")
        )
        self.fields["category"].choices = _with_blank(Category.choices, _("All categories"))
        self.fields["campaign"].widget.choices = _with_blank(
            selectors.campaigns_visible(scope=scope).values_list("pk", "name"), _("Any campaign")
        )
        self.fields["target_group"].widget.choices = _with_blank(
            TargetGroup.objects.values_list("pk", "name"), _("Any target group")
        )
        self.fields["status"].choices = _with_blank(Status.choices, _("Any status"))
        self.fields["mode"].choices = _with_blank(Mode.choices, _("On site and online: all"))
        self.fields["org"].widget = organization_picker(
            scope,
            empty_label=_("All organizations in my scope"),
            attrs={"class": "form-select form-select-sm"},
        )

    def value(self, name, default=None):
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    @property
    def oldest_first(self) -> bool:
        return self.value("sort", "") == "date"

    def to_filter(self) -> selectors.ActivityFilter:
        return selectors.ActivityFilter(
            query=" ".join((self.value("q", "") or "").split()),
            kind=self.value("kind"),
            category=self.value("category", ""),
            campaign=self.value("campaign"),
            edition=self.value("edition"),
            target_group=self.value("target_group"),
            status=self.value("status", ""),
            mode=self.value("mode", ""),
            organization=self.value("org"),
            own=bool(self.value("own", False)),
            start=self.value("from"),
            end=self.value("to"),
            statistic=self.value("stat", ""),
        )


# --- recording and editing -------------------------------------------------------------


def figure_field(code: str) -> forms.Field:
    label = Figure(code).label
    attrs = {"inputmode": "decimal" if code == Figure.SERVICE_HOURS else "numeric", "min": 0}
    if code == Figure.SERVICE_HOURS:
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=0,
            decimal_places=1,
            widget=forms.NumberInput(attrs=attrs | {"step": "0.1"}),
        )
    return forms.IntegerField(label=label, required=False, min_value=0, widget=forms.NumberInput(attrs=attrs))


class ActivityForm(KexieForm):
    """Record, edit or correct an activity. Only the figures of the chosen kind are fields
    (the page swaps them when the kind changes: views.figure_fields); speakers are people of
    the talent pool chosen in a search (checkboxes named `speakers`)."""

    title = forms.CharField(label=_("Title"), max_length=128)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ActivityKind.objects.none(), empty_label=CHOOSE)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    mode = forms.ChoiceField(label=_("Online or on site"), choices=Mode.choices)
    venue = forms.CharField(label=_("Venue"), max_length=128, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    division = forms.CharField(
        label=_("Division code"),
        max_length=6,
        required=False,
        help_text=_("6 digits of the county or city where it was held (GB/T 2260), e.g. 110101."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{6}", "autocomplete": "off"}),
    )
    theme = forms.CharField(label=_("Theme"), max_length=128, required=False)
    campaign_edition = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=None,
        required=False,
        empty_label=_("— not part of a campaign —"),
        help_text=_("全国科普日, 科技活动周…: the edition of the year the activity is held in."),
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co_organizers = forms.ModelMultipleChoiceField(
        label=_("Co-organizers in the network"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    partners = forms.CharField(
        label=_("Other co-organizers"),
        max_length=255,
        required=False,
        help_text=_("Departments, units and bodies outside the network, e.g. 县教育局、县气象局."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, data=None, *, scope, instance: Activity | None = None, kind=None, correcting=False, **kwargs
    ):
        self.scope, self.instance = scope, instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = (
                {
                    "title": instance.title,
                    "kind": instance.kind_id,
                    "starts_at": timezone.localtime(instance.starts_at),
                    "ends_at": timezone.localtime(instance.ends_at),
                    "mode": instance.mode,
                    "venue": instance.venue,
                    "address": instance.address,
                    "division": instance.division_id or "",
                    "theme": instance.theme,
                    "campaign_edition": instance.campaign_edition_id,
                    "target_groups": list(instance.target_groups.values_list("pk", flat=True)),
                    "co_organizers": list(instance.co_organizers.values_list("pk", flat=True)),
                    "partners": instance.partners,
                    "description": instance.description,
                }
                | {code: getattr(instance, code) for code in Figure.values}
                | initial
            )
        super().__init__(data, initial=initial, **kwargs)
        kinds = selectors.kinds_in_use()
        if instance is not None:
            kinds = ActivityKind.objects.filter(
                pk__in=[*kinds.values_list("pk", flat=True), instance.kind_id]
            )
        self.fields["kind"].queryset = kinds
        # Choosing another kind swaps the figures fieldset (views.figure_fields), values kept.
        self.fields["kind"].widget.attrs.update(
            {
                "hx-get": reverse("activities:figure_fields"),
                "hx-trigger": "change",
                "hx-target": "#kx-figures",
                "hx-swap": "outerHTML",
                "hx-include": "#kx-figures",
            }
        )
        edition = self.fields["campaign_edition"]
        edition.queryset = selectors.editions_visible(scope=scope).order_by("-year", "campaign__position")
        co = self.fields["co_organizers"]
        co.queryset = self._co_organizer_choices(scope, instance)
        co.widget.attrs["size"] = 6
        if correcting:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the correction"),
                max_length=255,
                help_text=_("Kept with the values it replaces and shown in the activity's history."),
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        self.chosen_kind = kind if kind is not None else self._chosen_kind()
        self.figure_names = []
        for code in self.chosen_kind.figures if self.chosen_kind is not None else []:
            if code in Figure.values:
                self.fields[code] = figure_field(code)
                self.fields[code].widget.attrs["class"] = "form-control"
                self.figure_names.append(code)
        self.chosen_speakers = self._initial_speakers()

    @staticmethod
    def _co_organizer_choices(scope, instance):
        """The scope's organizations down to two levels below it (a province keeps thousands
        further down), and the ones chosen already."""
        nearby = scope.organizations().active().filter(depth__lte=scope.organization.depth + 2)
        if instance is not None:
            chosen = list(instance.co_organizers.values_list("pk", flat=True))
            return Organization.objects.filter(
                pk__in=[*nearby.values_list("pk", flat=True), *chosen]
            ).order_by("path")
        return nearby.order_by("path")

    def _chosen_kind(self) -> ActivityKind | None:
        value = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        if value in (None, ""):
            return None
        try:
            return self.fields["kind"].queryset.filter(pk=value).first()
        except (ValueError, TypeError):
            return None

    def _initial_speakers(self) -> list[Person]:
        if self.is_bound:
            ids = _ids(self.data.getlist("speakers"))
            return list(self._speaker_queryset().filter(pk__in=ids)) if ids else []
        if self.instance is not None:
            return list(self.instance.speakers.order_by("sort_key"))
        return []

    def _speaker_queryset(self):
        """People the user may pick: in scope, or already speakers of this activity (a city
        user may have picked someone a county cannot see)."""
        allowed = person_queryset(scope=self.scope)
        if self.instance is None:
            return allowed
        kept = self.instance.speakers.values("pk")
        return Person.objects.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=kept))

    @property
    def figure_fields(self):
        return [self[name] for name in self.figure_names]

    def clean_division(self) -> Division | None:
        code = (self.cleaned_data.get("division") or "").strip()
        if not code:
            return None
        validate_division_code(code)
        division = Division.objects.filter(code=code).first()
        if division is None:
            raise ValidationError(_("Unknown division code %(code)s."), params={"code": code}, code="unknown")
        return division

    def clean(self):
        cleaned = super().clean()
        if self.is_bound:
            ids = _ids(self.data.getlist("speakers"))
            found = {person.pk: person for person in self._speaker_queryset().filter(pk__in=ids)}
            if len(found) < len(ids):
                self.add_error(None, _("A chosen speaker is outside your scope."))
            cleaned["speakers"] = [found[pk] for pk in ids if pk in found]
        return cleaned

    def to_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            title=data["title"],
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            mode=data["mode"],
            division=data.get("division"),
            address=data["address"],
            venue=data["venue"],
            theme=data["theme"],
            campaign_edition=data["campaign_edition"],
            description=data["description"],
            partners=data["partners"],
            target_groups=list(data["target_groups"]),
            co_organizers=list(data["co_organizers"]),
            speakers=data.get("speakers", []),
            figures={name: data.get(name) for name in self.figure_names},
        )


def _ids(values) -> list[int]:
    """Distinct positive ids among the posted values, in their order; others ignored."""
    ids = []
    for value in values:
        if str(value).isdigit() and int(value) not in ids:
            ids.append(int(value))
    return ids[:50]


class ReasonForm(KexieForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=255, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 255})
    )


class AttachmentForm(KexieForm):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=ActivityAttachment.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Photos: JPG or PNG, at most 10 MB. Documents: PDF, Word (.docx) or Excel (.xlsx), at most 20 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"}),
    )


# --- period locks and the approval policy ------------------------------------------------


class LockForm(KexieForm):
    period = forms.ChoiceField(label=_("Period"), choices=PeriodLock.Period.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Which one"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("The month (1–12), quarter (1–4) or half year (1–2); 1 for a whole year."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year, "number": 1})
        super().__init__(*args, **kwargs)


class PolicyForm(KexieForm):
    approver = forms.ChoiceField(
        label=_("Activities of my organization and the organizations below it are approved by"),
        choices=ApprovalPolicy.Approver.choices,
        widget=forms.RadioSelect,
    )


# --- kinds and campaigns -------------------------------------------------------------------


class KindForm(KexieForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Lowercase letters, digits and underscores, e.g. science_night."),
    )
    name = forms.CharField(label=_("Name"), max_length=32)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=_with_blank(Category.choices),
        help_text=_("The statistics count the kind's activities under its category."),
    )
    figures = forms.MultipleChoiceField(
        label=_("Figures its form asks for"),
        choices=Figure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label=_("In use (offered for new activities)"), required=False, initial=True
    )

    def __init__(self, data=None, *, instance: ActivityKind | None = None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "code": instance.code,
                "name": instance.name,
                "category": instance.category,
                "figures": list(instance.figures),
                "is_active": instance.is_active,
            } | initial
        super().__init__(data, initial=initial, **kwargs)

    def to_data(self) -> KindData:
        data = self.cleaned_data
        # Keep the order the figures were asked in before, new ones after it.
        old = list(self.instance.figures) if self.instance is not None else []
        chosen = [code for code in old if code in data["figures"]]
        chosen += [code for code in Figure.values if code in data["figures"] and code not in chosen]
        return KindData(
            code=data["code"],
            name=data["name"],
            category=data["category"],
            figures=chosen,
            is_active=data["is_active"],
        )


class CampaignForm(KexieForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Lowercase letters, digits and underscores, e.g. grape_festival."),
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    usual_dates = forms.CharField(
        label=_("Usual dates"), max_length=64, required=False, help_text=_("e.g. 每年8月")
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data=None, *, instance=None, **kwargs):
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "code": instance.code,
                "name": instance.name,
                "usual_dates": instance.usual_dates,
                "description": instance.description,
            } | initial
        super().__init__(data, initial=initial, **kwargs)

    def to_data(self) -> CampaignData:
        data = self.cleaned_data
        return CampaignData(
            code=data["code"],
            name=data["name"],
            usual_dates=data["usual_dates"],
            description=data["description"],
        )


class EditionForm(KexieForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    theme = forms.CharField(label=_("Theme"), max_length=128, required=False)

    def __init__(self, data=None, *, instance=None, **kwargs):
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "year": instance.year,
                "starts_on": instance.starts_on,
                "ends_on": instance.ends_on,
                "theme": instance.theme,
            } | initial
        else:
            initial = {"year": timezone.localdate().year} | initial
        super().__init__(data, initial=initial, **kwargs)

    def to_data(self) -> EditionData:
        data = self.cleaned_data
        return EditionData(
            year=data["year"], starts_on=data["starts_on"], ends_on=data["ends_on"], theme=data["theme"]
        )


def month_of(value: str | None) -> date:
    """The first day of a `YYYY-MM` value, else of the current month."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)

"""The organization list's filter form: GET parameters in, `selectors.OrganizationFilter` out.

The list page, its .xlsx export and the "view all" links of other pages share this form, so
an export always holds exactly the rows the user filtered on screen.
"""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import Kind, Organization, Status
from .selectors import OrganizationFilter

# How many organizations the "within" picker lists; deeper ones are still reachable by link.
UNDER_CHOICES_LIMIT = 500

ORDERING_CHOICES = [
    ("tree", _("Network order")),
    ("name", _("Name (pinyin)")),
    ("-founded_on", _("Newest founded first")),
    ("founded_on", _("Oldest founded first")),
]
PARTY_CHOICES = [("", _("Any")), ("yes", _("Covered by a party organization")), ("no", _("Not covered"))]


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.MultipleChoiceField(label=_("Kind"), required=False, choices=Kind.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])
    under = forms.IntegerField(label=_("Within"), required=False, min_value=1)
    division = forms.CharField(
        label=_("Division code"),
        required=False,
        max_length=6,
        validators=[RegexValidator(r"^\d{2,6}$", _("Enter 2 to 6 digits of a GB/T 2260 division code."))],
    )
    founded_from = forms.IntegerField(
        label=_("Founded from (year)"), required=False, min_value=1900, max_value=2100
    )
    founded_to = forms.IntegerField(
        label=_("Founded to (year)"), required=False, min_value=1900, max_value=2100
    )
    overdue = forms.BooleanField(label=_("Overdue re-election only"), required=False)
    party = forms.ChoiceField(label=_("Party coverage (societies)"), required=False, choices=PARTY_CHOICES)
    ordering = forms.ChoiceField(label=_("Order by"), required=False, choices=ORDERING_CHOICES)

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        self.under_organization: Organization | None = None

    def clean_under(self):
        pk = self.cleaned_data.get("under")
        if pk is None:
            return None
        organization = self.scope.organizations().filter(pk=pk).first()
        if organization is None:
            raise forms.ValidationError(_("No such organization in your scope."))
        self.under_organization = organization
        return pk

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("founded_from"), cleaned.get("founded_to")
        if start and end and start > end:
            self.add_error("founded_to", _("The end year is before the start year."))
        return cleaned

    def to_filter(self) -> OrganizationFilter:
        """The filter of every valid field; an invalid field is shown as an error and ignored."""
        if not self.is_bound:
            return OrganizationFilter()
        self.is_valid()
        data = self.cleaned_data
        party = data.get("party")
        return OrganizationFilter(
            q=(data.get("q") or "").strip(),
            kinds=list(data.get("kind") or []),
            status=data.get("status") or "",
            under=self.under_organization,
            division_code=data.get("division") or "",
            founded_from=data.get("founded_from"),
            founded_to=data.get("founded_to"),
            overdue_only=bool(data.get("overdue")),
            party_covered={"yes": True, "no": False}.get(party or ""),
            ordering=data.get("ordering") or "tree",
        )

    @property
    def active_count(self) -> int:
        """How many filters are set (shown on the collapsed filter button on phones)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return 0
        keys = ("q", "kind", "status", "under", "division", "founded_from", "founded_to", "overdue", "party")
        return sum(1 for key in keys if self.cleaned_data.get(key))

    @property
    def advanced_active(self) -> bool:
        """Whether a filter behind "More filters" is set, so that panel opens by itself."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return False
        keys = ("division", "founded_from", "founded_to", "overdue", "party")
        return any(self.cleaned_data.get(key) for key in keys) or any(key in self.errors for key in keys)

    def under_choices(self) -> list[tuple[int, str]]:
        return branch_choices(self.scope, include=self.under_organization)


def branch_choices(scope, *, include: Organization | None = None) -> list[tuple[int, str]]:
    """Organizations in scope that have sub-organizations, indented by level, for pickers
    ("within", the statistics root); `include` is listed even if it has none."""
    root_depth = scope.organization.depth
    has_children = Exists(Organization.objects.filter(parent=OuterRef("pk")))
    rows = (
        scope.organizations()
        .filter(Q(has_children) | Q(pk=include.pk if include else 0))
        .order_by("path")
        .values_list("pk", "depth", "name", "short_name")[:UNDER_CHOICES_LIMIT]
    )
    return [(pk, "\u3000" * (depth - root_depth) + (short or name)) for pk, depth, name, short in rows]

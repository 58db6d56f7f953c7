"""Forms for honours, visits, talent lists, disciplines and tags. They parse and shape input;
the rules live in kexie.people.services.records, whose DomainError each form shows on the
field it names."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.orgs.forms import DateInput, KexieForm, ParentChoiceField
from kexie.orgs.models import Organization
from kexie.people.models import (
    Discipline,
    Education,
    Gender,
    HonourGrade,
    HonourLevel,
    Tag,
    TalentList,
    TitleLevel,
    VisitOccasion,
)
from kexie.people.selectors.people import FILTER_PARAMS, person_filter_query
from kexie.people.selectors.records import HonourFilter, VisitFilter
from kexie.people.services.records import (
    FIRST_HONOUR_YEAR,
    DisciplineData,
    HonourData,
    TagData,
    TalentListData,
    VisitData,
)

# Titles offered as suggestions while typing; any other title may be entered.
HONOUR_TITLE_SUGGESTIONS = (
    "最美科技工作者",
    "青年科技奖",
    "创新达人",
    "优秀科技工作者",
    "科学技术进步奖",
    "科学技术发明奖",
    "自然科学奖",
    "全国科普日活动优秀组织单位",
    "科普工作先进集体",
    "科普工作先进个人",
    "优秀学会",
    "全国先进基层科协",
)


CHOOSE = _("— choose —")


def _with_blank(choices, label=CHOOSE):
    return [("", label), *choices]


class HonourForm(KexieForm):
    title = forms.CharField(
        label=_("Title of the honour"),
        max_length=128,
        widget=forms.TextInput(attrs={"list": "kx-honour-titles", "autocomplete": "off"}),
        help_text=_("For example 最美科技工作者, 青年科技奖 or 全国科普日活动优秀组织单位."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=_with_blank(HonourLevel.choices))
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=_with_blank(HonourGrade.choices, _("— no grade —")),
        required=False,
        help_text=_("Only for prizes awarded in grades (一等奖, 二等奖…)."),
    )
    year = forms.IntegerField(label=_("Year"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    issuer = forms.CharField(
        label=_("Awarded by"),
        max_length=128,
        required=False,
        help_text=_("The body that conferred it, e.g. 中国科协 or 示例省人民政府."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_(
            "A scan or photo of the certificate or the award document: PDF, JPG or PNG, at most 10 MB."
        ),
    )
    remove_evidence = forms.BooleanField(label=_("Remove the evidence file kept now"), required=False)

    def __init__(self, data=None, files=None, *, instance=None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "title": instance.title,
                "level": instance.level,
                "grade": instance.grade,
                "year": instance.year,
                "issuer": instance.issuer,
                "note": instance.note,
            } | initial
        else:
            initial = {"year": timezone.localdate().year} | initial
        super().__init__(data, files, initial=initial, **kwargs)
        # The file widget must not offer Django's own "clear" box: removing is explicit.
        self.fields["evidence"].widget = forms.FileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png", "class": "form-control"}
        )
        next_year = timezone.localdate().year + 1
        self.fields["year"].widget.attrs.update({"min": FIRST_HONOUR_YEAR, "max": next_year})
        if instance is None or not instance.evidence:
            del self.fields["remove_evidence"]

    @property
    def title_suggestions(self):
        return HONOUR_TITLE_SUGGESTIONS

    def to_data(self) -> HonourData:
        data = self.cleaned_data
        return HonourData(
            title=data["title"],
            level=data["level"],
            grade=data["grade"],
            year=data["year"],
            issuer=data["issuer"],
            note=data["note"],
        )


class ReasonForm(KexieForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200})
    )


class _FilterForm(forms.Form):
    """A list's filters: malformed values are ignored, never an error page."""

    def value(self, name, default=None):
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default


class HonourFilterForm(_FilterForm):
    q = forms.CharField(label=_("Search"), max_length=64, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_HONOUR_YEAR, max_value=2100)
    level = forms.ChoiceField(
        label=_("Level"), choices=_with_blank(HonourLevel.choices, _("All levels")), required=False
    )
    grade = forms.ChoiceField(
        label=_("Grade"), choices=_with_blank(HonourGrade.choices, _("Any grade")), required=False
    )
    recipient = forms.ChoiceField(
        label=_("Honoured"),
        choices=[
            ("", _("People and organizations")),
            ("person", _("People")),
            ("organization", _("Organizations")),
        ],
        required=False,
    )

    def to_filter(self) -> HonourFilter:
        return HonourFilter(
            year=self.value("year"),
            level=self.value("level", ""),
            grade=self.value("grade", ""),
            recipient=self.value("recipient", ""),
            query=self.value("q", ""),
        )


class VisitForm(KexieForm):
    organization = ParentChoiceField(label=_("Visiting organization"), queryset=Organization.objects.none())
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    occasion = forms.ChoiceField(label=_("Occasion"), choices=_with_blank(VisitOccasion.choices))
    visitors = forms.CharField(
        label=_("Visited by"),
        max_length=200,
        help_text=_("Who went, e.g. 甲县科协主席 王某, 副主席 李某."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was discussed or given; needs and requests to follow up."),
    )

    def __init__(self, data=None, *, scope, instance=None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "visited_on": instance.visited_on,
                "occasion": instance.occasion,
                "visitors": instance.visitors,
                "note": instance.note,
            } | initial
        else:
            initial = {"visited_on": timezone.localdate(), "organization": scope.organization.pk} | initial
        super().__init__(data, initial=initial, **kwargs)
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if instance is not None:
            del self.fields["organization"]
        else:
            field = self.fields["organization"]
            field.queryset = scope.organizations().active().order_by("path")
            field.root_depth = scope.organization.depth

    def to_data(self) -> VisitData:
        data = self.cleaned_data
        return VisitData(
            visited_on=data["visited_on"],
            occasion=data["occasion"],
            visitors=data["visitors"],
            note=data["note"],
        )


class VisitFilterForm(_FilterForm):
    q = forms.CharField(label=_("Person visited"), max_length=64, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_HONOUR_YEAR, max_value=2100)
    occasion = forms.ChoiceField(
        label=_("Occasion"), choices=_with_blank(VisitOccasion.choices, _("Any occasion")), required=False
    )

    # The link behind a figure of the statistics page: ?stat=visits_made&from=&to=&org=&own=1
    stat = forms.SlugField(required=False, max_length=64)
    org = forms.IntegerField(required=False)
    own = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are Python keywords: declared here rather than as class attributes.
        self.fields["from"] = forms.DateField(label=_("From"), required=False)
        self.fields["to"] = forms.DateField(label=_("To"), required=False)

    def to_filter(self) -> VisitFilter:
        return VisitFilter(
            year=self.value("year"),
            occasion=self.value("occasion", ""),
            query=self.value("q", ""),
            statistic=self.value("stat", ""),
            start=self.value("from"),
            end=self.value("to"),
            organization=self.value("org"),
            own=bool(self.value("own", False)),
        )


# The people-list parameters a saved search shows as fields; the others (unit, organization,
# society: ids chosen on the people list) are carried along unchanged.
_SEARCH_FIELDS = (
    "q",
    "tag",
    "discipline",
    "title_level",
    "title",
    "education",
    "gender",
    "age_min",
    "age_max",
    "division",
    "native_place",
    "employer",
)
_CARRIED = tuple(name for name in FILTER_PARAMS if name not in _SEARCH_FIELDS)


class TalentListForm(KexieForm):
    """A talent list; for a saved search, the conditions of the people list it keeps."""

    name = forms.CharField(label=_("Name of the list"), max_length=128)
    kind = forms.ChoiceField(
        label=_("Kind of list"),
        choices=TalentList.Kind.choices,
        widget=forms.RadioSelect,
        initial=TalentList.Kind.EXPLICIT,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the list is for, e.g. 家乡院士 to invite to the annual forum."),
    )
    q = forms.CharField(label=_("Name, pinyin or initials"), max_length=64, required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    discipline = forms.ChoiceField(label=_("Discipline"), required=False)
    title_level = forms.ChoiceField(
        label=_("Title level"), choices=_with_blank(TitleLevel.choices, _("Any")), required=False
    )
    title = forms.CharField(label=_("Professional title contains"), max_length=64, required=False)
    education = forms.ChoiceField(
        label=_("Education"), choices=_with_blank(Education.choices, _("Any")), required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=_with_blank(Gender.choices, _("Any")), required=False
    )
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120)
    division = forms.CharField(
        label=_("Region (division code)"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{6}"}),
    )
    native_place = forms.CharField(
        label=_("Native place (division code)"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{6}"}),
        help_text=_("For hometown talent (家乡人才): the code of the home county, city or province."),
    )
    employer = forms.CharField(label=_("Employer contains"), max_length=64, required=False)

    def __init__(self, data=None, *, instance: TalentList | None = None, search=None, **kwargs):
        """`search`: a people-list query (a QueryDict) to prefill a new saved search."""
        from django.http import QueryDict

        self.instance = instance
        initial = kwargs.pop("initial", {})
        query = QueryDict(instance.filter_query) if instance is not None else (search or QueryDict())
        self.carried = {name: query.get(name) for name in _CARRIED if (query.get(name) or "").strip()}
        conditions = {name: query.get(name) for name in _SEARCH_FIELDS if (query.get(name) or "").strip()}
        if instance is not None:
            initial = {
                "name": instance.name,
                "kind": instance.kind,
                "description": instance.description,
            } | initial
        elif conditions or self.carried:
            initial = {"kind": TalentList.Kind.SAVED_FILTER} | initial
        super().__init__(data, initial=conditions | initial, **kwargs)
        self.fields["tag"].choices = [("", _("Any tag")), *Tag.objects.values_list("code", "name")]
        self.fields["discipline"].choices = [("", _("Any discipline")), *discipline_choices()]
        if instance is not None:
            del self.fields["kind"]
        else:
            self.fields["kind"].widget.attrs["class"] = "form-check-input"

    @property
    def condition_fields(self):
        return [self[name] for name in _SEARCH_FIELDS]

    @property
    def kind_value(self) -> str:
        if self.instance is not None:
            return self.instance.kind
        return self["kind"].value() or ""

    def filter_query(self) -> str:
        data = self.cleaned_data
        params = {}
        for name in _SEARCH_FIELDS:
            value = data.get(name)
            params[name] = "" if value is None else str(value)
        params |= self.carried
        return person_filter_query(params)

    def to_data(self) -> TalentListData:
        data = self.cleaned_data
        return TalentListData(
            name=data["name"],
            kind=data.get("kind") or self.instance.kind,
            description=data["description"],
            filter_query=self.filter_query(),
        )


def discipline_choices() -> list[tuple[str, str]]:
    """Active disciplines, each category (which selects all its disciplines) followed by
    its own disciplines, indented."""
    items = list(Discipline.objects.filter(is_active=True).order_by("position", "code"))
    children: dict[int, list] = {}
    for item in items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)
    choices = []
    for item in items:
        if item.is_category:
            choices.append((str(item.pk), item.name))
            choices.extend((str(child.pk), f"\u3000{child.name}") for child in children.get(item.pk, []))
    return choices


class TalentListAddForm(KexieForm):
    person = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class DisciplineForm(KexieForm):
    code = forms.CharField(
        label=_("Code"), max_length=16, help_text=_("The code of GB/T 13745 where there is one, e.g. 520.")
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    parent = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Discipline.objects.none(),
        required=False,
        empty_label=_("(none: this is a category)"),
        help_text=_("Disciplines have two levels: a category, and the disciplines under it."),
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(
        label=_("In use (offered when recording people)"), required=False, initial=True
    )

    def __init__(self, data=None, *, instance: Discipline | None = None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {
                "code": instance.code,
                "name": instance.name,
                "parent": instance.parent_id,
                "position": instance.position,
                "is_active": instance.is_active,
            } | initial
        super().__init__(data, initial=initial, **kwargs)
        categories = Discipline.objects.filter(parent__isnull=True).order_by("position", "code")
        if instance is not None:
            categories = categories.exclude(pk=instance.pk)
        self.fields["parent"].queryset = categories

    def to_data(self) -> DisciplineData:
        data = self.cleaned_data
        return DisciplineData(
            code=data["code"],
            name=data["name"],
            parent=data["parent"],
            position=data["position"] or 0,
            is_active=data["is_active"],
        )


class TagForm(KexieForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Latin letters, digits and underscores; used in saved searches, e.g. academician."),
    )
    name = forms.CharField(label=_("Name"), max_length=32)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, data=None, *, instance: Tag | None = None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {"code": instance.code, "name": instance.name, "position": instance.position} | initial
        super().__init__(data, initial=initial, **kwargs)

    def to_data(self) -> TagData:
        data = self.cleaned_data
        return TagData(code=data["code"], name=data["name"], position=data["position"] or 0)

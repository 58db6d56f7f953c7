"""Input and output shapes of the talent-pool API, one pair per endpoint.

Input serializers check the shape of a request only; every rule of the domain (ID number
check digits, minors, duplicates) lives in the services, whose DomainError the API turns
into a 400 naming the field. Output serializers never carry an ID number or a mobile in
clear: a person's identifiers are the masked copies, unless the view passes the values
`people_reveal` returned (context["revealed"]), which it does only for an audited unmask.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kexie.orgs.models import Division
from kexie.orgs.serializers import MaskedPhoneField, ScopedOrganizationField

from .models import (
    Discipline,
    Education,
    Gender,
    HonourGrade,
    HonourLevel,
    Industry,
    MemberStatus,
    Person,
    PoliticalStatus,
    Tag,
    TitleLevel,
    Unit,
    UnitKind,
    UnitSize,
    VisitOccasion,
)
from .selectors.people import person_queryset
from .services.members import MembershipData
from .services.people import PersonData
from .services.records import HonourData, VisitData
from .services.units import UNIT_FIELDS, UnitData

# --- fields --------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    """A unit id, resolved through the caller's scope: a unit kept outside it does not exist."""

    def get_queryset(self):
        return self.context["request"].scope.filter(Unit.objects.all(), via="organization")


@extend_schema_field(OpenApiTypes.INT)
class ScopedPersonField(serializers.PrimaryKeyRelatedField):
    """A person id, resolved through the caller's scope (anonymized records excluded)."""

    def get_queryset(self):
        return person_queryset(scope=self.context["request"].scope)


@extend_schema_field(OpenApiTypes.STR)
class DivisionCodeField(serializers.PrimaryKeyRelatedField):
    """An administrative division by its GB/T 2260 code (370402)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Division.objects.all(), **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceField(serializers.ChoiceField):
    """A choice the schema documents as a string with its codes listed in the help text.

    For fields named like an enum of the organization API (`kind`, `status`): two choice
    sets of one name in several schema components make drf-spectacular guess enum names.
    """

    def __init__(self, *, choices, **kwargs):
        codes = ", ".join(str(value) for value, _label in choices)
        help_text = kwargs.pop("help_text", "")
        super().__init__(choices=choices, help_text=f"{help_text} One of: {codes}.".strip(), **kwargs)


def _discipline_field(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Discipline.objects.filter(is_active=True), **kwargs
    )


# --- references inside outputs --------------------------------------------------------


class PersonRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UnitRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class KeeperRefOutputSerializer(serializers.Serializer):
    """The organization that keeps a record (or is honoured, or is a society)."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class DisciplineRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class DivisionRefOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


# --- people: input -------------------------------------------------------------------


class PersonFilterSerializer(serializers.Serializer):
    """Query parameters of the people list (mirrors selectors.people.PersonFilter)."""

    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="Name in Simplified or Traditional characters, full pinyin or initials (张伟, 張偉, zw).",
    )
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="A unit id.")
    discipline = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A discipline id; a category includes its disciplines.",
    )
    title_level = serializers.ChoiceField(
        choices=TitleLevel.choices, required=False, default="", allow_blank=True
    )
    tag = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=32, help_text="A tag code (expert)."
    )
    division = serializers.RegexField(
        r"^\d{2,6}$",
        required=False,
        default="",
        allow_blank=True,
        help_text="A GB/T 2260 code of the region; includes the divisions under it.",
    )
    native_place = serializers.RegexField(
        r"^\d{2,6}$",
        required=False,
        default="",
        allow_blank=True,
        help_text="A GB/T 2260 code of the native place; includes the divisions under it.",
    )
    education = serializers.ChoiceField(
        choices=Education.choices, required=False, default="", allow_blank=True
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, default="", allow_blank=True)
    age_min = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=150
    )
    age_max = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=150
    )
    organization = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only people kept in this organization's subtree (404 outside your scope).",
    )
    society = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only active members of this society (404 outside your scope).",
    )
    unmask = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Show ID numbers and mobiles of this page in clear: needs the unmask permission "
        "and a reason; audited.",
    )
    reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=200,
        help_text="Why the full personal data is needed (required with unmask).",
    )

    def validate(self, attrs):
        low, high = attrs.get("age_min"), attrs.get("age_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"age_max": _("The maximum age is below the minimum age.")})
        return attrs


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="Name in Simplified or Traditional characters, full pinyin or initials.",
    )


class _PersonFieldsInputSerializer(serializers.Serializer):
    """The editable fields of services.people.PersonData."""

    name = serializers.CharField(max_length=64)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(
        required=False, allow_null=True, help_text="Derived from the ID number when one is given."
    )
    id_number = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="Resident ID number (18 characters, GB 11643); stored encrypted, shown masked.",
    )
    mobile = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="Stored encrypted, shown masked."
    )
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    title = serializers.CharField(max_length=64, required=False, allow_blank=True)
    title_level = serializers.ChoiceField(choices=TitleLevel.choices, required=False, allow_blank=True)
    discipline = _discipline_field(required=False, allow_null=True, help_text="A discipline code.")
    unit = ScopedUnitField(required=False, allow_null=True, help_text="A unit id in your scope.")
    employer = serializers.CharField(max_length=128, required=False, allow_blank=True)
    position = serializers.CharField(max_length=64, required=False, allow_blank=True)
    division = DivisionCodeField(required=False, allow_null=True, help_text="Region (GB/T 2260 code).")
    native_place = DivisionCodeField(required=False, allow_null=True, help_text="GB/T 2260 code.")
    political_status = serializers.ChoiceField(
        choices=PoliticalStatus.choices, required=False, allow_blank=True
    )
    expertise = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    achievements = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    tags = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Tag.objects.all(),
        many=True,
        required=False,
        help_text="Tag codes; on PATCH the list replaces the person's tags.",
    )


class PersonCreateInputSerializer(_PersonFieldsInputSerializer):
    organization = ScopedOrganizationField(
        required=False,
        help_text="The organization that keeps the record (default: your active organization); "
        "it must be in your scope.",
    )

    def person_data(self) -> PersonData:
        data = dict(self.validated_data)
        data.pop("organization", None)
        return PersonData(**data)


class PersonUpdateInputSerializer(_PersonFieldsInputSerializer):
    """PATCH: any subset of the editable fields; the others keep their current values."""

    def person_data(self, current: PersonData) -> PersonData:
        for name, value in self.validated_data.items():
            setattr(current, name, value)
        return current


class PersonRevealInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=200,
        help_text="Why the full personal data is needed; recorded in the audit log.",
    )


# --- people: output ------------------------------------------------------------------


class PersonOutputSerializer(serializers.ModelSerializer):
    """A person in a list. `id_number` and `mobile` are masked unless the caller unmasked the page."""

    id_number = serializers.CharField(
        source="id_number_masked",
        read_only=True,
        help_text="Masked (110105********002X) unless unmasked with a reason.",
    )
    mobile = serializers.CharField(
        source="mobile_masked",
        read_only=True,
        help_text="Masked (138****8000) unless unmasked with a reason.",
    )
    gender_display = serializers.CharField(source="get_gender_display", read_only=True)
    education_display = serializers.CharField(source="get_education_display", read_only=True)
    title_level_display = serializers.CharField(source="get_title_level_display", read_only=True)
    discipline = DisciplineRefOutputSerializer(read_only=True, allow_null=True)
    unit = UnitRefOutputSerializer(read_only=True, allow_null=True)
    organization = KeeperRefOutputSerializer(read_only=True)
    division = DivisionRefOutputSerializer(read_only=True, allow_null=True)
    native_place = DivisionRefOutputSerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="people_api:person_detail")

    class Meta:
        model = Person
        fields = (
            "id",
            "name",
            "gender",
            "gender_display",
            "birth_date",
            "id_number",
            "mobile",
            "email",
            "education",
            "education_display",
            "title",
            "title_level",
            "title_level_display",
            "discipline",
            "unit",
            "employer",
            "position",
            "division",
            "native_place",
            "tags",
            "organization",
            "url",
        )
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        clear = self.context.get("revealed", {}).get(instance.pk)
        if clear is not None:
            data["id_number"], data["mobile"] = clear["id_number"], clear["mobile"]
        return data


class PersonDetailOutputSerializer(PersonOutputSerializer):
    """One person. The identifiers are always masked here; POST …/reveal/ shows them."""

    political_status_display = serializers.CharField(source="get_political_status_display", read_only=True)
    is_anonymized = serializers.BooleanField(read_only=True)

    class Meta(PersonOutputSerializer.Meta):
        fields = (
            *PersonOutputSerializer.Meta.fields,
            "political_status",
            "political_status_display",
            "expertise",
            "achievements",
            "is_anonymized",
            "anonymized_at",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class PersonRevealOutputSerializer(serializers.Serializer):
    id_number = serializers.CharField(help_text="In clear.")
    mobile = serializers.CharField(help_text="In clear.")


class SearchResultOutputSerializer(serializers.ModelSerializer):
    """One autocomplete suggestion; rank 0 is an exact match, 1 a prefix, 2 the rest."""

    unit_name = serializers.SerializerMethodField()
    mobile = serializers.CharField(source="mobile_masked", read_only=True, help_text="Masked.")
    rank = serializers.IntegerField(read_only=True)

    class Meta:
        model = Person
        fields = ("id", "name", "unit_name", "title", "mobile", "rank")
        read_only_fields = fields

    def get_unit_name(self, person: Person) -> str:
        return person.unit.name if person.unit_id else person.employer


# --- units ---------------------------------------------------------------------------


class UnitFilterSerializer(serializers.Serializer):
    """Query parameters of the unit list (mirrors selectors.units.UnitFilter)."""

    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        help_text="Name (simplified, traditional or pinyin) or credit code.",
    )
    kind = CodeChoiceField(choices=UnitKind.choices, required=False, default="", allow_blank=True)
    industry = serializers.ChoiceField(
        choices=Industry.choices, required=False, default="", allow_blank=True, help_text="GB/T 4754 section."
    )
    size = serializers.ChoiceField(choices=UnitSize.choices, required=False, default="", allow_blank=True)
    division = serializers.RegexField(
        r"^\d{2,6}$",
        required=False,
        default="",
        allow_blank=True,
        help_text="A GB/T 2260 code; includes the divisions under it.",
    )


class _UnitFieldsInputSerializer(serializers.Serializer):
    """The editable fields of services.units.UnitData."""

    name = serializers.CharField(max_length=128)
    kind = CodeChoiceField(choices=UnitKind.choices, required=False)
    credit_code = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="Unified social credit code (GB 32100), 18 characters.",
    )
    industry = serializers.ChoiceField(
        choices=Industry.choices, required=False, allow_blank=True, help_text="GB/T 4754 section."
    )
    division = DivisionCodeField(required=False, allow_null=True, help_text="Region (GB/T 2260 code).")
    size = serializers.ChoiceField(choices=UnitSize.choices, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class UnitCreateInputSerializer(_UnitFieldsInputSerializer):
    organization = ScopedOrganizationField(
        required=False,
        help_text="The organization that keeps the unit (default: your active organization); "
        "it must be in your scope.",
    )

    def unit_data(self) -> UnitData:
        data = dict(self.validated_data)
        data.pop("organization", None)
        return UnitData(**data)


class UnitUpdateInputSerializer(_UnitFieldsInputSerializer):
    """PATCH: any subset of the editable fields; the others keep their current values."""

    def unit_data(self, unit: Unit) -> UnitData:
        current = {name: getattr(unit, name) for name in UNIT_FIELDS}
        return UnitData(**(current | dict(self.validated_data)))


class UnitOutputSerializer(serializers.ModelSerializer):
    """A unit. Its contact phone is always masked."""

    kind = CodeChoiceField(choices=UnitKind.choices, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    size_display = serializers.CharField(source="get_size_display", read_only=True)
    organization = KeeperRefOutputSerializer(read_only=True)
    division = DivisionRefOutputSerializer(read_only=True, allow_null=True)
    contact_phone = MaskedPhoneField()
    url = serializers.HyperlinkedIdentityField(view_name="people_api:unit_detail")

    class Meta:
        model = Unit
        fields = (
            "id",
            "name",
            "kind",
            "kind_display",
            "credit_code",
            "industry",
            "industry_display",
            "division",
            "size",
            "size_display",
            "address",
            "contact_person",
            "contact_phone",
            "organization",
            "url",
        )
        read_only_fields = fields


class UnitDetailOutputSerializer(UnitOutputSerializer):
    people_count = serializers.IntegerField(read_only=True, help_text="People working there, in your scope.")

    class Meta(UnitOutputSerializer.Meta):
        fields = (*UnitOutputSerializer.Meta.fields, "people_count")
        read_only_fields = fields


# --- teams ---------------------------------------------------------------------------


class TeamFilterSerializer(serializers.Serializer):
    """Query parameters of the team list (mirrors selectors.units.TeamFilter)."""

    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        help_text="Part of the name (characters or pinyin).",
    )
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="A unit id.")
    discipline = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A discipline id; a category includes its disciplines.",
    )


class TeamOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    leader = PersonRefOutputSerializer(allow_null=True)
    unit = UnitRefOutputSerializer(allow_null=True)
    discipline = DisciplineRefOutputSerializer(allow_null=True)
    founded_on = serializers.DateField(allow_null=True)
    organization = KeeperRefOutputSerializer()
    member_count = serializers.IntegerField()
    url = serializers.HyperlinkedIdentityField(view_name="people_api:team_detail")


class TeamMemberOutputSerializer(serializers.Serializer):
    person = PersonRefOutputSerializer()
    role = serializers.CharField()
    joined_on = serializers.DateField(allow_null=True)


class TeamDetailOutputSerializer(TeamOutputSerializer):
    description = serializers.CharField()
    members = TeamMemberOutputSerializer(
        source="member_rows", many=True, help_text="Anonymized people are left out."
    )


# --- society memberships -------------------------------------------------------------


class MembershipFilterSerializer(serializers.Serializer):
    """Query parameters of a society's roster (mirrors selectors.members.RosterFilter)."""

    society = serializers.IntegerField(
        help_text="The society whose members to list (404 outside your scope)."
    )
    status = CodeChoiceField(choices=MemberStatus.choices, required=False, default="", allow_blank=True)
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="Member's name (characters, pinyin or initials), unit name or membership number.",
    )
    member_type = serializers.ChoiceField(
        choices=[("individual", "individual"), ("institutional", "institutional")],
        required=False,
        default="",
        allow_blank=True,
        help_text="People (individual) or units (institutional) only.",
    )


class MembershipCreateInputSerializer(serializers.Serializer):
    """A person (individual member) or a unit (institutional member), not both."""

    society = ScopedOrganizationField(help_text="The society; it must be in your scope.")
    person = ScopedPersonField(required=False, allow_null=True, help_text="A person in your scope.")
    unit = ScopedUnitField(required=False, allow_null=True, help_text="A unit in your scope.")
    joined_on = serializers.DateField()
    number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    status = CodeChoiceField(choices=MemberStatus.choices, required=False, default=MemberStatus.ACTIVE)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def membership_data(self) -> MembershipData:
        data = self.validated_data
        return MembershipData(
            joined_on=data["joined_on"], number=data["number"], status=data["status"], note=data["note"]
        )


class SocietyMembershipOutputSerializer(serializers.Serializer):
    """An individual (person) or institutional (unit) member of a society."""

    id = serializers.IntegerField()
    society = KeeperRefOutputSerializer()
    person = PersonRefOutputSerializer(allow_null=True)
    unit = UnitRefOutputSerializer(allow_null=True)
    member_name = serializers.CharField()
    is_institutional = serializers.BooleanField()
    number = serializers.CharField()
    joined_on = serializers.DateField()
    status = CodeChoiceField(choices=MemberStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    left_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    url = serializers.HyperlinkedIdentityField(view_name="people_api:membership_detail")


# --- honours -------------------------------------------------------------------------


class HonourFilterSerializer(serializers.Serializer):
    """Query parameters of the honour list (mirrors selectors.records.HonourFilter)."""

    year = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100
    )
    level = serializers.ChoiceField(choices=HonourLevel.choices, required=False, default="", allow_blank=True)
    grade = serializers.ChoiceField(choices=HonourGrade.choices, required=False, default="", allow_blank=True)
    recipient = serializers.ChoiceField(
        choices=[("person", "person"), ("organization", "organization")],
        required=False,
        default="",
        allow_blank=True,
        help_text="Honours of people or of organizations only.",
    )
    q = serializers.CharField(
        source="query",
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        help_text="Part of the title or of the recipient's name.",
    )


class HonourCreateInputSerializer(serializers.Serializer):
    """An honour goes to one person or to one organization, not both."""

    person = ScopedPersonField(required=False, allow_null=True, help_text="A person in your scope.")
    recipient_organization = ScopedOrganizationField(
        required=False, allow_null=True, help_text="An organization in your scope."
    )
    title = serializers.CharField(max_length=128)
    level = serializers.ChoiceField(choices=HonourLevel.choices)
    grade = serializers.ChoiceField(choices=HonourGrade.choices, required=False, allow_blank=True, default="")
    year = serializers.IntegerField()
    issuer = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="A PDF, JPG or PNG of the certificate, up to 10 MB (multipart upload).",
    )
    organization = ScopedOrganizationField(
        required=False,
        help_text="The organization recording the honour (default: your active organization).",
    )

    def honour_data(self) -> HonourData:
        data = self.validated_data
        return HonourData(
            title=data["title"],
            level=data["level"],
            year=data["year"],
            grade=data["grade"],
            issuer=data["issuer"],
            note=data["note"],
        )


class HonourOutputSerializer(serializers.Serializer):
    """An honour of a person or of an organization (exactly one of the two is set)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    level = serializers.ChoiceField(choices=HonourLevel.choices)
    level_display = serializers.CharField(source="get_level_display")
    grade = serializers.ChoiceField(choices=HonourGrade.choices, allow_blank=True)
    grade_display = serializers.CharField(source="get_grade_display")
    year = serializers.IntegerField()
    issuer = serializers.CharField()
    person = PersonRefOutputSerializer(allow_null=True)
    recipient_organization = KeeperRefOutputSerializer(allow_null=True)
    recipient_name = serializers.SerializerMethodField()
    has_evidence = serializers.SerializerMethodField()
    note = serializers.CharField()
    organization = KeeperRefOutputSerializer(help_text="The organization that recorded the honour.")
    url = serializers.HyperlinkedIdentityField(view_name="people_api:honour_detail")

    def get_recipient_name(self, honour) -> str:
        return str(honour.recipient)

    def get_has_evidence(self, honour) -> bool:
        return bool(honour.evidence)


# --- visits --------------------------------------------------------------------------


class VisitFilterSerializer(serializers.Serializer):
    """Query parameters of the visit list (mirrors selectors.records.VisitFilter)."""

    year = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100
    )
    occasion = serializers.ChoiceField(
        choices=VisitOccasion.choices, required=False, default="", allow_blank=True
    )
    q = serializers.CharField(
        source="query",
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text="The visited person's name (characters, pinyin or initials).",
    )


class VisitCreateInputSerializer(serializers.Serializer):
    person = ScopedPersonField(help_text="The person visited; in your scope.")
    visited_on = serializers.DateField()
    occasion = serializers.ChoiceField(choices=VisitOccasion.choices)
    visitors = serializers.CharField(max_length=200, help_text="Who made the visit.")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    organization = ScopedOrganizationField(
        required=False,
        help_text="The visiting organization (default: your active organization); in your scope.",
    )

    def visit_data(self) -> VisitData:
        data = self.validated_data
        return VisitData(
            visited_on=data["visited_on"],
            occasion=data["occasion"],
            visitors=data["visitors"],
            note=data["note"],
        )


class VisitOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = PersonRefOutputSerializer()
    visited_on = serializers.DateField()
    occasion = serializers.ChoiceField(choices=VisitOccasion.choices)
    occasion_display = serializers.CharField(source="get_occasion_display")
    visitors = serializers.CharField()
    note = serializers.CharField()
    organization = KeeperRefOutputSerializer(help_text="The visiting organization.")
    recorded_by = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="people_api:visit_detail")

    def get_recorded_by(self, visit) -> str:
        return str(visit.recorded_by) if visit.recorded_by_id else ""

"""The talent pool: people (科技工作者), units, teams, society memberships, honours, visits,
consents and talent lists.

One person is one record, whatever roles they play (member, expert, volunteer, judge…).
A record belongs to the organization that keeps it (`organization`): that is how scoping
reaches it. ID numbers and mobiles are stored encrypted (kexie.core.crypto) with a blind
index for exact lookups and a masked copy for display, never in clear.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# --- classifications the administrator edits -----------------------------------------


class Discipline(models.Model):
    """Field of science (学科), two levels after GB/T 13745: a category and its disciplines."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("category"),
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return self.name

    @property
    def is_category(self) -> bool:
        return self.parent_id is None


class Tag(models.Model):
    """A label on a person: expert, academician, PhD, volunteer… (the administrator edits)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


# --- units ---------------------------------------------------------------------------


class UnitKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University or college")
    HOSPITAL = "hospital", _("Hospital")
    INSTITUTE = "institute", _("Research institute")
    SCHOOL = "school", _("School")
    GOVERNMENT = "government", _("Government agency or public institution")
    OTHER = "other", _("Other")


class UnitSize(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Industry(models.TextChoices):
    """The sections (门类) of GB/T 4754-2017."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail")
    G = "G", _("Transport, storage and post")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water conservancy, environment and public facilities")
    O = "O", _("Resident services and repairs")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration and social organizations")
    T = "T", _("International organizations")


class Unit(models.Model):
    """An employer or institution: enterprise, university, hospital, institute, school."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="units", verbose_name=_("kept by")
    )
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind, default=UnitKind.ENTERPRISE)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry, blank=True)
    division = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    size = models.CharField(_("size"), max_length=8, choices=UnitSize, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    sort_key = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="unit_credit_code_unique"
            ),
        ]
        indexes = [models.Index(fields=["organization", "sort_key"], name="unit_org_sort_idx")]

    def __str__(self) -> str:
        return self.name


# --- people --------------------------------------------------------------------------


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Secondary school or below")


class TitleLevel(models.TextChoices):
    """Level of the professional title (职称级别)."""

    SENIOR = "senior", _("Senior (正高级)")
    VICE_SENIOR = "vice_senior", _("Associate senior (副高级)")
    INTERMEDIATE = "intermediate", _("Intermediate (中级)")
    JUNIOR = "junior", _("Junior (初级)")
    NONE = "none", _("None")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc_member", _("CPC member")
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
    CYL_MEMBER = "cyl_member", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
    NON_PARTISAN = "non_partisan", _("Non-partisan")
    MASSES = "masses", _("Masses (群众)")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ANONYMIZED = "anonymized", _("Anonymized")


class PersonQuerySet(models.QuerySet):
    def active(self):
        """Everyone but anonymized records, which leave search, lists and exports."""
        return self.filter(status=PersonStatus.ACTIVE)


class Person(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="people", verbose_name=_("kept by")
    )
    name = models.CharField(_("name"), max_length=64)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Personal identifiers: ciphertext, blind index for exact lookups, masked copy for display.
    id_number_encrypted = models.TextField(editable=False, blank=True)
    id_number_index = models.CharField(max_length=64, editable=False, blank=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False, blank=True)
    mobile_encrypted = models.TextField(editable=False, blank=True)
    mobile_index = models.CharField(max_length=64, editable=False, blank=True)
    mobile_masked = models.CharField(_("mobile"), max_length=16, editable=False, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(_("education"), max_length=16, choices=Education, blank=True)
    title = models.CharField(_("professional title"), max_length=64, blank=True)
    title_level = models.CharField(_("title level"), max_length=16, choices=TitleLevel, blank=True)
    discipline = models.ForeignKey(
        Discipline,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("discipline"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="people", verbose_name=_("unit")
    )
    employer = models.CharField(_("employer"), max_length=128, blank=True)
    position = models.CharField(_("position"), max_length=64, blank=True)
    division = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    native_place = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("native place"),
    )
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus, blank=True
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="people", verbose_name=_("tags"))
    expertise = models.TextField(_("expertise"), blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PersonStatus, default=PersonStatus.ACTIVE)
    anonymized_at = models.DateTimeField(_("anonymized at"), null=True, blank=True)
    # The portal login of the person themselves, when they have one.
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("portal account"),
    )
    # Search keys: the Simplified name, its usual pinyin and initials, the pinyin sort key.
    name_folded = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    pinyin = models.CharField(max_length=255, editable=False, blank=True)
    initials = models.CharField(max_length=64, editable=False, blank=True)
    sort_key = models.CharField(max_length=200, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~Q(id_number_index=""),
                name="person_id_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["sort_key", "id"], name="person_sort_idx"),
            models.Index(fields=["organization", "sort_key"], name="person_org_sort_idx"),
            models.Index(fields=["mobile_index"], name="person_mobile_idx"),
            models.Index(fields=["birth_date"], name="person_birth_idx"),
            models.Index(fields=["pinyin"], name="person_pinyin_idx"),
            models.Index(fields=["initials"], name="person_initials_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_anonymized(self) -> bool:
        return self.status == PersonStatus.ANONYMIZED

    def age_on(self, day: date) -> int | None:
        if not self.birth_date:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class PersonToken(models.Model):
    """One search key of a person's name at one place the person is seen from.

    Keys are characters, pairs of characters, pinyin readings, initials and pinyin tails
    (chinese.name_token_ranks), plus EVERYONE, the empty key every person has, which the
    unfiltered list walks. A place is an organization path: the keeper's, and the path of
    each society the person belongs to outside the keeper's branch (a scope sees a person
    kept in its subtree or belonging to a society in it, selectors.person_queryset). With
    the place, the name's rank and the pinyin sort key in the row, a search or list page
    is one index range, counted and paged without touching the person table; the first
    page costs the same whatever the size of the pool (decision 0006).
    """

    EVERYONE = ""

    class Rank(models.IntegerChoices):
        WHOLE = 0
        START = 1
        INSIDE = 2

    # db_index=False: person_token_person_idx, which starts with the person, serves the key.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tokens", db_index=False)
    token = models.CharField(max_length=64)
    path = models.CharField(max_length=255)
    rank = models.PositiveSmallIntegerField(choices=Rank)
    sort_key = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "path", "person"], name="person_token_unique"),
        ]
        indexes = [
            models.Index(fields=["person", "token", "path"], name="person_token_person_idx"),
            models.Index(
                fields=["token", "rank", "sort_key", "person", "path"], name="person_token_order_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.token


class PersonInScope(models.Model):
    """One organization whose scope sees a person: each place of the person (PersonToken's
    EVERYONE rows) and every ancestor of it, once.

    A list without a query is then the rows of one path, in pinyin order: an exact index
    range whatever the scope's depth or the size of the pool, so a city's or a county's
    list (filtered or not) reads its own people only, and its count is that range's length
    (decision 0007). Written with PersonToken, from the same places (services.search_index).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="scopes")
    path = models.CharField(max_length=255)
    sort_key = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["path", "person"], name="person_in_scope_unique"),
        ]
        indexes = [
            models.Index(fields=["path", "sort_key", "person"], name="person_in_scope_order_idx"),
        ]

    def __str__(self) -> str:
        return self.path


class ScopeCount(models.Model):
    """How many people one scope sees: the number of PersonInScope rows of its path, kept by
    services.search_index in the transaction that writes those rows (decision 0009). The
    count of a list without a query or filter is then one row, whatever the scope holds;
    `manage.py people_recount` rebuilds it from the rows."""

    path = models.CharField(max_length=255, unique=True)
    people = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.path}: {self.people}"


class Consent(models.Model):
    """A person's consent (or their guardian's) to the use of their data for a purpose."""

    class Purpose(models.TextChoices):
        TALENT_POOL = "talent_pool", _("Talent pool registration")
        MEMBERSHIP = "membership", _("Society membership")
        ACTIVITIES = "activities", _("Activities and competitions")
        VOLUNTEERING = "volunteering", _("Volunteering")
        PUBLICITY = "publicity", _("Publicity of honours")

    class Method(models.TextChoices):
        PAPER = "paper", _("Signed paper form")
        ONLINE = "online", _("Online form")
        VERBAL = "verbal", _("Verbal, recorded by staff")

    class GivenBy(models.TextChoices):
        SELF = "self", _("The person")
        GUARDIAN = "guardian", _("Guardian")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose)
    notice = models.CharField(_("notice shown"), max_length=200)
    method = models.CharField(_("how"), max_length=16, choices=Method)
    given_on = models.DateField(_("given on"))
    given_by = models.CharField(_("given by"), max_length=16, choices=GivenBy, default=GivenBy.SELF)
    guardian_name = models.CharField(_("guardian"), max_length=64, blank=True)
    guardian_relation = models.CharField(_("relation to the person"), max_length=32, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_purpose_display()}"

    @property
    def is_valid(self) -> bool:
        return self.withdrawn_on is None


# --- teams ---------------------------------------------------------------------------


class Team(models.Model):
    """A team of S&T workers (科技工作者团队)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="teams", verbose_name=_("kept by")
    )
    name = models.CharField(_("name"), max_length=128)
    leader = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("leader"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="teams", verbose_name=_("unit")
    )
    discipline = models.ForeignKey(
        Discipline,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("discipline"),
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    members = models.ManyToManyField(Person, through="TeamMember", related_name="teams")
    sort_key = models.CharField(max_length=200, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="team_memberships")
    role = models.CharField(_("role in the team"), max_length=64, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        ordering = ["team", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="team_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.team}"


# --- society membership --------------------------------------------------------------


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LAPSED = "lapsed", _("Lapsed (dues unpaid)")
    LEFT = "left", _("Left")


class SocietyMembership(models.Model):
    """Membership of a society (学会会员): a person (individual member) or a unit
    (institutional member, 单位会员). Kept by the society, so its secretary manages it."""

    society = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="members", verbose_name=_("society")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="society_memberships",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="society_memberships",
        verbose_name=_("unit"),
    )
    number = models.CharField(_("membership number"), max_length=32, blank=True)
    joined_on = models.DateField(_("joined on"))
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus, default=MemberStatus.ACTIVE)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["society", "number", "id"]
        verbose_name = _("society membership")
        verbose_name_plural = _("society memberships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="membership_person_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["society", "person"],
                condition=Q(person__isnull=False),
                name="membership_person_unique",
            ),
            models.UniqueConstraint(
                fields=["society", "unit"], condition=Q(unit__isnull=False), name="membership_unit_unique"
            ),
            models.UniqueConstraint(
                fields=["society", "number"], condition=~Q(number=""), name="membership_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["society", "status"], name="membership_society_status_idx")]

    def __str__(self) -> str:
        return f"{self.member_name} @ {self.society}"

    @property
    def is_institutional(self) -> bool:
        return self.unit_id is not None

    @property
    def member_name(self) -> str:
        return str(self.unit if self.unit_id else self.person)


class DuesPayment(models.Model):
    """Dues paid for one year, where the society charges them."""

    membership = models.ForeignKey(SocietyMembership, on_delete=models.CASCADE, related_name="dues")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    receipt_number = models.CharField(_("receipt number"), max_length=32, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints = [models.UniqueConstraint(fields=["membership", "year"], name="dues_year_unique")]

    def __str__(self) -> str:
        return f"{self.membership} {self.year}"


class BoardRole(models.TextChoices):
    CHAIR = "chair", _("Chair (理事长)")
    VICE_CHAIR = "vice_chair", _("Vice chair (副理事长)")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general (秘书长)")
    STANDING_COUNCIL = "standing_council", _("Standing council member (常务理事)")
    COUNCIL = "council", _("Council member (理事)")
    CHIEF_SUPERVISOR = "chief_supervisor", _("Chief supervisor (监事长)")
    SUPERVISOR = "supervisor", _("Supervisor (监事)")


class BoardSeat(models.Model):
    """A person's position on a society's board for one board term (届)."""

    board_term = models.ForeignKey(
        "orgs.BoardTerm", on_delete=models.PROTECT, related_name="seats", verbose_name=_("board term")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="board_seats")
    role = models.CharField(_("position"), max_length=24, choices=BoardRole)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["board_term", "role", "id"]
        verbose_name = _("board position")
        verbose_name_plural = _("board positions")
        constraints = [
            models.UniqueConstraint(fields=["board_term", "person", "role"], name="board_seat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


# --- honours, visits, talent lists ---------------------------------------------------


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    OTHER = "other", _("Other")


class HonourGrade(models.TextChoices):
    SPECIAL = "special", _("Special prize")
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")


class Honour(models.Model):
    """An honour received by a person or by an organization."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="recorded_honours",
        verbose_name=_("kept by"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
        verbose_name=_("person"),
    )
    recipient_organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
        verbose_name=_("organization honoured"),
    )
    title = models.CharField(_("title"), max_length=128)
    level = models.CharField(_("level"), max_length=16, choices=HonourLevel)
    grade = models.CharField(_("grade"), max_length=16, choices=HonourGrade, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.CharField(_("awarded by"), max_length=128, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="honours/%Y/", blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(recipient_organization__isnull=True))
                | (Q(person__isnull=True) & Q(recipient_organization__isnull=False)),
                name="honour_one_recipient",
            ),
        ]
        indexes = [models.Index(fields=["year", "level"], name="honour_year_level_idx")]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"

    @property
    def recipient(self):
        return self.person if self.person_id else self.recipient_organization


class VisitOccasion(models.TextChoices):
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    WORKERS_DAY = "workers_day", _("National S&T Workers' Day")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
    ILLNESS = "illness", _("Illness or hardship")
    BIRTHDAY = "birthday", _("Birthday of a senior expert")
    OTHER = "other", _("Other")


class Visit(models.Model):
    """A visit or act of care (走访慰问) to a person."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visiting organization"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="visits", verbose_name=_("person")
    )
    visited_on = models.DateField(_("date"))
    occasion = models.CharField(_("occasion"), max_length=16, choices=VisitOccasion)
    visitors = models.CharField(_("visited by"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["visited_on"], name="visit_date_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.visited_on}"


class TalentList(models.Model):
    """A curated talent list (人才资源清单): either a saved search or an explicit list."""

    class Kind(models.TextChoices):
        SAVED_FILTER = "saved_filter", _("Saved search")
        EXPLICIT = "explicit", _("Chosen people")

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="talent_lists", verbose_name=_("kept by")
    )
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    description = models.TextField(_("description"), blank=True)
    # A saved search keeps the query string of the people list (q, tag, discipline…).
    filter_query = models.CharField(_("search"), max_length=1000, blank=True)
    entries = models.ManyToManyField(Person, through="TalentListEntry", related_name="talent_lists")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("talent list")
        verbose_name_plural = _("talent lists")

    def __str__(self) -> str:
        return self.name


class TalentListEntry(models.Model):
    talent_list = models.ForeignKey(TalentList, on_delete=models.CASCADE, related_name="list_entries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=255, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["talent_list", "id"]
        constraints = [
            models.UniqueConstraint(fields=["talent_list", "person"], name="talent_list_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.talent_list}"

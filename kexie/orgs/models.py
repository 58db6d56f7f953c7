from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PATH_SEGMENT = 7  # digits per level: the organization's id, zero-padded


class Kind(models.TextChoices):
    PROVINCE_ASSOCIATION = "province_association", _("Provincial association")
    CITY_ASSOCIATION = "city_association", _("City association")
    COUNTY_ASSOCIATION = "county_association", _("County/district association")
    TOWN_ASSOCIATION = "town_association", _("Town/subdistrict association")
    ZONE_ASSOCIATION = "zone_association", _("Development zone/park association")
    ENTERPRISE_ASSOCIATION = "enterprise_association", _("Enterprise association")
    UNIVERSITY_ASSOCIATION = "university_association", _("University association")
    SOCIETY = "society", _("Society")
    SOCIETY_BRANCH = "society_branch", _("Society branch")
    SOCIETY_CONSORTIUM = "society_consortium", _("Society consortium")
    RURAL_TECH_ASSOCIATION = "rural_tech_association", _("Rural technical association")
    SCIENCE_MUSEUM = "science_museum", _("Science and technology museum")
    SUBORDINATE_INSTITUTION = "subordinate_institution", _("Subordinate institution")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_BRANCH = "party_branch", _("Party branch")


_ASSOCIATIONS = {Kind.PROVINCE_ASSOCIATION, Kind.CITY_ASSOCIATION, Kind.COUNTY_ASSOCIATION}

# Which kinds of parent each kind may live under; None means it may be a root.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    Kind.PROVINCE_ASSOCIATION: {None},
    Kind.CITY_ASSOCIATION: {None, Kind.PROVINCE_ASSOCIATION},
    Kind.COUNTY_ASSOCIATION: {Kind.CITY_ASSOCIATION},
    Kind.TOWN_ASSOCIATION: {Kind.COUNTY_ASSOCIATION, Kind.ZONE_ASSOCIATION},
    Kind.ZONE_ASSOCIATION: {Kind.PROVINCE_ASSOCIATION, Kind.CITY_ASSOCIATION, Kind.COUNTY_ASSOCIATION},
    Kind.ENTERPRISE_ASSOCIATION: _ASSOCIATIONS | {Kind.TOWN_ASSOCIATION, Kind.ZONE_ASSOCIATION},
    Kind.UNIVERSITY_ASSOCIATION: _ASSOCIATIONS | {Kind.ZONE_ASSOCIATION},
    Kind.SOCIETY: set(_ASSOCIATIONS),
    Kind.SOCIETY_BRANCH: {Kind.SOCIETY, Kind.SOCIETY_BRANCH},
    Kind.SOCIETY_CONSORTIUM: set(_ASSOCIATIONS),
    Kind.RURAL_TECH_ASSOCIATION: _ASSOCIATIONS | {Kind.TOWN_ASSOCIATION},
    Kind.SCIENCE_MUSEUM: set(_ASSOCIATIONS),
    Kind.SUBORDINATE_INSTITUTION: set(_ASSOCIATIONS),
    Kind.PARTY_COMMITTEE: _ASSOCIATIONS | {Kind.ZONE_ASSOCIATION},
    Kind.PARTY_BRANCH: {Kind.PARTY_COMMITTEE, Kind.SOCIETY, Kind.SOCIETY_CONSORTIUM}
    | _ASSOCIATIONS
    | {Kind.TOWN_ASSOCIATION, Kind.ZONE_ASSOCIATION},
}

# Kinds that have a board and a re-election cycle (换届) supervised by the association.
BOARD_KINDS = {Kind.SOCIETY, Kind.SOCIETY_CONSORTIUM, Kind.RURAL_TECH_ASSOCIATION}
# Kinds whose party-organization coverage is reported.
PARTY_COVERAGE_KINDS = {Kind.SOCIETY}


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class Division(models.Model):
    """An administrative division of GB/T 2260 (province, city, county)."""

    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=DivisionLevel)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", db_constraint=False
    )
    # The edition of the code list this entry comes from; codes withdrawn later stay
    # (organizations may still refer to them) but are marked.
    edition = models.DateField(_("edition"))
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OrganizationQuerySet(models.QuerySet):
    def subtree(self, root: "Organization") -> "OrganizationQuerySet":
        """The organization and everything beneath it: one indexed range on `path`."""
        return self.filter(path__gte=root.path, path__lt=path_upper_bound(root.path))

    def active(self) -> "OrganizationQuerySet":
        return self.filter(status=Status.ACTIVE)


def path_upper_bound(path: str) -> str:
    """The smallest path that sorts after every descendant of `path`.

    Paths are digit strings made of fixed-width segments, so incrementing the path as a
    number gives the bound; comparing digit strings sorts the same under any collation.
    """
    return str(int(path) + 1).zfill(len(path))


class Organization(models.Model):
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("level"), default=0, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("administrative division"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolution date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    party_building_in_charter = models.BooleanField(_("party building in the charter"), default=False)
    # Party branches only: the organizations this branch covers (a joint branch covers several).
    covered_organizations = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="covering_party_branches",
        verbose_name=_("covered organizations"),
    )
    search_text = models.TextField(editable=False, blank=True)
    sort_key = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="org_credit_code_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"], name="org_kind_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def has_board(self) -> bool:
        return self.kind in BOARD_KINDS

    def is_within(self, root: "Organization") -> bool:
        return self.path.startswith(root.path)


class BoardTerm(models.Model):
    """One board term (届) of a society; the next re-election (换届) is due at its end."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="board_terms")
    number = models.PositiveSmallIntegerField(_("term number"))
    started_on = models.DateField(_("term start"))
    length_years = models.PositiveSmallIntegerField(_("term length (years)"), default=5)
    due_on = models.DateField(_("re-election due"), editable=False)
    ended_on = models.DateField(_("term end"), null=True, blank=True)
    council_size = models.PositiveSmallIntegerField(_("board (理事会) members"), null=True, blank=True)
    standing_council_size = models.PositiveSmallIntegerField(
        _("standing board members"), null=True, blank=True
    )
    supervisory_board_size = models.PositiveSmallIntegerField(
        _("supervisory board members"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "-number"]
        verbose_name = _("board term")
        verbose_name_plural = _("board terms")
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="board_term_number_unique"),
        ]
        indexes = [models.Index(fields=["ended_on", "due_on"], name="board_term_due_idx")]

    def __str__(self) -> str:
        return f"{self.organization} 第{self.number}届"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def is_overdue(self, today: date) -> bool:
        return self.ended_on is None and self.due_on < today


class LeaderPosition(models.TextChoices):
    CHAIR = "chair", _("Chair (理事长/会长)")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general (秘书长)")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SUPERVISOR_CHAIR = "supervisor_chair", _("Chief supervisor (监事长)")
    PARTY_SECRETARY = "party_secretary", _("Party secretary")


class LeaderAppointment(models.Model):
    """Who held a leading position, from when to when (任职)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="appointments")
    position = models.CharField(_("position"), max_length=32, choices=LeaderPosition)
    person_name = models.CharField(_("name"), max_length=64)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    board_term = models.ForeignKey(
        BoardTerm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("board term"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "position", "-started_on"]
        verbose_name = _("leader appointment")
        verbose_name_plural = _("leader appointments")

    def __str__(self) -> str:
        return f"{self.person_name} · {self.get_position_display()}"


class EventKind(models.TextChoices):
    FOUNDED = "founded", _("Founded")
    RE_ELECTED = "re_elected", _("Board re-elected")
    CHANGED = "changed", _("Changed")
    MOVED = "moved", _("Moved")
    APPOINTED = "appointed", _("Leader appointed")
    DISSOLVED = "dissolved", _("Dissolved")


class OrganizationEvent(models.Model):
    """The organization's history: each lifecycle step with old and new values."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=EventKind)
    occurred_on = models.DateField(_("date"))
    field = models.CharField(_("field"), max_length=64, blank=True)
    old_value = models.CharField(_("old value"), max_length=255, blank=True)
    new_value = models.CharField(_("new value"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("organization event")
        verbose_name_plural = _("organization events")
        indexes = [models.Index(fields=["kind", "occurred_on"], name="org_event_kind_date_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()} {self.occurred_on}"

"""Science-and-technology volunteer service (科技志愿服务): volunteers and their teams, the
service menu (服务菜单), and the orders that go 点单 → 审核 → 派单 → 接单 → 服务 → 评单.

A volunteer is a person of the talent pool with a registration (`Volunteer`); scoping reaches
volunteers, teams and menu items through the association they are registered with, and an
order through the association responsible for the place it is served at (`organization`).

The counters on Volunteer and VolunteerTeam (`open_orders`, the rating sums, the hours) are
kept by the services in the transaction of the change they count, so the dispatch
suggestion ranks 100,000 volunteers without counting anything.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class ServiceForm(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    CONSULTATION = "consultation", _("Consultation")
    GUIDANCE = "guidance", _("On-site technical guidance")
    DEMONSTRATION = "demonstration", _("Demonstration")


class ServiceRecord(models.Model):
    """What the services keep on a volunteer or a team, in the transaction of the change
    they count (see the module's docstring): orders in hand, ratings, approved hours."""

    open_orders = models.PositiveIntegerField(_("orders in hand"), default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0, editable=False)
    hours_total = models.DecimalField(
        _("service hours"), max_digits=10, decimal_places=1, default=Decimal("0"), editable=False
    )

    class Meta:
        abstract = True

    @property
    def rating_mean(self) -> Decimal | None:
        if not self.rating_count:
            return None
        return (Decimal(self.rating_sum) / self.rating_count).quantize(Decimal("0.1"))


class Volunteer(ServiceRecord):
    """A person of the talent pool registered as a science-and-technology volunteer."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="volunteer", verbose_name=_("person")
    )
    # The association the volunteer registered with: scoping reaches the volunteer through it.
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("organization"),
    )
    disciplines = models.ManyToManyField(
        "people.Discipline", related_name="volunteers", verbose_name=_("fields of expertise")
    )
    expertise = models.TextField(_("what they can offer"), blank=True)
    divisions = models.ManyToManyField(
        "orgs.Division", related_name="volunteers", blank=True, verbose_name=_("service areas")
    )
    # The region of the volunteer's home, for the distance to a place (copied from the
    # organization's when the registration does not say).
    home_division = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("home region"),
    )
    on_workdays = models.BooleanField(_("available on working days"), default=True)
    on_rest_days = models.BooleanField(_("available on weekends and holidays"), default=True)
    languages = models.CharField(_("languages and dialects"), max_length=128, blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VolunteerStatus, default=VolunteerStatus.ACTIVE
    )
    registered_on = models.DateField(_("registered on"))
    consent_on = models.DateField(_("consent given on"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person__sort_key", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        indexes = [models.Index(fields=["organization", "status"], name="volunteer_org_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_workdays=True) | Q(on_rest_days=True), name="volunteer_some_days"
            ),
        ]

    def __str__(self) -> str:
        return self.person.name


class Unavailability(models.Model):
    """A period the volunteer cannot serve (travel, illness, harvest)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="unavailable")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=128, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("period unavailable")
        verbose_name_plural = _("periods unavailable")
        indexes = [models.Index(fields=["volunteer", "ends_on"], name="unavailable_volunteer_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="unavailable_order")
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"


class TeamKind(models.TextChoices):
    SERVICE = "service", _("Science volunteer service team")
    LECTURERS = "lecturers", _("Science lecturers' group")
    SCHOOL = "school", _("Town team led by the school head")
    HEALTH = "health", _("Town team led by the hospital head")
    AGRICULTURE = "agriculture", _("Town team led by the agricultural station head")


class VolunteerTeam(ServiceRecord):
    """A team that serves as one (科技志愿服务队, 科普讲师团, the three teams of a town)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=TeamKind, default=TeamKind.SERVICE)
    leader = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(Volunteer, through="TeamMember", related_name="teams")
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="volunteer_team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="team_memberships")
    joined_on = models.DateField(_("joined on"))

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "volunteer"], name="volunteer_team_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.volunteer}"


class MenuStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", pgettext_lazy("menu item", "Waiting for review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MenuItem(models.Model):
    """A service on the menu (服务菜单), offered by a volunteer or a team and published by the
    association they are registered with after review."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="menu_items",
        verbose_name=_("organization"),
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="menu_items",
        verbose_name=_("volunteer"),
    )
    team = models.ForeignKey(
        VolunteerTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="menu_items",
        verbose_name=_("team"),
    )
    title = models.CharField(_("topic"), max_length=128)
    discipline = models.ForeignKey(
        "people.Discipline",
        on_delete=models.PROTECT,
        related_name="menu_items",
        verbose_name=_("field of science"),
    )
    form = models.CharField(
        _("form of service"), max_length=16, choices=ServiceForm, default=ServiceForm.LECTURE
    )
    audience = models.CharField(_("audience"), max_length=128, blank=True)
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=4, decimal_places=1, default=Decimal("2")
    )
    description = models.TextField(_("content"), blank=True)
    requirements = models.TextField(_("what the requester provides"), blank=True)
    divisions = models.ManyToManyField(
        "orgs.Division", related_name="menu_items", blank=True, verbose_name=_("regions served")
    )
    status = models.CharField(_("status"), max_length=16, choices=MenuStatus, default=MenuStatus.DRAFT)
    review_note = models.CharField(_("review note"), max_length=255, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("menu item")
        verbose_name_plural = _("service menu")
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer__isnull=True, team__isnull=False)
                | Q(volunteer__isnull=False, team__isnull=True),
                name="menu_item_one_provider",
            )
        ]
        indexes = [models.Index(fields=["status", "discipline"], name="menu_item_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def provider(self):
        return self.team or self.volunteer


class OrderStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("order", "Waiting for review")
    REVIEWED = "reviewed", _("Waiting for dispatch")
    OPEN = "open", _("Open for grabbing")
    DISPATCHED = "dispatched", _("Waiting for acceptance")
    ACCEPTED = "accepted", pgettext_lazy("order", "Accepted")
    DELIVERED = "delivered", _("Waiting for rating")
    COMPLETED = "completed", pgettext_lazy("order", "Completed")
    REJECTED = "rejected", pgettext_lazy("order", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("order", "Cancelled")


# Orders a volunteer or a team holds and has not yet delivered (their load).
IN_HAND = (OrderStatus.DISPATCHED, OrderStatus.ACCEPTED)
CLOSED = (OrderStatus.COMPLETED, OrderStatus.REJECTED, OrderStatus.CANCELLED)


class ServiceOrder(models.Model):
    """A request for a science service (点单) and everything that happened to it."""

    number = models.CharField(_("order number"), max_length=16, unique=True, editable=False)
    # The requester's own link to the order's status and rating pages.
    token = models.CharField(max_length=43, unique=True, editable=False)
    # The association responsible for the order now: the one for the place reviews it, and
    # may pass it down to a child association to dispatch (层层派单). Scoping reaches the
    # order through it, so the associations above see it all the way.
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="service_orders",
        verbose_name=_("organization"),
    )
    # The association the order was placed with (the statistics count orders received there).
    received_by = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="received_orders",
        verbose_name=_("received by"),
    )
    # Whose volunteers may grab the order while it is open (the opener's network).
    pool = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    menu_item = models.ForeignKey(
        MenuItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("menu item"),
    )
    title = models.CharField(_("service wanted"), max_length=128)
    need = models.TextField(_("description of the need"), blank=True)
    discipline = models.ForeignKey(
        "people.Discipline",
        on_delete=models.PROTECT,
        related_name="service_orders",
        verbose_name=_("field of science"),
    )
    form = models.CharField(
        _("form of service"), max_length=16, choices=ServiceForm, default=ServiceForm.LECTURE
    )
    division = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        related_name="service_orders",
        db_constraint=False,
        verbose_name=_("region"),
    )
    address = models.CharField(_("place"), max_length=255)
    preferred_on = models.DateField(_("preferred date"))
    alternative_on = models.DateField(_("alternative date"), null=True, blank=True)
    expected_audience = models.PositiveIntegerField(_("expected audience"))
    # the requester: a unit (village committee, school, enterprise) or a member of the public
    requester_name = models.CharField(_("contact person"), max_length=64)
    requester_unit = models.CharField(_("requesting unit"), max_length=128, blank=True)
    requester_user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="service_orders"
    )
    mobile_encrypted = models.TextField(editable=False)
    mobile_index = models.CharField(max_length=64, editable=False)
    mobile_masked = models.CharField(_("mobile"), max_length=16, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus, default=OrderStatus.PENDING)
    # The last refusal, decline, return or cancellation, as the requester or dispatcher sees it.
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("volunteer"),
    )
    team = models.ForeignKey(
        VolunteerTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("team"),
    )
    accept_by = models.DateTimeField(_("accept by"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    hours = models.DecimalField(_("service hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    audience = models.PositiveIntegerField(_("audience reached"), null=True, blank=True)
    report = models.TextField(_("service report"), blank=True)
    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="service_order"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("ordered at"), default=timezone.now, editable=False)
    # The local day of the order and of its first dispatch (the statistics date them so).
    ordered_on = models.DateField(_("ordered on"), editable=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # The last dispatch (or opening for grabbing); the first one is kept for the statistics.
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    first_dispatched_at = models.DateTimeField(
        _("first dispatched at"), null=True, blank=True, editable=False
    )
    dispatched_on = models.DateField(_("first dispatched on"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(volunteer__isnull=False) & Q(team__isnull=False)), name="order_one_provider"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="order_rating_range"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="order_org_status_idx"),
            models.Index(fields=["organization", "ordered_on"], name="order_org_ordered_idx"),
            models.Index(fields=["organization", "dispatched_on"], name="order_org_dispatched_idx"),
            models.Index(fields=["organization", "served_on"], name="order_org_served_idx"),
            models.Index(fields=["volunteer", "status"], name="order_volunteer_status_idx"),
            models.Index(fields=["status", "accept_by"], name="order_status_deadline_idx"),
            models.Index(fields=["mobile_index"], name="order_mobile_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def provider(self):
        return self.team or self.volunteer

    @property
    def rating_stars(self) -> str:
        return "★" * (self.rating or 0)


class OrderAction(models.TextChoices):
    ORDER = "order", _("Ordered")
    APPROVE = "approve", _("Accepted for dispatch")
    REJECT = "reject", _("Rejected")
    PASS_DOWN = "pass_down", _("Passed down")
    DISPATCH = "dispatch", _("Dispatched")
    OPEN = "open", _("Opened for grabbing")
    WITHDRAW = "withdraw", _("Dispatch withdrawn")
    ACCEPT = "accept", pgettext_lazy("order action", "Accepted")
    GRAB = "grab", _("Grabbed")
    DECLINE = "decline", _("Declined")
    ESCALATE = "escalate", _("Not accepted in time")
    DELIVER = "deliver", _("Service recorded")
    RATE = "rate", _("Rated")
    CLOSE = "close", _("Closed without rating")
    CANCEL = "cancel", pgettext_lazy("order action", "Cancelled")


class OrderEvent(models.Model):
    """One step of an order: who did what, when and why. The order's history page and the
    timing figures (time to dispatch, to accept) read these."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=16, choices=OrderAction)
    from_status = models.CharField(max_length=16, choices=OrderStatus, blank=True)
    to_status = models.CharField(max_length=16, choices=OrderStatus)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who acted, as shown (the requester has no account, a volunteer acts as themselves).
    actor_name = models.CharField(_("by"), max_length=64, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(VolunteerTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("order step")
        verbose_name_plural = _("order steps")

    def __str__(self) -> str:
        return f"{self.order_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class HoursSource(models.TextChoices):
    SERVICE = "service", _("Service delivered on the platform")
    MANUAL = "manual", _("Entered with evidence")


class HoursStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("hours", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("hours", "Approved")
    REJECTED = "rejected", pgettext_lazy("hours", "Rejected")


class HoursEntry(models.Model):
    """A line of the service-hours ledger: a delivered service, or a service outside the
    platform entered with evidence and approved by the volunteer's association."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("volunteer")
    )
    # The volunteer's association, copied from the volunteer when the line is written (a
    # registration never moves): the statistics count hours where the volunteer is
    # registered and read a subtree's year by (organization, served_on), not through every
    # volunteer of the province who served that year.
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The team the hours were served with, if any (the team's ledger is its members' lines).
    team = models.ForeignKey(
        VolunteerTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger",
        verbose_name=_("team"),
    )
    order = models.ForeignKey(
        ServiceOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger",
        verbose_name=_("order"),
    )
    source = models.CharField(_("source"), max_length=16, choices=HoursSource)
    served_on = models.DateField(_("served on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    description = models.CharField(_("service"), max_length=255)
    evidence = models.FileField(_("evidence"), upload_to="volunteer-hours/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=16, choices=HoursStatus, default=HoursStatus.APPROVED)
    review_note = models.CharField(_("review note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="hours_positive"),
            models.UniqueConstraint(fields=["order", "volunteer"], name="hours_once_per_order"),
        ]
        indexes = [
            models.Index(fields=["volunteer", "served_on"], name="hours_volunteer_idx"),
            models.Index(fields=["status", "served_on"], name="hours_status_idx"),
            models.Index(fields=["organization", "served_on"], name="hours_organization_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.served_on} {self.hours}"


class StarLevel(models.Model):
    """The cumulative approved hours that earn a star (一星 at 100 hours…); the administrator
    edits the thresholds."""

    stars = models.PositiveSmallIntegerField(_("stars"), unique=True)
    min_hours = models.PositiveIntegerField(_("hours needed"), unique=True)

    class Meta:
        ordering = ["stars"]
        verbose_name = _("star level")
        verbose_name_plural = _("star levels")

    def __str__(self) -> str:
        return f"{self.stars}★ ≥ {self.min_hours}"


class DispatchPolicy(models.Model):
    """The dispatch rules of one association's network (the nearest ancestor's policy
    applies where an association has none; the defaults apply where none has)."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="dispatch_policy"
    )
    accept_workdays = models.PositiveSmallIntegerField(_("working days to accept"), default=2)
    rating_days = models.PositiveSmallIntegerField(_("days to rate"), default=14)

    class Meta:
        verbose_name = _("dispatch policy")
        verbose_name_plural = _("dispatch policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(accept_workdays__gte=1, accept_workdays__lte=30), name="policy_accept_range"
            ),
            models.CheckConstraint(
                condition=Q(rating_days__gte=1, rating_days__lte=90), name="policy_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.accept_workdays} / {self.rating_days}"


class MobileCheck(models.Model):
    """A code sent by SMS to prove a member of the public holds the mobile they order with."""

    mobile_index = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["mobile_index", "created_at"], name="mobile_check_idx")]

    def __str__(self) -> str:
        return f"{self.mobile_index[:8]} {self.created_at:%Y-%m-%d %H:%M}"

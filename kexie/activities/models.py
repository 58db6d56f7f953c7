"""Activities: every event the network runs (学术交流, 科普活动, 培训, 走访慰问, 对接活动,
党组织生活…), the campaigns they join, and the locks that freeze a reported period.

An activity belongs to its organizer (`organization`): that is how scoping reaches it.
Its kind decides which figures its form asks for (`ActivityKind.figures`); the figures
are columns, so statistics are sums in the database. Statistics count activities that
were held (`COUNTED_STATUSES`), dated by the day they started (`held_on`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kexie.statistics.definitions import Service


class Category(models.TextChoices):
    """What kind of work an activity is; statistics count by category, so a kind the
    administrator adds is counted with its category."""

    ACADEMIC = "academic", _("Academic exchange")
    POPSCI = "popsci", _("Science popularization")
    TRAINING = "training", _("Training")
    CARE = "care", _("Visit and care")
    MATCHMAKING = "matchmaking", _("Talent and innovation matchmaking")
    PARTY = "party", _("Party life")
    OTHER = "other", _("Other")


CATEGORY_SERVICE = {
    Category.ACADEMIC: Service.DECISION,
    Category.POPSCI: Service.LITERACY,
    Category.TRAINING: Service.WORKERS,
    Category.CARE: Service.WORKERS,
    Category.MATCHMAKING: Service.INNOVATION,
    Category.PARTY: Service.NETWORK,
    Category.OTHER: Service.NETWORK,
}


class Figure(models.TextChoices):
    """The figures an activity can report; each is a column of Activity of the same name."""

    ONSITE_PARTICIPANTS = "onsite_participants", _("On-site participants")
    ONLINE_VIEWERS = "online_viewers", _("Online viewers")
    ONLINE_INTERACTIONS = "online_interactions", _("Online interactions")
    SESSIONS = "sessions", _("Sessions and talks held")
    LEAFLETS = "leaflets", _("Leaflets and booklets distributed")
    DISPLAY_BOARDS = "display_boards", _("Display boards shown")
    WALL_CHARTS = "wall_charts", _("Wall charts put up")
    PROBLEMS_SOLVED = "problems_solved", _("Problems solved")
    STUDENTS_REACHED = "students_reached", _("Students reached")
    VOLUNTEERS = "volunteers", _("Volunteers involved")
    SERVICE_HOURS = "service_hours", _("Service hours")


FIGURE_UNITS = {
    Figure.ONSITE_PARTICIPANTS: _("person-times"),
    Figure.ONLINE_VIEWERS: _("person-times"),
    Figure.ONLINE_INTERACTIONS: _("times"),
    Figure.SESSIONS: _("sessions"),
    Figure.LEAFLETS: _("copies"),
    Figure.DISPLAY_BOARDS: _("boards"),
    Figure.WALL_CHARTS: _("charts"),
    Figure.PROBLEMS_SOLVED: _("problems"),
    Figure.STUDENTS_REACHED: _("person-times"),
    Figure.VOLUNTEERS: _("persons"),
    Figure.SERVICE_HOURS: _("hours"),
}


class ActivityKind(models.Model):
    """A kind of activity (学术会议, 科普讲座, 科普大篷车…): the administrator can add kinds."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    category = models.CharField(_("category"), max_length=16, choices=Category)
    # Figure values, in the order the form shows them.
    figures = models.JSONField(_("figures asked for"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")

    def __str__(self) -> str:
        return self.name

    @property
    def service(self) -> str:
        return CATEGORY_SERVICE[self.category]

    @property
    def figure_labels(self) -> list[tuple[str, str]]:
        return [(code, Figure(code).label) for code in self.figures if code in Figure.values]


class TargetGroup(models.Model):
    """A group an activity is for: youth, farmers, industrial workers, the elderly…"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """A themed campaign held every year (全国科普日, 科技活动周…). National ones have no
    organization and every scope sees them; a local one belongs to the organization that
    runs it and is seen in its subtree."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("run by"),
    )
    usual_dates = models.CharField(_("usual dates"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


class CampaignEdition(models.Model):
    """One year's edition of a campaign, with its dates and theme."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="editions", verbose_name=_("campaign")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    theme = models.CharField(_("theme"), max_length=128, blank=True)

    class Meta:
        ordering = ["-year", "campaign__position"]
        verbose_name = _("campaign edition")
        verbose_name_plural = _("campaign editions")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "year"], name="campaign_edition_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_edition_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.campaign.name}"


class Mode(models.TextChoices):
    OFFLINE = "offline", _("On site")
    ONLINE = "online", _("Online")
    BOTH = "both", _("On site and online")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    HELD = "held", _("Held")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


# Statistics count what was held; a reported activity's figures are final.
COUNTED_STATUSES = (Status.HELD, Status.REPORTED)


class Activity(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="activities", verbose_name=_("organizer")
    )
    co_organizers = models.ManyToManyField(
        "orgs.Organization",
        blank=True,
        related_name="co_organized_activities",
        verbose_name=_("co-organizers"),
    )
    # Units, departments and bodies outside the network that co-organized it.
    partners = models.CharField(_("other co-organizers"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=128)
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The local day it starts on: the period statistics and locks count it in.
    held_on = models.DateField(_("date"), editable=False)
    division = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        db_constraint=False,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    venue = models.CharField(_("venue"), max_length=128, blank=True)
    mode = models.CharField(_("online or on site"), max_length=8, choices=Mode, default=Mode.OFFLINE)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="+", verbose_name=_("target groups")
    )
    theme = models.CharField(_("theme"), max_length=128, blank=True)
    campaign_edition = models.ForeignKey(
        CampaignEdition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("campaign"),
    )
    speakers = models.ManyToManyField(
        "people.Person", blank=True, related_name="activities_spoken", verbose_name=_("speakers and experts")
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    # Why the approver returned it, or why it was cancelled: shown to the organizer.
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)

    onsite_participants = models.PositiveIntegerField(Figure.ONSITE_PARTICIPANTS.label, null=True, blank=True)
    online_viewers = models.PositiveIntegerField(Figure.ONLINE_VIEWERS.label, null=True, blank=True)
    online_interactions = models.PositiveIntegerField(Figure.ONLINE_INTERACTIONS.label, null=True, blank=True)
    sessions = models.PositiveIntegerField(Figure.SESSIONS.label, null=True, blank=True)
    leaflets = models.PositiveIntegerField(Figure.LEAFLETS.label, null=True, blank=True)
    display_boards = models.PositiveIntegerField(Figure.DISPLAY_BOARDS.label, null=True, blank=True)
    wall_charts = models.PositiveIntegerField(Figure.WALL_CHARTS.label, null=True, blank=True)
    problems_solved = models.PositiveIntegerField(Figure.PROBLEMS_SOLVED.label, null=True, blank=True)
    students_reached = models.PositiveIntegerField(Figure.STUDENTS_REACHED.label, null=True, blank=True)
    volunteers = models.PositiveIntegerField(Figure.VOLUNTEERS.label, null=True, blank=True)
    service_hours = models.DecimalField(
        Figure.SERVICE_HOURS.label, max_digits=9, decimal_places=1, null=True, blank=True
    )

    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # Statistics and lists: an organization's activities of a period.
            models.Index(fields=["organization", "held_on"], name="activity_org_date_idx"),
            models.Index(fields=["held_on"], name="activity_date_idx"),
            models.Index(fields=["status", "held_on"], name="activity_status_date_idx"),
            # The list's order: its first page is the newest activities of a large scope.
            models.Index(fields=["-starts_at", "-id"], name="activity_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="activity_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def figure_values(self) -> list[tuple[str, str, object]]:
        """(code, label, value) of the figures the kind asks for, in its order."""
        return [(code, label, getattr(self, code)) for code, label in self.kind.figure_labels]


class ActivityAttachment(models.Model):
    """A photo or document of an activity (type and size checked by the service)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("activity")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    file = models.FileField(_("file"), upload_to="activities/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ActivityCorrection(models.Model):
    """A change to a reported activity: what it said before, what it says now, and why."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("activity")
    )
    reason = models.CharField(_("reason"), max_length=255)
    old_values = models.JSONField(_("before"))
    new_values = models.JSONField(_("after"))
    corrected_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-corrected_at", "-id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.activity} {self.corrected_at:%Y-%m-%d}"


class ApprovalPolicy(models.Model):
    """Who approves the activities of an organization's subtree: the organizer's parent
    association (the default) or the organizer's own administrators. The nearest policy
    up the tree applies."""

    class Approver(models.TextChoices):
        PARENT = "parent", _("The parent association")
        SELF = "self", _("The organizer's own administrators")

    organization = models.OneToOneField(
        "orgs.Organization",
        on_delete=models.CASCADE,
        related_name="activity_policy",
        verbose_name=_("organization"),
    )
    approver = models.CharField(_("approved by"), max_length=8, choices=Approver)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_approver_display()}"


class PeriodLock(models.Model):
    """A period an association has reported upward (层层上报): activities of its subtree
    dated in it cannot change until the parent unlocks it. Unlocked locks stay as history."""

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        HALF_YEAR = "half_year", _("Half year")
        YEAR = "year", _("Year")

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="period_locks",
        verbose_name=_("organization"),
    )
    period = models.CharField(_("period"), max_length=16, choices=Period)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    locked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(auto_now_add=True)
    unlocked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unlocked_at = models.DateTimeField(null=True, blank=True)
    unlock_reason = models.CharField(_("reason for unlocking"), max_length=255, blank=True)

    class Meta:
        ordering = ["-starts_on", "organization_id"]
        verbose_name = _("period lock")
        verbose_name_plural = _("period locks")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "starts_on", "ends_on"],
                condition=Q(unlocked_at__isnull=True),
                name="period_lock_active_unique",
            ),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="period_lock_dates_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.starts_on}–{self.ends_on}"

    @property
    def is_active(self) -> bool:
        return self.unlocked_at is None


# --- sign-up and check-in (the public side of an activity) --------------------------------


class SignupSettings(models.Model):
    """An activity's open sign-up: how many places, until when, what it asks. Its row is the
    lock every sign-up and cancellation of the activity takes (services/signups.py)."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="signup_settings", verbose_name=_("activity")
    )
    is_open = models.BooleanField(_("sign-up open"), default=True)
    capacity = models.PositiveIntegerField(_("places"))
    deadline = models.DateTimeField(_("sign-up deadline"))
    waitlist = models.BooleanField(_("waiting list"), default=True)
    ask_unit = models.BooleanField(_("ask for the unit"), default=True)
    require_id_number = models.BooleanField(_("real-name entry (ID number)"), default=False)
    per_mobile_limit = models.PositiveSmallIntegerField(_("sign-ups per mobile"), default=1)
    notice = models.TextField(_("notice to registrants"), blank=True)
    # The secret of the door QR code: the public check-in page needs it.
    door_token = models.CharField(max_length=43, unique=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-up settings")
        verbose_name_plural = _("sign-up settings")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="signup_settings_capacity"),
            models.CheckConstraint(condition=Q(per_mobile_limit__gte=1), name="signup_settings_limit"),
        ]

    def __str__(self) -> str:
        return str(self.activity)


class Signup(models.Model):
    """One person signed up for an activity. The mobile and the ID number are stored
    encrypted with a blind index and a masked copy (kexie.core.crypto), as Person's are."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("activity")
    )
    name = models.CharField(_("name"), max_length=64)
    unit = models.CharField(_("unit"), max_length=128, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    mobile_encrypted = models.TextField(editable=False)
    mobile_index = models.CharField(max_length=64, editable=False)
    mobile_masked = models.CharField(_("mobile"), max_length=16, editable=False)
    id_number_encrypted = models.TextField(editable=False, blank=True)
    id_number_index = models.CharField(max_length=64, editable=False, blank=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False, blank=True)
    # What the registrant types at the door or to cancel; unique within the activity.
    code = models.CharField(_("sign-up code"), max_length=8)
    # The unguessable part of the registrant's own link and QR code.
    token = models.CharField(max_length=43, unique=True, editable=False)
    # A form's one-time key: the same submission sent twice is one sign-up.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["activity", "code"], name="signup_code_unique"),
            models.UniqueConstraint(
                fields=["activity", "submission_key"],
                condition=~Q(submission_key=""),
                name="signup_submission_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "status", "created_at"], name="signup_activity_status_idx"),
            models.Index(fields=["activity", "mobile_index"], name="signup_activity_mobile_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

"""Staff pages of sign-up and check-in (names: activities:<name>, see urls_signups.py).

Each view fetches the activity or the sign-up through the scope (404 outside the user's
subtree), then checks the permission (403): reading needs ACTIVITY_VIEW, changing
ACTIVITY_CHANGE, the .xlsx ACTIVITY_EXPORT, clear mobiles and ID numbers PERSONAL_UNMASK
(audited with a reason). Mobiles and ID numbers are masked everywhere else, exports included.
"""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.activities.models import Signup, SignupSettings
from kexie.activities.selectors import activity_get
from kexie.activities.services import signups as services
from kexie.activities.views_public import qr_svg
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.listing import page_of, page_range
from kexie.core.scoping import scoped

_INPUT = {"class": "form-control"}


class SignupSettingsForm(forms.Form):
    is_open = forms.BooleanField(label=gettext_lazy("Sign-up open"), required=False, initial=True)
    capacity = forms.IntegerField(
        label=gettext_lazy("Places"),
        min_value=1,
        max_value=services.MAX_CAPACITY,
        widget=forms.NumberInput(_INPUT),
    )
    deadline = forms.DateTimeField(
        label=gettext_lazy("Sign-up deadline"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={**_INPUT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    waitlist = forms.BooleanField(
        label=gettext_lazy("Keep a waiting list when full"), required=False, initial=True
    )
    ask_unit = forms.BooleanField(label=gettext_lazy("Ask for the unit"), required=False, initial=True)
    require_id_number = forms.BooleanField(
        label=gettext_lazy("Real-name entry: ask for the ID number"), required=False
    )
    per_mobile_limit = forms.IntegerField(
        label=gettext_lazy("Sign-ups per mobile"),
        min_value=1,
        max_value=services.MAX_PER_MOBILE,
        initial=1,
        widget=forms.NumberInput(_INPUT),
    )
    notice = forms.CharField(
        label=gettext_lazy("Notice to registrants"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**_INPUT, "rows": 3}),
    )

    def to_options(self) -> services.SignupOptions:
        return services.SignupOptions(**self.cleaned_data)

    def show_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error.message))


def _activity(request, pk, perm: Perm):
    activity = activity_get(scope=request.scope, pk=pk)
    request.scope.require(perm)
    return activity


def _signup(request, pk, perm: Perm) -> Signup:
    signup = request.scope.get(
        Signup.objects.select_related("activity__organization", "activity__kind"),
        via="activity__organization",
        pk=pk,
    )
    request.scope.require(perm)
    return signup


def _settings_of(activity) -> SignupSettings | None:
    return SignupSettings.objects.filter(activity=activity).first()


def _activity_url(activity) -> str | None:
    """The activity's own page (built by the activities pages), when it exists."""
    try:
        return reverse("activities:detail", kwargs={"pk": activity.pk})
    except NoReverseMatch:
        return None


def _back(request, activity) -> str:
    return reverse("activities:signup_list", kwargs={"pk": activity.pk})


@scoped
def signup_panel(request, pk):
    """The sign-up panel of an activity's page (loaded by htmx into _signup_panel_slot.html)."""
    activity = _activity(request, pk, Perm.ACTIVITY_VIEW)
    signup_settings = _settings_of(activity)
    context = {
        "activity": activity,
        "settings": signup_settings,
        "counts": services.signup_counts(activity=activity) if signup_settings else None,
        "public": signup_settings is not None
        and signup_settings.is_open
        and activity.status in services.PUBLIC_STATUSES,
        "openable": activity.status in services.OPENABLE_STATUSES,
    }
    return render(request, "activities/_signup_panel.html", context)


@scoped
def signup_settings(request, pk):
    """Open sign-up for an activity, or change it."""
    activity = _activity(request, pk, Perm.ACTIVITY_CHANGE)
    current = _settings_of(activity)
    initial = None
    if current is not None:
        initial = {name: getattr(current, name) for name in SignupSettingsForm.base_fields}
        initial["deadline"] = timezone.localtime(current.deadline)
    elif activity.starts_at:
        initial = {"deadline": timezone.localtime(activity.starts_at)}
    form = SignupSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_settings_save(actor=request.user, activity=activity, options=form.to_options())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The sign-up settings have been saved."))
            return redirect("activities:signup_list", pk=activity.pk)
    context = {
        "activity": activity,
        "form": form,
        "current": current,
        "activity_url": _activity_url(activity),
    }
    return render(request, "activities/signups/settings.html", context)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *Signup.Status.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


def _list_context(request, activity, *, revealed=None) -> dict:
    form = StatusFilterForm(request.GET or None)
    signups = services.signup_list(activity=activity, status=form.status_value())
    page = page_of(request, signups)
    scope = request.scope
    return {
        "activity": activity,
        "settings": _settings_of(activity),
        "counts": services.signup_counts(activity=activity),
        "form": form,
        "page_obj": page,
        "page_range": page_range(page),
        "revealed": revealed,
        "may_change": scope.has(Perm.ACTIVITY_CHANGE),
        "may_export": scope.has(Perm.ACTIVITY_EXPORT),
        "may_unmask": scope.has(Perm.PERSONAL_UNMASK),
        "activity_url": _activity_url(activity),
        "query": request.GET.urlencode(),
    }


@scoped
def signup_list(request, pk):
    """Who signed up (mobiles and ID numbers masked), with cancel and check-in buttons."""
    activity = _activity(request, pk, Perm.ACTIVITY_VIEW)
    return render(request, "activities/signups/list.html", _list_context(request, activity))


@require_POST
@scoped
def signup_reveal(request, pk):
    """The list's page with mobiles and ID numbers in clear (PERSONAL_UNMASK, reason audited)."""
    activity = _activity(request, pk, Perm.ACTIVITY_VIEW)
    request.scope.require(Perm.PERSONAL_UNMASK)
    context = _list_context(request, activity)
    page = list(context["page_obj"].object_list)
    try:
        clear = services.signups_reveal(
            actor=request.user, activity=activity, signups=page, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        for signup in page:
            signup.clear = clear[signup.pk]
        context["revealed"] = True
    return render(request, "activities/signups/list.html", context)


EXPORT_HEADERS = (
    gettext_lazy("Sign-up code"),
    gettext_lazy("Full name"),
    gettext_lazy("Unit"),
    gettext_lazy("Mobile"),
    gettext_lazy("ID number"),
    gettext_lazy("E-mail"),
    gettext_lazy("Status"),
    gettext_lazy("Signed up at"),
    gettext_lazy("Checked in at"),
)


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _masked_email(value: str) -> str:
    if not value or "@" not in value:
        return value
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


@scoped
def signup_export(request, pk):
    """The sign-up list as .xlsx, masked, audited."""
    activity = _activity(request, pk, Perm.ACTIVITY_VIEW)
    request.scope.require(Perm.ACTIVITY_EXPORT)
    signups = list(services.signup_list(activity=activity, status=request.GET.get("status", "")))
    rows = (
        [
            s.code,
            s.name,
            s.unit,
            s.mobile_masked,
            s.id_number_masked,
            _masked_email(s.email),
            s.get_status_display(),
            _local(s.created_at),
            _local(s.checked_in_at),
        ]
        for s in signups
    )
    content = xlsx.workbook([str(h) for h in EXPORT_HEADERS], rows, title=str(_("Sign-ups")))
    record(request.user, "activity.export", activity, what="signups", rows=len(signups))
    return xlsx.download(content, f"{activity.title}-{_('Sign-ups')}")


@require_POST
@scoped
def signup_cancel(request, pk):
    signup = _signup(request, pk, Perm.ACTIVITY_CHANGE)
    try:
        services.signup_cancel(actor=request.user, signup=signup)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The sign-up of %(name)s has been cancelled.") % {"name": signup.name})
    return redirect(_back(request, signup.activity))


@require_POST
@scoped
def signup_checkin(request, pk):
    signup = _signup(request, pk, Perm.ACTIVITY_CHANGE)
    try:
        services.signup_checkin(actor=request.user, signup=signup)
    except DomainError as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": signup.name})
    return redirect(_back(request, signup.activity))


@scoped
def checkin(request, pk):
    """Check-in on a phone: scan a registrant's QR code (its link lands here through their
    page) or type a sign-up code or mobile."""
    activity = _activity(request, pk, Perm.ACTIVITY_CHANGE)
    checked_in = []
    if request.method == "POST":
        try:
            checked_in = services.signup_checkin_by_query(
                actor=request.user, activity=activity, query=request.POST.get("query", "")[:300]
            )
        except DomainError as error:
            messages.warning(request, error.message)
    context = {
        "activity": activity,
        "checked_in": checked_in,
        "counts": services.signup_counts(activity=activity),
        "recent": activity.signups.filter(checked_in_at__isnull=False).order_by("-checked_in_at")[:10],
        "query": request.GET.get("q", ""),
    }
    return render(request, "activities/signups/checkin.html", context)


@scoped
def signup_door(request, pk):
    """The door's QR code, to project or print: it opens the public self check-in page."""
    activity = _activity(request, pk, Perm.ACTIVITY_CHANGE)
    signup_settings = _settings_of(activity)
    if signup_settings is None:
        messages.error(request, _("Open sign-up for this activity first."))
        return redirect("activities:signup_settings", pk=activity.pk)
    url = request.build_absolute_uri(
        reverse("events:door", kwargs={"pk": activity.pk, "door_token": signup_settings.door_token})
    )
    context = {"activity": activity, "url": url, "qr": qr_svg(url, label=_("Check-in QR code"))}
    return render(request, "activities/signups/door.html", context)


@require_POST
@scoped
def signup_onsite(request, pk):
    """Use the check-ins as the activity's on-site participants."""
    activity = _activity(request, pk, Perm.ACTIVITY_CHANGE)
    try:
        activity = services.onsite_from_checkins(actor=request.user, activity=activity)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("On-site participants set to %(count)s, the number of registrants who checked in.")
            % {"count": activity.onsite_participants},
        )
    return redirect(_back(request, activity))

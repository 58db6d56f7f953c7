"""Public pages of sign-up and check-in (no login): the upcoming activities open for
sign-up, an activity's page with its sign-up form, a registrant's own page (their code and
QR code, cancelling), cancelling with mobile and code, and the door's self check-in.

Only open sign-ups of approved activities exist here (404 otherwise). Sign-up attempts are
rate-limited per client address and per mobile (429 with a Chinese message), and a form
carries a one-time key so that a double submission makes one sign-up.
"""

import secrets

import segno
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.activities.models import Signup
from kexie.activities.services import signups as services
from kexie.core.errors import DomainError
from kexie.core.middleware import client_ip
from kexie.core.views import public_page


def qr_svg(data: str, *, label: str) -> str:
    """A QR code as inline SVG (scales to its container; dark on white for any screen)."""
    svg = segno.make(data, error="m").svg_inline(
        scale=4, border=2, omitsize=True, light="#fff", svgclass="kx-qr"
    )
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308


class SignupForm(forms.Form):
    """The public sign-up form; the unit and the ID number only when the activity asks."""

    name = forms.CharField(label=gettext_lazy("Full name"), max_length=64)
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=20)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=128, required=False)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=18, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail (optional)"), required=False)
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, signup_settings, **kwargs):
        super().__init__(*args, **kwargs)
        if not signup_settings.ask_unit:
            del self.fields["unit"]
        if not signup_settings.require_id_number:
            del self.fields["id_number"]
        else:
            self.fields["id_number"].required = True
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs["id"] = f"su-{name}"
        self.fields["mobile"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        if not self.is_bound:
            self.initial["submission"] = secrets.token_urlsafe(24)

    def to_data(self) -> services.SignupData:
        data = self.cleaned_data
        return services.SignupData(
            name=data["name"],
            mobile=data["mobile"],
            unit=data.get("unit", ""),
            id_number=data.get("id_number", ""),
            email=data.get("email", ""),
        )

    def show_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error.message))


class CodeForm(forms.Form):
    mobile = forms.CharField(
        label=gettext_lazy("Mobile"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "tel"}
        ),
    )
    code = forms.CharField(
        label=gettext_lazy("Sign-up code"),
        max_length=8,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class DoorForm(forms.Form):
    query = forms.CharField(label=gettext_lazy("Your mobile or sign-up code"), max_length=20)


def upcoming(request):
    """The activities whose sign-up is open, soonest first."""
    rows = [(s, services.places_left(s), services.is_accepting(s)) for s in services.public_upcoming()[:100]]
    return public_page(
        request, "activities/public/_list.html", _("Activities open for sign-up"), {"rows": rows}
    )


def detail(request, pk):
    """An activity's public page and its sign-up form."""
    signup_settings = services.public_settings_get(pk)
    activity = signup_settings.activity
    accepting = services.is_accepting(signup_settings)
    form = SignupForm(request.POST if request.method == "POST" else None, signup_settings=signup_settings)
    status = 200
    if request.method == "POST" and accepting:
        try:
            services.rate_check(ip=client_ip(request), mobile=request.POST.get("mobile", "")[:20])
            if form.is_valid():
                signup = services.signup_create(
                    activity=activity, data=form.to_data(), submission_key=form.cleaned_data["submission"]
                )
                return redirect("events:ticket", token=signup.token)
        except services.RateLimited as error:
            form.add_error(None, str(error.message))
            status = 429
        except DomainError as error:
            form.show_domain_error(error)
    context = {
        "settings": signup_settings,
        "activity": activity,
        "form": form,
        "accepting": accepting,
        "places_left": services.places_left(signup_settings),
    }
    return public_page(request, "activities/public/_detail.html", activity.title, context, status=status)


def _may_check_in(request, activity) -> bool:
    scope = getattr(request, "scope", None)
    return bool(
        request.user.is_authenticated
        and scope
        and scope.has(Perm.ACTIVITY_CHANGE)
        and scope.contains(activity.organization)
    )


@never_cache
def ticket(request, token):
    """A registrant's own page: status, code and the QR code staff scan at the door."""
    signup = get_object_or_404(Signup.objects.select_related("activity__organization"), token=token)
    url = request.build_absolute_uri(reverse("events:ticket", kwargs={"token": signup.token}))
    context = {
        "signup": signup,
        "activity": signup.activity,
        "qr": qr_svg(url, label=_("QR code of your sign-up")),
        "staff_may_check_in": _may_check_in(request, signup.activity),
    }
    return public_page(request, "activities/public/_ticket.html", _("My sign-up"), context)


@require_POST
def ticket_cancel(request, token):
    """The registrant cancels from their own page."""
    signup = get_object_or_404(Signup, token=token)
    try:
        services.signup_cancel(actor=None, signup=signup)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your sign-up has been cancelled."))
    return redirect("events:ticket", token=token)


def cancel(request, pk):
    """Cancel with the mobile and the sign-up code (for those without their link)."""
    signup_settings = services.public_settings_get(pk)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        try:
            services.rate_check(ip=client_ip(request), mobile=request.POST.get("mobile", "")[:20])
            if form.is_valid():
                services.signup_cancel_by_code(
                    activity=signup_settings.activity,
                    mobile=form.cleaned_data["mobile"],
                    code=form.cleaned_data["code"],
                )
                messages.success(request, _("Your sign-up has been cancelled."))
                return redirect("events:detail", pk=pk)
        except services.RateLimited as error:
            form.add_error(None, str(error.message))
            status = 429
        except DomainError as error:
            form.add_error(None, str(error.message))
    context = {"activity": signup_settings.activity, "form": form}
    return public_page(
        request, "activities/public/_cancel.html", _("Cancel a sign-up"), context, status=status
    )


def door(request, pk, door_token):
    """Self check-in at the door: the page the door's QR code opens."""
    signup_settings = services.public_settings_get(pk)
    if not secrets.compare_digest(signup_settings.door_token, door_token):
        raise Http404
    form = DoorForm(request.POST if request.method == "POST" else None)
    checked_in = []
    status = 200
    if request.method == "POST":
        try:
            services.rate_check(ip=client_ip(request))
            if form.is_valid():
                checked_in = services.signup_checkin_at_door(
                    signup_settings=signup_settings, door_token=door_token, query=form.cleaned_data["query"]
                )
                form = DoorForm()
        except services.RateLimited as error:
            form.add_error(None, str(error.message))
            status = 429
        except DomainError as error:
            form.add_error(None, str(error.message))
    context = {
        "activity": signup_settings.activity,
        "form": form,
        "checked_in": checked_in,
        "door_open": services.door_is_open(signup_settings.activity),
    }
    return public_page(request, "activities/public/_door.html", _("Check-in"), context, status=status)

"""The working-day calendar page: a year's holidays and make-up working days (official or
set here), and the system administrator's overrides."""

from datetime import date

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.core import services, workdays
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped
from kexie.orgs.forms import DateInput, KexieForm


class CalendarDayForm(KexieForm):
    day = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("The day is"),
        coerce=lambda value: value == "1",
        choices=[("0", gettext_lazy("a holiday")), ("1", gettext_lazy("a working day"))],
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=64, required=False)


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def _page(request, *, form=None, status=200):
    year = _year(request)
    known = workdays.official_years()
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "years": list(range(timezone.localdate().year + 1, 2003, -1)),
            "days": workdays.year_exceptions(year),
            "official": year in known,
            "known": known,
            "form": form or CalendarDayForm(initial={"day": date(year, 1, 1), "is_workday": "0"}),
            "may_edit": request.scope.has(Perm.CALENDAR_MANAGE),
        },
        status=status,
    )


@scoped
def calendar(request):
    return _page(request)


@scoped(perm=Perm.CALENDAR_MANAGE)
@require_POST
def calendar_set(request):
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_day_set(
                actor=request.user, day=data["day"], is_workday=data["is_workday"], name=data["name"]
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The day has been set."))
            return redirect(f"{reverse('core:calendar')}?year={data['day'].year}")
    return _page(request, form=form, status=400)


@scoped(perm=Perm.CALENDAR_MANAGE)
@require_POST
def calendar_remove(request):
    try:
        day = date.fromisoformat(request.POST.get("day", ""))
        services.calendar_day_remove(actor=request.user, day=day)
    except (ValueError, DomainError):
        messages.error(request, _("This day has no setting of its own."))
        return redirect("core:calendar")
    messages.success(request, _("The day follows the official calendar again."))
    return redirect(f"{reverse('core:calendar')}?year={day.year}")

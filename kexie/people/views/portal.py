"""The personal portal: a person logged in with their own account sees and corrects their
profile and downloads everything held about them.

These pages have no scope: a portal account holds no role in any organization. They reach
exactly one record, the person linked to the logged-in account (`request.user.person`);
an account without one gets 404.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.people.forms.privacy import SelfServiceForm
from kexie.people.models import Person
from kexie.people.services import privacy
from kexie.people.services.people import mobile_of


def _own_person(request) -> Person:
    """The person linked to the logged-in account, else 404 (anonymizing unlinks the account)."""
    try:
        return (
            Person.objects.active()
            .select_related("organization", "unit", "discipline", "division", "native_place")
            .get(user=request.user)
        )
    except Person.DoesNotExist:
        raise Http404(_("Your account is not linked to a profile in the talent pool.")) from None


@login_required
def me(request):
    person = _own_person(request)
    context = {
        "person": person,
        "tags": person.tags.all(),
        "memberships": person.society_memberships.select_related("society"),
        "seats": person.board_seats.select_related("board_term__organization"),
        "teams": person.team_memberships.select_related("team"),
        "honours": person.honours.all(),
        "consents": person.consents.all(),
    }
    response = render(request, "people/portal_profile.html", context)
    add_never_cache_headers(response)
    return response


@login_required
def me_edit(request):
    person = _own_person(request)
    if request.method == "POST":
        form = SelfServiceForm(request.POST)
        if form.is_valid():
            try:
                privacy.person_self_update(person=person, data=form.to_data())
            except DomainError as error:
                form.show_domain_error(error)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("people:me")
    else:
        initial = {name: getattr(person, name) for name in privacy.SELF_SERVICE_FIELDS if name != "mobile"}
        form = SelfServiceForm(initial={**initial, "mobile": mobile_of(person)})
    response = render(request, "people/portal_edit.html", {"person": person, "form": form})
    add_never_cache_headers(response)
    return response


@login_required
def me_download(request):
    """Everything held about the person, as .xlsx or JSON (`?format=`; JSON by default)."""
    person = _own_person(request)
    file_format = request.GET.get("format", "json")
    if file_format not in privacy.EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Choose a download format: .xlsx or JSON."))
    data = privacy.person_data_export(person=person, file_format=file_format)
    filename = f"{person.name}-{_('my data')}"
    if file_format == "xlsx":
        response = xlsx.download(_workbook(data), filename)
    else:
        from urllib.parse import quote

        stamped = f"{filename}-{timezone.localtime():%Y%m%d-%H%M}.json"
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f"attachment; filename=\"my-data.json\"; filename*=UTF-8''{quote(stamped)}"
        )
    add_never_cache_headers(response)
    return response


# What the sections and columns of the .xlsx download are called (the JSON keeps the keys).
SECTION_TITLES = {
    "profile": gettext_lazy("Profile"),
    "society_memberships": gettext_lazy("Society memberships"),
    "board_positions": gettext_lazy("Board positions"),
    "teams": gettext_lazy("Teams"),
    "honours": gettext_lazy("Honours"),
    "visits": gettext_lazy("Visits"),
    "consents": gettext_lazy("Consents"),
    "talent_lists": gettext_lazy("Talent lists"),
    "audit_events": gettext_lazy("Audit records"),
}


def _field_label(name: str) -> str:
    return capfirst(Person._meta.get_field(name).verbose_name)


_PROFILE_FIELDS = (
    "gender",
    "birth_date",
    "email",
    "education",
    "title",
    "title_level",
    "discipline",
    "unit",
    "employer",
    "position",
    "native_place",
    "political_status",
    "tags",
    "expertise",
    "achievements",
)


def _column_titles() -> dict[str, str]:
    return {
        "name": _("Full name"),
        **{name: _field_label(name) for name in _PROFILE_FIELDS},
        "id_number": _("ID number"),
        "mobile": _field_label("mobile_masked"),
        "region": _field_label("division"),
        "kept_by": _field_label("organization"),
        "portal_account": _field_label("user"),
        "registered_at": _("Registered at"),
        "updated_at": _("Last changed at"),
        "society": _("Name of the society"),
        "number": _("Membership number"),
        "joined_on": _("Joined on"),
        "status": _("Status"),
        "left_on": _("Left on"),
        "note": _("Note"),
        "dues": _("Dues paid"),
        "term": _("Board term"),
        "from": _("From"),
        "to": _("To"),
        "team": _("Team"),
        "role": _("Role"),
        "leader": _("Leader"),
        "level": _("Level"),
        "grade": _("Grade"),
        "year": _("Year"),
        "awarded_by": _("Awarded by"),
        "recorded_by": _("Recorded by"),
        "date": _("Date"),
        "occasion": _("Occasion"),
        "organization": _("Organization"),
        "visited_by": _("Visited by"),
        "purpose": _("Purpose"),
        "notice": _("Notice shown"),
        "method": _("How it was given"),
        "given_on": _("Given on"),
        "given_by": _("Given by"),
        "guardian": _("Guardian"),
        "guardian_relation": _("Relation to the person"),
        "withdrawn_on": _("Withdrawn on"),
        "list": _("Talent list"),
        "added_at": _("Added at"),
        "time": _("Time"),
        "action": _("Action"),
        "by": _("By"),
        "changed_fields": _("Changed fields"),
    }


def _workbook(data: dict) -> bytes:
    """One sheet per section; the profile as two columns (field, value)."""
    import tablib

    titles = _column_titles()
    book = tablib.Databook()
    for section, _rows in privacy.EXPORT_SECTIONS:
        rows = data[section]
        title = str(SECTION_TITLES[section])[:31]
        if section == "profile":
            sheet = tablib.Dataset(headers=[_("Field"), _("Value")], title=title)
            for key, value in rows[0].items():
                sheet.append([str(titles.get(key, key)), value])
        else:
            keys = list(rows[0]) if rows else []
            sheet = tablib.Dataset(headers=[str(titles.get(k, k)) for k in keys] or [_("None")], title=title)
            for row in rows:
                sheet.append([_cell(row[k]) for k in keys])
        book.add_sheet(sheet)
    return book.export("xlsx")


def _cell(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else value

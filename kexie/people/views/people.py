"""The people pages: the search-first list, its export and reveal, the profile, the forms.

Every read goes through the request's scope (`selectors.people`); a person outside it is
a 404, a missing permission a 403 after that. ID numbers and mobiles are shown masked;
the reveals and the unmasked export ask for a reason and are audited by the services.
"""

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kexie.accounts.roles import Perm
from kexie.core import listing, xlsx
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped

from ..exporting import people as exporting
from ..forms.people import PersonFilterForm, PersonForm, RevealForm
from ..models import TalentListEntry
from ..selectors import people as selectors
from ..services import people as services

PAGE_SIZE = 25
# The list counts up to this many and says "more than" beyond: a count of a whole province
# costs far more than the page, and nobody pages through 400 pages (decision 0006).
COUNT_LIMIT = 10_000
# A filtered list is counted among this many people of the scope at most ("at least N"), and
# in full when the user asks: checking the filters on a city's 200,000 people (scale L) takes
# ten times as long as on 5,000 (decision 0007). A filtered search of one key ("王") is
# counted among this many of its matches the same way.
COUNT_SCAN = 5_000
# The list parameters a reveal or an export carries along (the filters and the page).
LIST_PARAMS = (*selectors.FILTER_PARAMS, "page")


# --- the list ------------------------------------------------------------------------


@scoped(perm=Perm.PEOPLE_VIEW)
def person_list(request):
    """Search first: the box, the filters, a page of 25 ranked by match then pinyin."""
    context = _list_context(request, _list_params(request.GET))
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "people/_person_table.html" if partial else "people/person_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@scoped(perm=Perm.PEOPLE_VIEW)
@require_POST
def person_list_reveal(request):
    """The current page again, with ID numbers and mobiles in full (reason audited)."""
    scope = request.scope
    scope.require(Perm.PERSONAL_UNMASK)
    params = _list_params(request.POST)
    form = RevealForm(request.POST)
    context = _list_context(request, params, reveal_form=form)
    if form.is_valid():
        people = context["page_obj"].object_list
        try:
            clear = services.people_reveal(
                actor=request.user, people=people, reason=form.cleaned_data["reason"], where="people:list"
            )
        except DomainError as error:
            form.add_error("reason", str(error.message))
        else:
            for person in people:
                person.revealed = clear[person.pk]
            context["revealed"] = True
    if not request.htmx:
        if form.errors:
            messages.error(request, form.errors["reason"][0])
            return redirect(reverse("people:list") + _query(params))
        return render(request, "people/person_list.html", context)
    return render(request, "people/_person_table.html", context, status=400 if form.errors else 200)


@scoped(perm=Perm.PEOPLE_EXPORT)
@require_http_methods(["GET", "POST"])
def person_export(request):
    """The filtered list as .xlsx. GET: masked. POST with unmask=1 and a reason: in full."""
    scope = request.scope
    params = _list_params(request.POST if request.method == "POST" else request.GET)
    unmask = request.method == "POST" and request.POST.get("unmask") == "1"
    back = reverse("people:list") + _query(params, drop=("page",))
    reason = ""
    if unmask:
        scope.require(Perm.PERSONAL_UNMASK)
        reveal = RevealForm(request.POST)
        if not reveal.is_valid():
            messages.error(request, reveal.errors["reason"][0])
            return redirect(back)
        reason = reveal.cleaned_data["reason"]
    form = PersonFilterForm(params, scope=scope)
    people = selectors.person_list(scope=scope, filters=form.to_filter())
    total = people.count()
    if total > exporting.EXPORT_ROW_LIMIT:
        message = _("The export would hold %(rows)s people; at most %(limit)s can be exported at once.")
        messages.error(
            request,
            f"{message % {'rows': total, 'limit': exporting.EXPORT_ROW_LIMIT}} {_('Filter the list first.')}",
        )
        return redirect(back)
    result = exporting.people_export(
        actor=request.user,
        org_path=scope.organization.path,
        people=people,
        unmask=unmask,
        reason=reason,
        filters=selectors.person_filter_query(params),
    )
    return xlsx.download(result.content, f"{scope.organization.display_name}-{_('people')}")


# --- one person ----------------------------------------------------------------------


@scoped
def person_detail(request, pk):
    person = selectors.person_get(scope=request.scope, pk=pk)
    request.scope.require(Perm.PEOPLE_VIEW)
    return render(request, "people/person_detail.html", _detail_context(request, person))


@scoped
@require_POST
def person_reveal(request, pk):
    """The person's ID number and mobile in full, for a reason that goes into the audit log."""
    scope = request.scope
    person = selectors.person_get(scope=scope, pk=pk)
    scope.require(Perm.PERSONAL_UNMASK)
    form = RevealForm(request.POST)
    clear = None
    if form.is_valid():
        try:
            clear = services.person_reveal(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error("reason", str(error.message))
    if not request.htmx:
        if clear is None:
            messages.error(request, form.errors["reason"][0])
            return redirect("people:detail", pk=person.pk)
        return render(
            request,
            "people/person_detail.html",
            _detail_context(request, person, clear=clear, reveal_form=form),
        )
    return render(
        request,
        "people/_person_identifiers.html",
        {"person": person, "clear": clear, "reveal_form": form},
        status=200 if clear is not None else 400,
    )


@scoped(perm=Perm.PEOPLE_CHANGE)
def person_create(request):
    scope = request.scope
    form = PersonForm(_posted(request), scope=scope, validate_url=request.get_full_path())
    if request.method == "POST" and _validating(request):
        _check(form)
    elif request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, organization=form.chosen_organization(), data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(
                request, _("%(name)s has been added to the talent pool.") % {"name": person.name}
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "cancel_url": reverse("people:list")})


@scoped
def person_update(request, pk):
    scope = request.scope
    person = selectors.person_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    if person.is_anonymized:
        messages.error(request, _("This person has been anonymized; the record can no longer be edited."))
        return redirect("people:detail", pk=person.pk)
    form = PersonForm(_posted(request), scope=scope, instance=person, validate_url=request.get_full_path())
    if request.method == "POST" and _validating(request):
        _check(form)
    elif request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "cancel_url": reverse("people:detail", args=[person.pk])},
    )


# --- helpers -------------------------------------------------------------------------


def _posted(request):
    return request.POST if request.method == "POST" else None


def _validating(request) -> bool:
    """An inline check of the form as it is being filled in (htmx, on leaving a field)."""
    return bool(request.htmx) and request.POST.get("_validate") == "1"


def _check(form: PersonForm) -> None:
    """The service's rules without saving, so a field shows its error as soon as it is left."""
    if form.is_valid():
        try:
            services.clean_person(form.to_data())
        except DomainError as error:
            form.show_domain_error(error)


def _list_params(data) -> QueryDict:
    params = QueryDict(mutable=True)
    for key in LIST_PARAMS:
        value = (data.get(key) or "").strip()
        if value:
            params[key] = value
    return params


def _query(params: QueryDict, *, drop=()) -> str:
    kept = params.copy()
    for key in drop:
        kept.pop(key, None)
    return f"?{kept.urlencode()}" if kept else ""


def _list_context(request, params: QueryDict, *, reveal_form: RevealForm | None = None) -> dict:
    """The list's first paint: the page of 25 without the total, which `person_list_count`
    answers next (counting a city's people costs more than showing them, decision 0006)."""
    scope = request.scope
    form = PersonFilterForm(params or None, scope=scope)
    people = selectors.person_list(scope=scope, filters=form.to_filter())
    page = listing.uncounted_page(people, params.get("page"), per_page=PAGE_SIZE)
    prefetch_related_objects(page.object_list, "tags")
    today = timezone.localdate()
    for person in page.object_list:
        person.age = person.age_on(today)
        person.tag_names = [tag.name for tag in person.tags.all()]  # read once, not per use
    filters = selectors.person_filter_query(params)
    return {
        "form": form,
        "page_obj": page,
        "list_query": filters,
        "count_query": _query(params),
        "filter_items": list(QueryDict(filters).items()),
        "query": form.cleaned_data.get("q", "") if form.is_bound else "",
        "reveal_form": reveal_form or RevealForm(),
        "revealed": False,
    }


@scoped(perm=Perm.PEOPLE_VIEW)
def person_list_count(request):
    """How many people the list finds, and the page links that need it (loaded by htmx
    after the list's rows). A filtered list of a large scope says "at least" what it found
    among COUNT_SCAN people, with a link that counts them all (`exact=1`)."""
    params = _list_params(request.GET)
    form = PersonFilterForm(params or None, scope=request.scope)
    people = selectors.person_list(scope=request.scope, filters=form.to_filter())
    exact = request.GET.get("exact") == "1"
    tally = people.tally(COUNT_LIMIT, scan=None if exact else COUNT_SCAN)
    more = tally.count > COUNT_LIMIT
    at_least = not (tally.exact or more)
    context = {"total": tally.count, "more": more, "limit": COUNT_LIMIT, "at_least": at_least}
    if tally.exact or more:  # numbered pages; a count that is only "at least" keeps prev/next
        page = listing.counted_page(min(tally.count, COUNT_LIMIT), params.get("page"), per_page=PAGE_SIZE)
        context.update(page_obj=page, page_range=listing.page_range(page))
    else:
        with_exact = params.copy()
        with_exact["exact"] = "1"
        context["exact_query"] = f"?{with_exact.urlencode()}"
    return render(request, "people/_person_count.html", context)


def _detail_context(request, person, *, clear=None, reveal_form: RevealForm | None = None) -> dict:
    scope = request.scope
    today = timezone.localdate()
    minor = services.is_minor(person, on=today)
    talent_entries = scope.filter(
        TalentListEntry.objects.filter(person=person).select_related("talent_list"),
        via="talent_list__organization",
    )
    return {
        "person": person,
        "age": person.age_on(today),
        "kept_in_scope": scope.contains(person.organization),
        "tags": list(person.tags.all()),
        "memberships": person.society_memberships.select_related("society").order_by("-joined_on", "-id"),
        "board_seats": person.board_seats.select_related("board_term__organization").order_by(
            "-started_on", "-id"
        ),
        "teams": person.team_memberships.select_related("team").order_by("team__sort_key", "id"),
        "honours": person.honours.all(),
        "visits": scope.filter(person.visits.select_related("organization"), via="organization"),
        "talent_entries": talent_entries.order_by("talent_list__name", "id"),
        "consents": person.consents.all(),
        "is_minor": minor,
        "needs_guardian_consent": minor and not services.has_guardian_consent(person),
        "clear": clear,
        "reveal_form": reveal_form or RevealForm(),
        "can_change": not person.is_anonymized and scope.has(Perm.PEOPLE_CHANGE),
        "can_manage": not person.is_anonymized and scope.has(Perm.PEOPLE_MANAGE),
    }

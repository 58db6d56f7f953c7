"""Honours, visits (走访慰问), talent lists (人才资源清单), and the disciplines and tags the
administrator edits.

Each view fetches its object through the scope (404 outside the user's subtree), then checks
the permission (403), validates its form and calls one service. Exports write an audit
record with the filter and the number of rows; mobiles are masked unless unmasked with
PERSONAL_UNMASK and a reason, which is audited as well.
"""

from pathlib import Path

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.audit.services import record
from kexie.core import xlsx
from kexie.core.errors import DomainError
from kexie.core.listing import page_of as _page
from kexie.core.listing import page_range as _page_range
from kexie.core.listing import querystring as _querystring
from kexie.core.scoping import scoped
from kexie.people.exporting import records as exporting
from kexie.people.forms.records import (
    DisciplineForm,
    HonourFilterForm,
    HonourForm,
    ReasonForm,
    TagForm,
    TalentListAddForm,
    TalentListForm,
    VisitFilterForm,
    VisitForm,
)
from kexie.people.models import Discipline, Tag, TalentList
from kexie.people.selectors import records as selectors
from kexie.people.selectors.people import PersonFilter, person_get, person_list
from kexie.people.services import records as services
from kexie.statistics.definitions import get_definition

PAGE_SIZE = 25
SEARCH_RESULTS = 10


# --- helpers -----------------------------------------------------------------------------


def _posted(request):
    return request.POST if request.method == "POST" else None


def _export_params(request):
    return [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]


def _next_url(request, default: str) -> str:
    """Where to return after a form: a `next` on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _render_list(request, template: str, partial: str, context: dict):
    """The whole page, or only the results when htmx asks (filters, pagination)."""
    is_partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, partial if is_partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _too_many_rows(rows: int) -> str:
    message = _("The export would hold %(rows)s rows; at most %(limit)s can be exported at once.")
    return f"{message % {'rows': rows, 'limit': exporting.EXPORT_ROW_LIMIT}} {_('Filter the list first.')}"


def _person_search(request):
    """People matching `?find=` in scope (for the pickers), at most SEARCH_RESULTS."""
    query = " ".join((request.GET.get("find") or "").split())[:64]
    if not query:
        return query, []
    return query, list(person_list(scope=request.scope, filters=PersonFilter(query=query))[:SEARCH_RESULTS])


def _anonymized(request, back: str):
    messages.error(request, _("This person's record has been anonymized."))
    return redirect(back)


# --- honours -----------------------------------------------------------------------------


@scoped(perm=Perm.PEOPLE_VIEW)
def honour_list(request):
    form = HonourFilterForm(request.GET or None)
    honours = selectors.honour_list(scope=request.scope, filters=form.to_filter())
    page = _page(request, honours)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": _page_range(page),
        "export_query": _querystring(request, drop=("page",)),
    }
    return _render_list(request, "people/honour_list.html", "people/_honour_table.html", context)


@scoped(perm=Perm.PEOPLE_EXPORT)
def honour_export(request):
    """The filtered honour list as .xlsx (names and titles only: no identifiers)."""
    scope = request.scope
    form = HonourFilterForm(request.GET or None)
    honours = selectors.honour_list(scope=scope, filters=form.to_filter())
    rows = honours.count()
    if rows > exporting.EXPORT_ROW_LIMIT:
        messages.error(request, _too_many_rows(rows))
        return redirect(reverse("people:honour_list") + _querystring(request))
    content = exporting.honour_workbook(honours=honours)
    record(
        request.user,
        "honour.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        filters=_querystring(request).lstrip("?"),
    )
    return xlsx.download(content, f"{scope.organization.display_name}-{_('honours')}")


def _honour_keeper(scope, *, person=None, organization=None):
    """Who keeps a new honour: the recipient organization, or the person's keeper when in
    scope (so everyone who sees the person sees the honour); else the user's organization."""
    if organization is not None:
        return organization
    return person.organization if scope.contains(person.organization) else scope.organization


@scoped
def honour_create(request):
    """Record an honour of `?person=` or `?organization=`; without either, choose who."""
    scope = request.scope
    person = person_get(scope=scope, pk=request.GET["person"]) if request.GET.get("person") else None
    organization = (
        scope.get_organization(request.GET["organization"])
        if person is None and request.GET.get("organization")
        else None
    )
    scope.require(Perm.PEOPLE_CHANGE)
    back = _next_url(request, reverse("people:honour_list"))
    if person is None and organization is None:
        return _choose_recipient(request, "people/honour_choose.html", reverse("people:honour_create"))
    if person is not None and person.is_anonymized:
        return _anonymized(request, back)
    form = HonourForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            honour = services.honour_create(
                actor=request.user,
                organization=_honour_keeper(scope, person=person, organization=organization),
                person=person,
                recipient_organization=organization,
                data=form.to_data(),
                evidence=form.cleaned_data["evidence"],
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            saved = _("The honour “%(title)s” of %(recipient)s has been recorded.")
            messages.success(request, saved % {"title": honour.title, "recipient": honour.recipient})
            return redirect(back)
    return render(
        request,
        "people/honour_form.html",
        {"form": form, "person": person, "recipient_organization": organization, "cancel_url": back},
    )


def _choose_recipient(request, template: str, base_url: str):
    """The first step of recording an honour or a visit: whom it concerns."""
    query, people = _person_search(request)
    root_depth = request.scope.organization.depth
    organizations = [
        (org.pk, "\u3000" * max(org.depth - root_depth, 0) + org.name)
        for org in request.scope.organizations().active().order_by("path")
    ]
    context = {"query": query, "people": people, "choose_url": base_url, "organizations": organizations}
    if request.htmx and not request.htmx.history_restore_request and "find" in request.GET:
        return render(request, "people/_talent_person_results.html", context)
    return render(request, template, context)


@scoped
def honour_update(request, pk):
    scope = request.scope
    honour = selectors.honour_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    back = _next_url(request, reverse("people:honour_list"))
    form = HonourForm(_posted(request), request.FILES if request.method == "POST" else None, instance=honour)
    if request.method == "POST" and form.is_valid():
        try:
            services.honour_update(
                actor=request.user,
                honour=honour,
                data=form.to_data(),
                evidence=form.cleaned_data["evidence"],
                remove_evidence=form.cleaned_data.get("remove_evidence", False),
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(back)
    return render(
        request,
        "people/honour_form.html",
        {
            "form": form,
            "honour": honour,
            "person": honour.person,
            "recipient_organization": honour.recipient_organization,
            "delete_form": ReasonForm(),
            "cancel_url": back,
        },
    )


@scoped
@require_POST
def honour_delete(request, pk):
    scope = request.scope
    honour = selectors.honour_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give the reason for deleting this honour."), field="reason")
        services.honour_delete(actor=request.user, honour=honour, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(reverse("people:honour_update", args=[honour.pk]))
    deleted = _("The honour “%(title)s” of %(recipient)s has been deleted.")
    messages.success(request, deleted % {"title": honour.title, "recipient": honour.recipient})
    return redirect(_next_url(request, reverse("people:honour_list")))


@scoped
def honour_evidence(request, pk):
    """Download the evidence file of an honour; each download is audited."""
    scope = request.scope
    honour = selectors.honour_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_VIEW)
    if not honour.evidence:
        messages.info(request, _("No evidence file is kept for this honour."))
        return redirect("people:honour_list")
    try:
        handle = honour.evidence.open("rb")
    except FileNotFoundError:
        messages.error(request, _("The evidence file of this honour is missing from the file store."))
        return redirect("people:honour_list")
    record(request.user, "honour.evidence", honour, file=honour.evidence.name)
    suffix = Path(honour.evidence.name).suffix.lower()
    filename = f"{honour.year}-{honour.recipient}-{honour.title}{suffix}".replace("/", "-")
    return FileResponse(handle, as_attachment=True, filename=filename)


# --- visits ------------------------------------------------------------------------------


@scoped(perm=Perm.PEOPLE_VIEW)
def visit_list(request):
    """The visits made in the scope; with `?stat=` (a link from the statistics page) exactly
    the visits that figure counts."""
    form = VisitFilterForm(request.GET or None)
    filters = form.to_filter()
    visits = selectors.visit_list(scope=request.scope, filters=filters)
    if filters.statistic and not request.htmx:
        counted = _("Showing the visits counted in the figure “%(figure)s” (%(start)s to %(end)s).")
        messages.info(
            request,
            counted
            % {
                "figure": get_definition(filters.statistic).name,
                "start": filters.start.isoformat() if filters.start else "…",
                "end": filters.end.isoformat() if filters.end else "…",
            },
        )
    page = _page(request, visits)
    context = {
        "form": form,
        "page_obj": page,
        "page_range": _page_range(page),
        "export_query": _querystring(request, drop=("page",)),
    }
    return _render_list(request, "people/visit_list.html", "people/_visit_table.html", context)


@scoped(perm=Perm.PEOPLE_EXPORT)
def visit_export(request):
    scope = request.scope
    form = VisitFilterForm(request.GET or None)
    visits = selectors.visit_list(scope=scope, filters=form.to_filter())
    rows = visits.count()
    if rows > exporting.EXPORT_ROW_LIMIT:
        messages.error(request, _too_many_rows(rows))
        return redirect(reverse("people:visit_list") + _querystring(request))
    content = exporting.visit_workbook(visits=visits)
    record(
        request.user,
        "visit.export",
        None,
        org_path=scope.organization.path,
        rows=rows,
        filters=_querystring(request).lstrip("?"),
    )
    return xlsx.download(content, f"{scope.organization.display_name}-{_('visits')}")


@scoped
def visit_create(request):
    """Record a visit to `?person=`; without it, find the person first."""
    scope = request.scope
    person = person_get(scope=scope, pk=request.GET["person"]) if request.GET.get("person") else None
    scope.require(Perm.PEOPLE_CHANGE)
    back = _next_url(request, reverse("people:visit_list"))
    if person is None:
        return _choose_recipient(request, "people/visit_choose.html", reverse("people:visit_create"))
    if person.is_anonymized:
        return _anonymized(request, back)
    form = VisitForm(_posted(request), scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                person=person,
                data=form.to_data(),
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            saved = _("The visit to %(name)s on %(date)s has been recorded.")
            messages.success(request, saved % {"name": person.name, "date": visit.visited_on.isoformat()})
            return redirect(back)
    return render(request, "people/visit_form.html", {"form": form, "person": person, "cancel_url": back})


@scoped
def visit_update(request, pk):
    scope = request.scope
    visit = selectors.visit_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    back = _next_url(request, reverse("people:visit_list"))
    form = VisitForm(_posted(request), scope=scope, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(actor=request.user, visit=visit, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(back)
    return render(
        request,
        "people/visit_form.html",
        {"form": form, "visit": visit, "person": visit.person, "cancel_url": back},
    )


@scoped
@require_POST
def visit_delete(request, pk):
    scope = request.scope
    visit = selectors.visit_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    services.visit_delete(actor=request.user, visit=visit)
    deleted = _("The visit to %(name)s on %(date)s has been deleted.")
    messages.success(request, deleted % {"name": visit.person.name, "date": visit.visited_on.isoformat()})
    return redirect(_next_url(request, reverse("people:visit_list")))


# --- talent lists ------------------------------------------------------------------------


@scoped(perm=Perm.PEOPLE_VIEW)
def talent_lists(request):
    query = (request.GET.get("q") or "").strip()[:64]
    page = _page(request, selectors.talent_lists(scope=request.scope, query=query))
    context = {"query": query, "page_obj": page, "page_range": _page_range(page)}
    return _render_list(request, "people/talent_list_list.html", "people/_talent_list_table.html", context)


@scoped(perm=Perm.PEOPLE_CHANGE)
def talent_list_create(request):
    """A new list; `?q=…&tag=…` (a people-list query) prefills a saved search."""
    form = TalentListForm(_posted(request), search=request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            talent_list = services.talent_list_create(
                actor=request.user, organization=request.scope.organization, data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(
                request, _("The talent list “%(name)s” has been created.") % {"name": talent_list.name}
            )
            return redirect("people:talent_list_detail", pk=talent_list.pk)
    return render(
        request, "people/talent_list_form.html", {"form": form, "cancel_url": reverse("people:talent_lists")}
    )


@scoped
def talent_list_detail(request, pk):
    scope = request.scope
    talent_list = selectors.talent_list_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_VIEW)
    members = selectors.talent_list_members(scope=scope, talent_list=talent_list)
    page = _page(request, members)
    notes = selectors.talent_list_notes(talent_list=talent_list, people=page.object_list)
    for person in page.object_list:
        person.list_note = notes.get(person.pk, "")
    is_explicit = talent_list.kind == TalentList.Kind.EXPLICIT
    can_change = scope.has(Perm.PEOPLE_CHANGE)
    query, found = _candidates(request, talent_list) if is_explicit and can_change else ("", [])
    context = {
        "talent_list": talent_list,
        "is_explicit": is_explicit,
        "conditions": selectors.describe_filter(talent_list.filter_query) if not is_explicit else [],
        "page_obj": page,
        "page_range": _page_range(page),
        "query": query,
        "people": found,
        "add_url": reverse("people:talent_list_add", args=[talent_list.pk]),
    }
    return _render_list(request, "people/talent_list_detail.html", "people/_talent_members.html", context)


def _candidates(request, talent_list):
    """The people matching `?find=`, each marked whether already on the list."""
    query, found = _person_search(request)
    chosen = talent_list.list_entries.filter(person_id__in=[p.pk for p in found])
    on_list = set(chosen.values_list("person_id", flat=True))
    for person in found:
        person.on_list = person.pk in on_list
    return query, found


@scoped
def talent_list_update(request, pk):
    scope = request.scope
    talent_list = selectors.talent_list_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    form = TalentListForm(_posted(request), instance=talent_list)
    if request.method == "POST" and form.is_valid():
        try:
            services.talent_list_update(actor=request.user, talent_list=talent_list, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:talent_list_detail", pk=talent_list.pk)
    return render(
        request,
        "people/talent_list_form.html",
        {
            "form": form,
            "talent_list": talent_list,
            "cancel_url": reverse("people:talent_list_detail", args=[talent_list.pk]),
        },
    )


@scoped
@require_POST
def talent_list_delete(request, pk):
    scope = request.scope
    talent_list = selectors.talent_list_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    services.talent_list_delete(actor=request.user, talent_list=talent_list)
    messages.success(request, _("The talent list “%(name)s” has been deleted.") % {"name": talent_list.name})
    return redirect("people:talent_lists")


@scoped
def talent_list_add(request, pk):
    """POST: put a person on a list of chosen people. GET `?find=`: the people to pick from."""
    scope = request.scope
    talent_list = selectors.talent_list_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    detail = reverse("people:talent_list_detail", args=[talent_list.pk])
    if request.method != "POST":
        if not (request.htmx and not request.htmx.history_restore_request):
            return redirect(detail + _querystring(request))
        query, found = _candidates(request, talent_list)
        context = {"query": query, "people": found, "add_url": request.path, "talent_list": talent_list}
        return render(request, "people/_talent_person_results.html", context)
    form = TalentListAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person to add."))
        return redirect(detail)
    person = person_get(scope=scope, pk=form.cleaned_data["person"])
    try:
        services.talent_list_add(
            actor=request.user, talent_list=talent_list, person=person, note=form.cleaned_data["note"]
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        added = _("%(person)s has been added to “%(list)s”.")
        messages.success(request, added % {"person": person.name, "list": talent_list.name})
    return redirect(detail)


@scoped
@require_POST
def talent_list_remove(request, pk):
    scope = request.scope
    talent_list = selectors.talent_list_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    detail = reverse("people:talent_list_detail", args=[talent_list.pk])
    form = TalentListAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person to remove."))
        return redirect(detail)
    person = person_get(scope=scope, pk=form.cleaned_data["person"])
    try:
        services.talent_list_remove(actor=request.user, talent_list=talent_list, person=person)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        removed = _("%(person)s has been removed from “%(list)s”.")
        messages.success(request, removed % {"person": person.name, "list": talent_list.name})
    return redirect(detail)


@scoped
def talent_list_export(request, pk):
    """The members as .xlsx, mobiles masked; in clear only with PERSONAL_UNMASK and a reason."""
    scope = request.scope
    talent_list = selectors.talent_list_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_EXPORT)
    detail = reverse("people:talent_list_detail", args=[talent_list.pk])
    unmask = request.GET.get("unmask") == "1"
    reason = ""
    if unmask:
        scope.require(Perm.PERSONAL_UNMASK)
        reason = " ".join((request.GET.get("reason") or "").split())[:200]
        if not reason:
            messages.error(request, _("Give a reason for exporting full mobile numbers."))
            return redirect(detail)
    people = selectors.talent_list_members(scope=scope, talent_list=talent_list)
    rows = people.count()
    if rows > exporting.EXPORT_ROW_LIMIT:
        messages.error(request, _too_many_rows(rows))
        return redirect(detail)
    notes = (
        dict(talent_list.list_entries.values_list("person_id", "note"))
        if talent_list.kind == TalentList.Kind.EXPLICIT
        else None
    )
    content = exporting.talent_list_workbook(
        talent_list=talent_list, people=people, unmask=unmask, notes=notes
    )
    record(request.user, "talent_list.export", talent_list, rows=rows, unmasked=unmask, reason=reason)
    if unmask:
        record(
            request.user,
            "person.unmask",
            None,
            org_path=talent_list.organization.path,
            reason=reason,
            where="talent_list_export",
            talent_list=talent_list.pk,
            rows=rows,
        )
    return xlsx.download(content, talent_list.name)


# --- disciplines and tags (deployment-wide; administrators only) ----------------------


@scoped(perm=Perm.PEOPLE_MANAGE)
def discipline_list(request):
    disciplines = list(
        Discipline.objects.annotate(people_count=Count("people", distinct=True)).order_by("position", "code")
    )
    children: dict[int, list] = {}
    for discipline in disciplines:
        if discipline.parent_id:
            children.setdefault(discipline.parent_id, []).append(discipline)
    categories = [d for d in disciplines if d.is_category]
    for category in categories:
        category.subdisciplines = children.get(category.pk, [])
    return render(request, "people/discipline_list.html", {"categories": categories})


@scoped(perm=Perm.PEOPLE_MANAGE)
def discipline_create(request):
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else {}
    form = DisciplineForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            discipline = services.discipline_create(actor=request.user, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": discipline.name})
            return redirect("people:discipline_list")
    return render(request, "people/discipline_form.html", {"form": form})


@scoped(perm=Perm.PEOPLE_MANAGE)
def discipline_update(request, pk):
    discipline = get_object_or_404(Discipline, pk=pk)
    form = DisciplineForm(_posted(request), instance=discipline)
    if request.method == "POST" and form.is_valid():
        try:
            services.discipline_update(actor=request.user, discipline=discipline, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:discipline_list")
    return render(request, "people/discipline_form.html", {"form": form, "discipline": discipline})


@scoped(perm=Perm.PEOPLE_MANAGE)
def tag_list(request):
    tags = Tag.objects.annotate(people_count=Count("people", distinct=True)).order_by("position", "code")
    return render(request, "people/tag_list.html", {"tags": tags})


@scoped(perm=Perm.PEOPLE_MANAGE)
def tag_create(request):
    form = TagForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            tag = services.tag_create(actor=request.user, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": tag.name})
            return redirect("people:tag_list")
    return render(request, "people/tag_form.html", {"form": form})


@scoped(perm=Perm.PEOPLE_MANAGE)
def tag_update(request, pk):
    tag = get_object_or_404(Tag, pk=pk)
    form = TagForm(_posted(request), instance=tag)
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_update(actor=request.user, tag=tag, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:tag_list")
    return render(request, "people/tag_form.html", {"form": form, "tag": tag})

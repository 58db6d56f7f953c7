"""Changing the organization network: found, edit, move, dissolve, re-elect, appoint, cover.

Each view fetches its organization through the scope (404 outside the user's subtree),
then checks the permission (403), validates its form and calls one service. A service's
DomainError appears on the form field it names.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kexie.accounts.roles import Perm
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped

from .. import services
from ..forms import BoardTermForm, CoverageForm, DissolveForm, LeaderForm, MoveForm, OrganizationForm
from ..models import Kind, LeaderPosition, Organization


def _posted(request):
    return request.POST if request.method == "POST" else None


def _dissolved(request, organization):
    messages.error(request, _("A dissolved organization can no longer be edited."))
    return redirect("orgs:detail", pk=organization.pk)


@scoped
def organization_create(request):
    """Found an organization. `?parent=` fixes the parent; otherwise the user picks one."""
    scope = request.scope
    parent_pk = request.GET.get("parent")
    parent = scope.get_organization(parent_pk) if parent_pk else None
    scope.require(Perm.ORG_CHANGE)
    if parent is not None and not parent.is_active:
        messages.error(request, _("The parent organization has been dissolved."))
        return redirect("orgs:detail", pk=parent.pk)
    form = OrganizationForm(_posted(request), scope=scope, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                actor=request.user, parent=form.chosen_parent(), data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            added = _("“%(name)s” has been added to the network.")
            messages.success(request, added % {"name": organization.name})
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "parent": parent,
            "cancel_url": reverse("orgs:detail", args=[parent.pk]) if parent else reverse("orgs:list"),
        },
    )


@scoped
def organization_update(request, pk):
    scope = request.scope
    organization = scope.get_organization(pk)
    scope.require(Perm.ORG_CHANGE)
    if not organization.is_active:
        return _dissolved(request, organization)
    form = OrganizationForm(_posted(request), scope=scope, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(actor=request.user, organization=organization, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "organization": organization,
            "cancel_url": reverse("orgs:detail", args=[organization.pk]),
        },
    )


@scoped
def organization_move(request, pk):
    scope = request.scope
    organization = scope.get_organization(pk)
    scope.require(Perm.ORG_MANAGE)
    if organization.pk == scope.organization.pk:
        # Its parent lies outside this user's scope; the level above must move it.
        messages.error(
            request, _("The organization you work in cannot be moved from here; ask the level above.")
        )
        return redirect("orgs:detail", pk=organization.pk)
    if not organization.is_active:
        return _dissolved(request, organization)
    form = MoveForm(_posted(request), scope=scope, organization=organization)
    if request.method == "POST" and form.is_valid():
        new_parent = form.cleaned_data["new_parent"]
        try:
            services.organization_move(actor=request.user, organization=organization, new_parent=new_parent)
        except DomainError as error:
            form.show_domain_error(error)
        else:
            moved = _("“%(name)s” now belongs to “%(parent)s”.")
            messages.success(request, moved % {"name": organization.name, "parent": new_parent.name})
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/move.html",
        {
            "form": form,
            "organization": organization,
            "descendants": Organization.objects.subtree(organization).count() - 1,
        },
    )


@scoped
def organization_dissolve(request, pk):
    scope = request.scope
    organization = scope.get_organization(pk)
    scope.require(Perm.ORG_MANAGE)
    if organization.pk == scope.organization.pk:
        messages.error(
            request, _("The organization you work in cannot be dissolved from here; ask the level above.")
        )
        return redirect("orgs:detail", pk=organization.pk)
    if not organization.is_active:
        messages.info(request, _("This organization has already been dissolved."))
        return redirect("orgs:detail", pk=organization.pk)
    form = DissolveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_dissolve(
                actor=request.user,
                organization=organization,
                dissolved_on=form.cleaned_data["dissolved_on"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            dissolved = _("“%(name)s” has been recorded as dissolved.")
            messages.success(request, dissolved % {"name": organization.name})
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/dissolve.html",
        {
            "form": form,
            "organization": organization,
            "active_children": organization.children.active().count(),
        },
    )


@scoped
def board_term_create(request, pk):
    """Record a board election (换届) of a society or another body with a board."""
    scope = request.scope
    organization = scope.get_organization(pk)
    if not organization.has_board:
        raise Http404(_("This kind of organization has no board."))
    scope.require(Perm.ORG_CHANGE)
    if not organization.is_active:
        return _dissolved(request, organization)
    form = BoardTermForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            term = services.board_term_start(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(
                request,
                _("Term %(number)s has been recorded; the next re-election is due on %(date)s.")
                % {"number": term.number, "date": term.due_on.isoformat()},
            )
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/board_term_form.html",
        {
            "form": form,
            "organization": organization,
            "current_term": organization.board_terms.filter(ended_on__isnull=True).order_by("number").last(),
        },
    )


@scoped
def leader_appoint(request, pk):
    scope = request.scope
    organization = scope.get_organization(pk)
    scope.require(Perm.ORG_CHANGE)
    if not organization.is_active:
        return _dissolved(request, organization)
    form = LeaderForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.leader_appoint(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(
                request,
                _("%(name)s has been recorded as %(position)s.")
                % {"name": appointment.person_name, "position": LeaderPosition(appointment.position).label},
            )
            return redirect("orgs:detail", pk=organization.pk)
    return render(
        request,
        "orgs/leader_form.html",
        {
            "form": form,
            "organization": organization,
            "current_leaders": organization.appointments.filter(ended_on__isnull=True).order_by("position"),
        },
    )


@scoped
def party_coverage(request, pk):
    """Which societies a party branch covers (全覆盖); a joint branch covers several."""
    scope = request.scope
    branch = scope.get_organization(pk)
    if branch.kind != Kind.PARTY_BRANCH:
        raise Http404(_("Only a party branch covers organizations."))
    scope.require(Perm.ORG_CHANGE)
    form = CoverageForm(_posted(request), scope=scope, branch=branch)
    if request.method == "POST" and form.is_valid():
        # Organizations outside this user's scope are not on the form; their coverage stays.
        kept = [org for org in branch.covered_organizations.all() if not scope.contains(org)]
        try:
            services.party_branch_set_coverage(
                actor=request.user, branch=branch, covered=[*form.cleaned_data["covered"], *kept]
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The party branch's coverage has been saved."))
            return redirect("orgs:detail", pk=branch.pk)
    return render(request, "orgs/party_coverage.html", {"form": form, "organization": branch})

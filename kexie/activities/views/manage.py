"""The approval queue, reported periods (层层上报) and the approval policy, campaigns and
their editions, and activity kinds.

Each view fetches its object through the scope (404 outside the user's subtree), then checks
the permission (403), validates its form and calls one service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.activities import selectors
from kexie.activities.forms import CampaignForm, EditionForm, KindForm, LockForm, PolicyForm, ReasonForm
from kexie.activities.models import ActivityKind, ApprovalPolicy
from kexie.activities.selectors_campaigns import edition_summary
from kexie.activities.services import catalog, periods
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- approvals ---------------------------------------------------------------------------


@scoped(perm=Perm.ACTIVITY_APPROVE)
def approvals(request):
    """Submitted activities this scope approves, oldest first, with approve and return."""
    queue = selectors.approval_queue(scope=request.scope)
    return render(
        request,
        "activities/approvals.html",
        {"queue": queue, "reason_form": ReasonForm(), "next": reverse("activities:approvals")},
    )


# --- period locks and the approval policy ------------------------------------------------


def _locks_page(request, *, lock_form=None, policy_form=None):
    scope = request.scope
    locks = list(selectors.period_locks(scope=scope)[:200])
    for lock in locks:
        lock.may_unlock = (
            lock.is_active and scope.has(Perm.ACTIVITY_APPROVE) and periods.may_unlock(scope, lock)
        )
    own = ApprovalPolicy.objects.filter(organization=scope.organization).first()
    approver = periods.approving_organization(scope.organization)
    context = {
        "locks": locks,
        "lock_form": lock_form or LockForm(),
        "policy_form": policy_form
        or PolicyForm(initial={"approver": periods.approver_policy(scope.organization)}),
        "policy": own,
        "applied_policy": periods.approver_policy(scope.organization),
        "approver": approver,
        "reason_form": ReasonForm(),
        "may_lock": scope.has(Perm.ACTIVITY_APPROVE),
        "may_set_policy": scope.has(Perm.ACTIVITY_MANAGE),
    }
    return render(request, "activities/locks.html", context)


@scoped(perm=Perm.ACTIVITY_VIEW)
def locks(request):
    return _locks_page(request)


@scoped(perm=Perm.ACTIVITY_APPROVE)
@require_POST
def lock_create(request):
    """Lock a reported period of the user's own organization (and everything below it)."""
    form = LockForm(request.POST)
    if form.is_valid():
        try:
            lock = periods.period_lock(
                actor=request.user,
                organization=request.scope.organization,
                period=form.cleaned_data["period"],
                year=form.cleaned_data["year"],
                number=form.cleaned_data["number"],
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            locked = _("%(start)s to %(end)s has been locked: its activities can no longer be changed.")
            messages.success(request, locked % {"start": lock.starts_on, "end": lock.ends_on})
            return redirect("activities:locks")
    return _locks_page(request, lock_form=form)


@scoped
@require_POST
def unlock(request, pk):
    scope = request.scope
    lock = selectors.period_lock_get(scope=scope, pk=pk)
    scope.require(Perm.ACTIVITY_APPROVE)
    if not periods.may_unlock(scope, lock):
        raise PermissionDenied(_("Only an organization above the one that locked a period may unlock it."))
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Say why the period is unlocked."), field="reason")
        periods.period_unlock(actor=request.user, lock=lock, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        unlocked = _("%(start)s to %(end)s of %(org)s has been unlocked.")
        messages.success(
            request, unlocked % {"start": lock.starts_on, "end": lock.ends_on, "org": lock.organization.name}
        )
    return redirect("activities:locks")


@scoped(perm=Perm.ACTIVITY_MANAGE)
@require_POST
def policy(request):
    """Choose who approves the activities of the user's organization and below it."""
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            periods.approval_policy_set(
                actor=request.user,
                organization=request.scope.organization,
                approver=form.cleaned_data["approver"],
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The approval policy has been saved."))
            return redirect("activities:locks")
    return _locks_page(request, policy_form=form)


# --- campaigns ---------------------------------------------------------------------------


@scoped(perm=Perm.ACTIVITY_VIEW)
def campaigns(request):
    scope = request.scope
    visible = list(selectors.campaigns_visible(scope=scope).prefetch_related("editions"))
    for campaign in visible:
        campaign.may_manage = scope.has(Perm.ACTIVITY_MANAGE) and selectors.may_manage_campaign(
            scope, campaign
        )
    return render(request, "activities/campaign_list.html", {"campaigns": visible})


@scoped
def campaign_detail(request, pk):
    """A campaign's editions; the chosen one (`?edition=`, else the latest) summed across
    the subtree by direct child organization."""
    scope = request.scope
    campaign = selectors.campaign_get(scope=scope, pk=pk)
    scope.require(Perm.ACTIVITY_VIEW)
    editions = list(campaign.editions.order_by("-year"))
    chosen = next(
        (e for e in editions if str(e.pk) == request.GET.get("edition")), editions[0] if editions else None
    )
    context = {
        "campaign": campaign,
        "editions": editions,
        "edition": chosen,
        "summary": edition_summary(scope=scope, edition=chosen) if chosen else None,
        "may_manage": scope.has(Perm.ACTIVITY_MANAGE) and selectors.may_manage_campaign(scope, campaign),
    }
    return render(request, "activities/campaign_detail.html", context)


@scoped(perm=Perm.ACTIVITY_MANAGE)
def campaign_create(request):
    """A local campaign run by the user's organization (its subtree sees it)."""
    form = CampaignForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            campaign = catalog.campaign_create(
                actor=request.user, organization=request.scope.organization, data=form.to_data()
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The campaign “%(name)s” has been added.") % {"name": campaign.name})
            return redirect("activities:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "activities/campaign_form.html",
        {"form": form, "cancel_url": reverse("activities:campaigns")},
    )


def _managed_campaign(request, pk):
    scope = request.scope
    campaign = selectors.campaign_get(scope=scope, pk=pk)
    scope.require(Perm.ACTIVITY_MANAGE)
    if not selectors.may_manage_campaign(scope, campaign):
        raise PermissionDenied(_("This campaign is managed by the organization that runs it."))
    return campaign


@scoped
def campaign_update(request, pk):
    campaign = _managed_campaign(request, pk)
    form = CampaignForm(_posted(request), instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            catalog.campaign_update(actor=request.user, campaign=campaign, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("activities:campaign_detail", pk=campaign.pk)
    cancel = reverse("activities:campaign_detail", args=[campaign.pk])
    return render(
        request, "activities/campaign_form.html", {"form": form, "campaign": campaign, "cancel_url": cancel}
    )


@scoped
def edition_create(request, pk):
    campaign = _managed_campaign(request, pk)
    form = EditionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            edition = catalog.edition_create(actor=request.user, campaign=campaign, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The edition %(edition)s has been added.") % {"edition": edition})
            return redirect(
                reverse("activities:campaign_detail", args=[campaign.pk]) + f"?edition={edition.pk}"
            )
    cancel = reverse("activities:campaign_detail", args=[campaign.pk])
    return render(
        request, "activities/edition_form.html", {"form": form, "campaign": campaign, "cancel_url": cancel}
    )


@scoped
def edition_update(request, pk):
    scope = request.scope
    edition = selectors.edition_get(scope=scope, pk=pk)
    campaign = _managed_campaign(request, edition.campaign_id)
    form = EditionForm(_posted(request), instance=edition)
    cancel = reverse("activities:campaign_detail", args=[campaign.pk]) + f"?edition={edition.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            catalog.edition_update(actor=request.user, edition=edition, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(cancel)
    context = {"form": form, "campaign": campaign, "edition": edition, "cancel_url": cancel}
    return render(request, "activities/edition_form.html", context)


# --- kinds -------------------------------------------------------------------------------


@scoped(perm=Perm.ACTIVITY_VIEW)
def kinds(request):
    return render(request, "activities/kind_list.html", {"kinds": ActivityKind.objects.all()})


@scoped(perm=Perm.ACTIVITY_MANAGE)
def kind_create(request):
    form = KindForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            kind = catalog.kind_create(actor=request.user, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The kind “%(name)s” has been added.") % {"name": kind.name})
            return redirect("activities:kinds")
    return render(request, "activities/kind_form.html", {"form": form})


@scoped(perm=Perm.ACTIVITY_MANAGE)
def kind_update(request, pk):
    kind = get_object_or_404(ActivityKind, pk=pk)
    form = KindForm(_posted(request), instance=kind)
    if request.method == "POST" and form.is_valid():
        try:
            catalog.kind_update(actor=request.user, kind=kind, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("activities:kinds")
    return render(request, "activities/kind_form.html", {"form": form, "kind": kind})

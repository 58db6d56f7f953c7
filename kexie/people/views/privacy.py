"""Staff pages for a person's personal-information rights: consents, anonymizing, and the
person's portal account.

Each view fetches the person through the scope (404 outside the user's subtree), then
checks the permission (403), validates its form and calls one service.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.roles import Perm
from kexie.core.errors import DomainError
from kexie.core.scoping import scoped
from kexie.people.forms.privacy import AnonymizeForm, ConsentForm, ConsentWithdrawForm, PortalAccountForm
from kexie.people.models import Consent
from kexie.people.selectors.people import person_get
from kexie.people.services import privacy
from kexie.people.services.people import has_guardian_consent, is_minor


def _posted(request):
    return request.POST if request.method == "POST" else None


def _anonymized(request, person):
    messages.error(request, _("This person's record has been anonymized and can no longer be changed."))
    return redirect("people:detail", pk=person.pk)


def _consent_context(person, form, withdraw_form=None) -> dict:
    minor = is_minor(person)
    return {
        "person": person,
        "form": form,
        "withdraw_form": withdraw_form or ConsentWithdrawForm(),
        "consents": person.consents.select_related("recorded_by"),
        "is_minor": minor,
        "needs_guardian": minor and not has_guardian_consent(person),
    }


@scoped
def consent_create(request, pk):
    """Record a consent; the page lists the person's consents, which can be withdrawn."""
    scope = request.scope
    person = person_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_CHANGE)
    if person.is_anonymized:
        return _anonymized(request, person)
    form = ConsentForm(_posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            consent = privacy.consent_record(actor=request.user, person=person, data=form.to_data())
        except DomainError as error:
            form.show_domain_error(error)
        else:
            recorded = _("The consent of %(name)s for “%(purpose)s” has been recorded.")
            messages.success(
                request, recorded % {"name": person.name, "purpose": consent.get_purpose_display()}
            )
            return redirect("people:consent_create", pk=person.pk)
    return render(request, "people/consent_form.html", _consent_context(person, form))


@require_POST
@scoped
def consent_withdraw(request, pk):
    scope = request.scope
    consent = Consent.objects.filter(pk=pk).only("pk", "person_id").first()
    if consent is None:
        raise Http404
    person = person_get(scope=scope, pk=consent.person_id)
    scope.require(Perm.PEOPLE_CHANGE)
    if person.is_anonymized:
        return _anonymized(request, person)
    form = ConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            consent = privacy.consent_withdraw(
                actor=request.user, consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            withdrawn = _("The consent of %(name)s for “%(purpose)s” is recorded as withdrawn on %(date)s.")
            messages.success(
                request,
                withdrawn
                % {
                    "name": person.name,
                    "purpose": consent.get_purpose_display(),
                    "date": consent.withdrawn_on.isoformat(),
                },
            )
            return redirect("people:consent_create", pk=person.pk)
    context = _consent_context(person, ConsentForm(person=person), withdraw_form=form)
    context["withdrawing"] = consent.pk
    return render(request, "people/consent_form.html", context, status=400)


@scoped
def anonymize(request, pk):
    """Confirm, then anonymize a person (on request or when retention ends) with a reason."""
    scope = request.scope
    person = person_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_MANAGE)
    if person.is_anonymized:
        messages.info(request, _("This person's record has already been anonymized."))
        return redirect("people:detail", pk=person.pk)
    form = AnonymizeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        name = person.name
        try:
            privacy.person_erase(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.show_domain_error(error)
        else:
            done = _("%(name)s has been anonymized: the record no longer appears in searches or exports.")
            messages.success(request, done % {"name": name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/anonymize.html", {"person": person, "form": form})


@scoped
def portal_account(request, pk):
    """Give a person a portal login. The one-time password is shown on this response only."""
    scope = request.scope
    person = person_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_MANAGE)
    if person.is_anonymized:
        return _anonymized(request, person)
    form = PortalAccountForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            account = privacy.portal_account_create(
                actor=request.user, person=person, username=form.cleaned_data["username"]
            )
        except DomainError as error:
            form.show_domain_error(error)
        else:
            response = render(
                request,
                "people/portal_account_created.html",
                {"person": person, "account": account.user, "password": account.password},
            )
            add_never_cache_headers(response)  # the password must not stay in any cache
            return response
    return render(
        request,
        "people/portal_account.html",
        {"person": person, "form": form, "minor": is_minor(person)},
    )


@require_POST
@scoped
def portal_account_disable(request, pk):
    scope = request.scope
    person = person_get(scope=scope, pk=pk)
    scope.require(Perm.PEOPLE_MANAGE)
    try:
        privacy.portal_account_disable(actor=request.user, person=person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The portal account of %(name)s is closed.") % {"name": person.name})
    return redirect("people:detail", pk=person.pk)

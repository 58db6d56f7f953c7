"""Forms of consents, anonymizing, portal accounts and the portal's self-service profile.
They shape input only; the rules live in services/privacy.py, whose DomainError each form
shows on the field it names."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kexie.orgs.forms import DateInput, KexieForm
from kexie.people.models import Consent, Education, Person
from kexie.people.services.people import is_minor
from kexie.people.services.privacy import ConsentData, SelfServiceData


class ConsentForm(KexieForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    notice = forms.CharField(
        label=_("Notice shown"),
        max_length=200,
        help_text=_("The title and version of the privacy notice, e.g. “人才库个人信息告知书（2025版）”."),
    )
    method = forms.ChoiceField(label=_("How it was given"), choices=Consent.Method.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=Consent.GivenBy.choices, widget=forms.RadioSelect
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=64, required=False)
    guardian_relation = forms.CharField(
        label=_("Relation to the person"),
        max_length=32,
        required=False,
        help_text=_("For example mother, father or legal guardian."),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()
        minor = is_minor(person)
        self.fields["given_by"].initial = Consent.GivenBy.GUARDIAN if minor else Consent.GivenBy.SELF
        self.fields["given_by"].widget.attrs["class"] = "form-check-input"

    def to_data(self) -> ConsentData:
        return ConsentData(**self.cleaned_data)


class ConsentWithdrawForm(KexieForm):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class AnonymizeForm(KexieForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example “the person's request of 2025-03-01” or “retention period ended”."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm: the name, ID number, mobile and contact details will be erased for good. "
            "This cannot be undone."
        ),
    )


class PortalAccountForm(KexieForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        help_text=_("The person logs in with it; letters, digits and @ . + - _ only."),
    )

    def clean_username(self):
        from django.contrib.auth.validators import UnicodeUsernameValidator

        username = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator()(username)
        return username


def _label(name: str) -> str:
    return capfirst(Person._meta.get_field(name).verbose_name)


class SelfServiceForm(KexieForm):
    """What a person may correct in their own profile through the portal."""

    mobile = forms.CharField(
        label=_label("mobile_masked"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_label("email"), required=False)
    employer = forms.CharField(label=_label("employer"), max_length=128, required=False)
    position = forms.CharField(label=_label("position"), max_length=64, required=False)
    title = forms.CharField(label=_label("title"), max_length=64, required=False)
    education = forms.ChoiceField(
        label=_label("education"), choices=[("", "—"), *Education.choices], required=False
    )
    expertise = forms.CharField(
        label=_label("expertise"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    achievements = forms.CharField(
        label=_label("achievements"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def to_data(self) -> SelfServiceData:
        return SelfServiceData(**self.cleaned_data)

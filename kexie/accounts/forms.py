"""Forms of the login, password and administration pages. They validate input only: the
rules live in `services` (and the password policy in `passwords`)."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import Role

# Every failed login says exactly this, whatever the cause (wrong password, unknown user,
# disabled account, lockout): the page must not tell an attacker which it was.
GENERIC_LOGIN_ERROR = _("Incorrect username or password, or the account is locked. Try again later.")


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": GENERIC_LOGIN_ERROR, "inactive": GENERIC_LOGIN_ERROR}

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "class": "form-control"})
        self.fields["password"].widget.attrs.update(
            {"autocomplete": "current-password", "class": "form-control"}
        )

    def get_invalid_login_error(self):
        return ValidationError(GENERIC_LOGIN_ERROR, code="invalid_login")


def _password_input(autocomplete: str = "new-password") -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete, "class": "form-control"})


def policy_help_text() -> str:
    """What the configured password policy asks for, shown under every new-password field."""
    return " ".join(str(text) for text in password_validation.password_validators_help_texts())


class _NewPasswordMixin:
    """Two password fields that must match and pass the configured policy for `policy_user`."""

    policy_user: User | None = None

    def _describe_policy(self) -> None:
        self.fields["new_password1"].help_text = policy_help_text()

    def clean_new_password2(self):
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise ValidationError(_("The two passwords do not match."), code="password_mismatch")
        if second:
            password_validation.validate_password(second, self.policy_user)
        return second


class PasswordChangeForm(_NewPasswordMixin, forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), strip=False, widget=_password_input("current-password")
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=_password_input(),
    )
    new_password2 = forms.CharField(label=_("New password again"), strip=False, widget=_password_input())

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = self.policy_user = user
        self._describe_policy()

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise ValidationError(_("The current password is not correct."), code="password_incorrect")
        return old

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_password"), cleaned.get("new_password2")
        if old and new and old == new:
            self.add_error("new_password1", _("Choose a password different from the current one."))
        return cleaned


class UserCreateForm(_NewPasswordMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "none"}
        ),
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    display_name = forms.CharField(
        label=_("Name"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"class": "form-control"})
    )
    new_password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=_password_input(),
    )
    new_password2 = forms.CharField(label=_("Initial password again"), strip=False, widget=_password_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe_policy()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        # The policy forbids passwords containing part of the username, so check against it.
        self.policy_user = User(username=username)
        return username


class PasswordResetForm(_NewPasswordMixin, forms.Form):
    """An administrator sets a temporary password; the user must change it at the next login."""

    new_password1 = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=_password_input(),
    )
    new_password2 = forms.CharField(
        label=_("Temporary password again"), strip=False, widget=_password_input()
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy_user = user
        self._describe_policy()


class UserFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("All accounts")), ("active", _("Active")), ("disabled", _("Disabled"))]

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False)

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name) or "" if self.is_valid() else ""


class MembershipFilterForm(forms.Form):
    STATUS_CHOICES = [("active", _("Active")), ("revoked", _("Revoked")), ("all", _("All"))]

    q = forms.CharField(label=_("User"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False)
    organization = forms.IntegerField(label=_("Within"), required=False, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


class MembershipGrantForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "off",
                "autocapitalize": "none",
                "list": "kx-usernames",
            }
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        empty_label=_("Choose an organization"),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role")), *Role.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, users, organizations, root_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = users
        self.grantee: User | None = None
        field = self.fields["organization"]
        field.queryset = organizations
        # An ideographic space per level below the scope root draws the tree in a plain <select>.
        field.label_from_instance = lambda org: "\u3000" * max(org.depth - root_depth, 0) + org.name

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        self.grantee = self.users.filter(username__iexact=username, is_active=True).first()
        if self.grantee is None:
            raise ValidationError(_("There is no active account with this username."), code="unknown_user")
        return username


class LockoutResetForm(forms.Form):
    username = forms.CharField(max_length=255)

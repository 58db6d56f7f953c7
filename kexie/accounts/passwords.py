"""Password policy profiles.

`mlps` follows 网络安全等级保护 2.0 (GB/T 22239): at least 8 characters from three of the
four classes, no run of the username, not a common password. `asvs` follows OWASP ASVS
v4 §2.1: at least 12 characters, any characters, not a common password. The profile is
chosen with the KEXIE_PASSWORD_PROFILE setting.
"""

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_RUN = 3  # this many consecutive characters of the username may not appear


def _classes(password: str) -> int:
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class ProfileValidator:
    def __init__(self):
        self.common = CommonPasswordValidator()

    @property
    def profile(self) -> str:
        return getattr(settings, "KEXIE_PASSWORD_PROFILE", "mlps")

    def validate(self, password: str, user=None) -> None:
        errors = []
        if self.profile == "asvs":
            if len(password) < 12:
                errors.append(_("The password must be at least 12 characters long."))
        else:
            if len(password) < 8:
                errors.append(_("The password must be at least 8 characters long."))
            if _classes(password) < 3:
                errors.append(
                    _(
                        "The password must mix three of: lower-case letters, upper-case letters, "
                        "digits, symbols."
                    )
                )
            username = (getattr(user, "username", "") or "").lower()
            lowered = password.lower()
            if username and any(
                username[i : i + _RUN] in lowered
                for i in range(max(len(username) - _RUN + 1, 1))
                if len(username[i : i + _RUN]) == _RUN
            ):
                errors.append(_("The password must not contain part of the username."))
        try:
            self.common.validate(password, user)
        except ValidationError:
            errors.append(_("This password is too common."))
        if errors:
            raise ValidationError(errors, code="password_policy")

    def get_help_text(self) -> str:
        if self.profile == "asvs":
            return _("At least 12 characters; not a common password.")
        return _(
            "At least 8 characters mixing three of: lower-case letters, upper-case letters, digits, symbols; "
            "no part of the username; not a common password."
        )

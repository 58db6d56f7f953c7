"""Validators for the identifiers of this field (DOMAIN.md §6)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> None:
    """Unified social credit code, GB 32100-2015, including the check character."""
    code = normalize_credit_code(value)
    if not code:
        return
    try:
        uscc.validate(code)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code (18 characters with a check digit)."),
            code="credit_code",
            params={"value": value},
        ) from exc


def normalize_phone(value: str) -> str:
    """Store phones in a single form: mobiles as 11 digits, landlines as 0AAA-NNNNNNN."""
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return raw
    if number.country_code != 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = str(number.national_number)
    if len(national) == 11 and national.startswith("1"):
        return national
    area_length = phonenumbers.length_of_geographical_area_code(number)
    if area_length:
        return f"0{national[:area_length]}-{national[area_length:]}"
    return f"0{national}"


def validate_phone(value: str) -> None:
    """A mobile or landline number that China's numbering plan allows."""
    raw = (value or "").strip()
    if not raw:
        return
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), code="phone", params={"value": value}
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."), code="phone", params={"value": value}
        )


def validate_division_code(value: str) -> None:
    if value and (len(value) != 6 or not value.isdigit()):
        raise ValidationError(
            _("An administrative division code has 6 digits (GB/T 2260)."), code="division_code"
        )

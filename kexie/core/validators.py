"""Validators for the identifiers of this field (DOMAIN.md §6)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent
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


def normalize_id_number(value: str) -> str:
    """Resident ID numbers are stored as 18 characters with an upper-case X."""
    return (value or "").strip().upper().replace(" ", "")


def validate_id_number(value: str) -> None:
    """Resident identity card number, GB 11643-1999: a real birth date and the check digit."""
    number = normalize_id_number(value)
    if not number:
        return
    if len(number) != 18 or not number[:17].isdigit():
        raise ValidationError(
            _("“%(value)s” is not a valid resident ID number (18 characters)."),
            code="id_number",
            params={"value": value},
        )
    try:
        ric.validate(number)
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of the ID number “%(value)s” is wrong."),
            code="id_number",
            params={"value": value},
        ) from exc
    except InvalidComponent as exc:
        raise ValidationError(
            _("The ID number “%(value)s” holds no real birth date."),
            code="id_number",
            params={"value": value},
        ) from exc
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid resident ID number (18 characters)."),
            code="id_number",
            params={"value": value},
        ) from exc


def id_number_birth_date(value: str):
    """The birth date an ID number encodes (None when it is not a valid number)."""
    try:
        return ric.get_birth_date(normalize_id_number(value))
    except (StdnumError, ValueError):
        return None


def id_number_gender(value: str) -> str:
    """ "male"/"female" from the 17th digit (odd for men), "" when unknown."""
    number = normalize_id_number(value)
    if len(number) != 18 or not number[16].isdigit():
        return ""
    return "male" if int(number[16]) % 2 else "female"


def validate_mobile(value: str) -> None:
    """A mainland mobile number (11 digits starting with 1)."""
    raw = (value or "").strip()
    if not raw:
        return
    validate_phone(raw)
    normalized = normalize_phone(raw)
    if not (len(normalized) == 11 and normalized.startswith("1")):
        raise ValidationError(
            _("“%(value)s” is not a mobile number (11 digits starting with 1)."),
            code="mobile",
            params={"value": value},
        )
